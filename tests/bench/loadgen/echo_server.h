// EchoServer: an in-process gRPC server on a free loopback port with the
// default health service, server reflection and the Echo test service
// (loadgen_echo.proto). It counts the status codes it answered with, so
// tests can check the load generator's counts against the server's.
//
//   EchoServer server;               // starts; aborts the test on failure
//   auto channel = server.Channel();
//   ... server.Answered(grpc::StatusCode::NOT_FOUND) ...
//
// Thread safety: all methods may be called while RPCs are running.
#ifndef OPENENCODER_TESTS_BENCH_LOADGEN_ECHO_SERVER_H_
#define OPENENCODER_TESTS_BENCH_LOADGEN_ECHO_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>

namespace openencoder::loadgen::testing {

class EchoServer {
 public:
  // Listens on 127.0.0.1:`port`; 0 picks a free port.
  explicit EchoServer(int port = 0);
  ~EchoServer();

  // Blocks until the server shuts down (for the stand-alone binary).
  void Wait() { server_->Wait(); }

  std::string address() const;  // "127.0.0.1:<port>"
  std::shared_ptr<grpc::Channel> Channel() const;

  // How many Echo calls were answered with `code`.
  int64_t Answered(grpc::StatusCode code) const;
  // The value of header `x-loadgen-test` on the most recent Echo call.
  std::string LastTestHeader() const;

 private:
  class Service;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace openencoder::loadgen::testing

#endif  // OPENENCODER_TESTS_BENCH_LOADGEN_ECHO_SERVER_H_
