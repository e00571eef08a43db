#include "tests/bench/loadgen/echo_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "loadgen_echo.grpc.pb.h"
#include "services/common/tls.h"

namespace openencoder::loadgen::testing {

class EchoServer::Service final
    : public openencoder::loadgen::testing::EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoResponse* response) override {
    auto header = context->client_metadata().find("x-loadgen-test");
    if (header != context->client_metadata().end()) {
      absl::MutexLock lock(&mu_);
      last_header_.assign(header->second.data(), header->second.size());
    }
    int64_t n = received_.fetch_add(1) + 1;
    bool fail =
        request->fail_with() != 0 && (request->fail_every() <= 1 || n % request->fail_every() == 0);
    grpc::Status status = grpc::Status::OK;
    if (fail) {
      status =
          grpc::Status(static_cast<grpc::StatusCode>(request->fail_with()), "failing as asked");
    } else {
      response->set_text(request->text());
    }
    answered_[status.error_code()].fetch_add(1);
    auto* reactor = context->DefaultReactor();
    reactor->Finish(status);
    return reactor;
  }

  int64_t Answered(grpc::StatusCode code) const { return answered_[code].load(); }
  std::string LastHeader() const {
    absl::MutexLock lock(&mu_);
    return last_header_;
  }

 private:
  std::atomic<int64_t> received_{0};
  // Indexed by grpc::StatusCode (0..16).
  std::atomic<int64_t> answered_[17] = {};
  mutable absl::Mutex mu_;
  std::string last_header_ ABSL_GUARDED_BY(mu_);
};

EchoServer::EchoServer(int port) : service_(std::make_unique<Service>()) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  // Mutual TLS as every real server (services/common/tls.h).
  auto credentials = common::MakeServerCredentials();
  if (!credentials.ok()) {
    std::fprintf(stderr, "echo server: %s\n", credentials.status().ToString().c_str());
    std::abort();
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), *credentials, &port_);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    // Nothing below can work without a server; fail loudly and early.
    std::abort();
  }
}

EchoServer::~EchoServer() { server_->Shutdown(); }

std::string EchoServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

std::shared_ptr<grpc::Channel> EchoServer::Channel() const {
  return grpc::CreateChannel(address(), *common::MakeChannelCredentials());
}

int64_t EchoServer::Answered(grpc::StatusCode code) const { return service_->Answered(code); }

std::string EchoServer::LastTestHeader() const { return service_->LastHeader(); }

}  // namespace openencoder::loadgen::testing
