// Writes one structured log line per RPC: method, status code, latency and
// request id. It never looks at message bodies, so tokens and passwords
// (which travel only in bodies) cannot reach the log.
//
// A call without an acceptable x-request-id gets a fresh one, visible to the
// handler through RequestIdOf() and returned to the caller in the trailers.
//
// The call joins the caller's W3C trace (`traceparent`) or starts one; its
// trace id is in the call's log line and in every line logged with its
// request id (trace_context.h).
#ifndef OPENENCODER_SERVICES_COMMON_CALL_LOG_INTERCEPTOR_H_
#define OPENENCODER_SERVICES_COMMON_CALL_LOG_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>

namespace openencoder::common {

class CallLogInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `with_metrics`: also the per-RPC metrics (rpc_interceptors.h), in the
  // same interceptor.
  CallLogInterceptorFactory(std::string service_name, bool with_metrics)
      : service_name_(std::move(service_name)), with_metrics_(with_metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  std::string service_name_;
  bool with_metrics_;
};

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_CALL_LOG_INTERCEPTOR_H_
