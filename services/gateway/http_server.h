// The HTTP side of the gateway on cpp-httplib (Debian's libcpp-httplib,
// 0.11.4). Why this library and what its model implies is in README.md:
// blocking sockets, one pool thread per connection for its keep-alive
// lifetime, so `threads` bounds concurrent connections (more wait in the
// accept queue), keep-alive connections are closed after `keep_alive_max`
// requests or `keep_alive_timeout` idle, request bodies over `max_body_bytes`
// get 413, and header lines over 8 KiB (a compile-time limit of the library)
// get 400.
#ifndef OPENENCODER_SERVICES_GATEWAY_HTTP_SERVER_H_
#define OPENENCODER_SERVICES_GATEWAY_HTTP_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/gateway.h"

namespace httplib {
class Server;
}

namespace openencoder::gateway {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  int threads = 32;
  size_t max_body_bytes = 64 * 1024;
  int keep_alive_max = 1000;
  absl::Duration keep_alive_timeout = absl::Seconds(5);
  absl::Duration read_timeout = absl::Seconds(5);
  absl::Duration write_timeout = absl::Seconds(5);
};

class HttpServer {
 public:
  // Binds and starts serving `gateway` (which must outlive the server) on
  // its own threads. UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           const Gateway* gateway);
  ~HttpServer();  // Shutdown()

  int port() const { return port_; }

  // Stops accepting, lets requests in progress finish, closes idle
  // keep-alive connections. Idempotent.
  void Shutdown();

 private:
  HttpServer() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  int port_ = 0;
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_HTTP_SERVER_H_
