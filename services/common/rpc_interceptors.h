// The per-RPC interceptors every server and channel gets from one place
// (RunningServer::Start and MakeChannel), so no handler counts anything:
//
//   grpc_server_started_total{grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method}   (histogram)
//   grpc_server_in_flight_requests{grpc_service,grpc_method}
//   grpc_client_... the same, seen by the caller.
//
// The names and labels are those of go-grpc-prometheus and
// grpc-ecosystem's dashboards, with the in-flight gauge added. Methods come
// from the registered services (bounded); past kMaxMethods distinct names
// further ones are counted under grpc_method="other".
//
// The client interceptor also sends `traceparent` (trace_context.h) for
// calls whose x-request-id belongs to a request being served here.
#ifndef OPENENCODER_SERVICES_COMMON_RPC_INTERCEPTORS_H_
#define OPENENCODER_SERVICES_COMMON_RPC_INTERCEPTORS_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/client_interceptor.h>
#include <grpcpp/support/server_interceptor.h>

#include <chrono>

#include "absl/strings/string_view.h"

namespace openencoder::common {

// The metrics of one call on one side, for code that counts without the
// interceptor: the server's call-log interceptor embeds one (so that a server
// runs one interceptor per call, not two: each one more is gRPC dispatching
// every hook of every batch to it), and a call on a channel without the
// client interceptor (ChannelOptions::interceptors = false) keeps one.
// Started on construction; Finish() once with the status, or CANCELLED when
// destroyed unfinished. Nothing when metrics are off (MetricsEnabled()).
class CallMetrics {
 public:
  enum class Side { kServer, kClient };
  CallMetrics(Side side, const char* method);
  ~CallMetrics();
  CallMetrics(const CallMetrics&) = delete;
  CallMetrics& operator=(const CallMetrics&) = delete;
  void Finish(grpc::StatusCode code);

 private:
  void* metrics_;  // the method's children, or null (rpc_interceptors.cc)
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

// What the client interceptor adds to a call: `traceparent`, a child of the
// trace of the request `request_id` names when it is being served here.
// For calls on a channel without the interceptor.
void AddTraceParent(grpc::ClientContext* context, absl::string_view request_id);

// Metrics alone, for servers without the call log.
class RpcMetricsServerInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// Metrics only when `with_metrics` (MetricsEnabled()); trace propagation
// always.
class ClientCallInterceptorFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit ClientCallInterceptorFactory(bool with_metrics) : with_metrics_(with_metrics) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override;

 private:
  bool with_metrics_;
};

// The canonical name of a status code, "OK" .. "UNAUTHENTICATED".
const char* GrpcCodeName(grpc::StatusCode code);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_RPC_INTERCEPTORS_H_
