#include "services/common/call_log_interceptor.h"

#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/log.h"
#include "services/common/request_id.h"
#include "services/common/rpc_interceptors.h"
#include "services/common/trace_context.h"

namespace openencoder::common {
namespace {

using grpc::experimental::InterceptionHookPoints;

class CallLogInterceptor : public grpc::experimental::Interceptor {
 public:
  CallLogInterceptor(grpc::experimental::ServerRpcInfo* info, const std::string& service_name,
                     bool with_metrics)
      : info_(info), service_name_(service_name), start_(absl::Now()) {
    if (with_metrics) metrics_.emplace(CallMetrics::Side::kServer, info->method());
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find(kRequestIdHeader);
      if (it != metadata->end() &&
          IsAcceptableRequestId(std::string_view(it->second.data(), it->second.size()))) {
        request_id_.assign(it->second.data(), it->second.size());
      } else {
        // The map holds string_refs; request_id_ outlives the call's handler
        // because the interceptor is destroyed only when the call ends.
        if (it != metadata->end()) metadata->erase(it);
        request_id_ = NewRequestId();
        metadata->emplace(grpc::string_ref(kRequestIdHeader), grpc::string_ref(request_id_));
      }
      // This call is a span of the caller's trace, or the root of a new one
      // (a caller outside our suite, a background job's call).
      auto parent = metadata->find(kTraceParentHeader);
      std::optional<TraceContext> incoming;
      if (parent != metadata->end()) {
        incoming = ParseTraceParent(std::string_view(parent->second.data(), parent->second.size()));
      }
      trace_ = incoming.has_value() ? ChildOf(*incoming) : NewTraceContext();
      active_.emplace(request_id_, trace_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (metrics_.has_value()) metrics_->Finish(status.error_code());
      if (!request_id_.empty()) {
        methods->GetSendTrailingMetadata()->emplace(kRequestIdHeader, request_id_);
      }
      double ms = absl::ToDoubleMilliseconds(absl::Now() - start_);
      LogLevel level =
          status.ok() ? LogLevel::kInfo
          : status.error_code() == grpc::INTERNAL || status.error_code() == grpc::DATA_LOSS
              ? LogLevel::kError
              : LogLevel::kWarning;
      Log(level, "rpc",
          {{"service", service_name_},
           {"method", info_->method()},
           {"code", GrpcCodeName(status.error_code())},
           {"latency_ms", ms},
           {"request_id", request_id_},
           {"trace_id", trace_.trace_id},
           {"span_id", trace_.span_id}});
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const std::string& service_name_;
  absl::Time start_;
  std::string request_id_;
  TraceContext trace_;
  // Registered while the call runs, so that calls its handler makes with
  // its request id carry its trace (trace_context.h).
  std::optional<ActiveTrace> active_;
  std::optional<CallMetrics> metrics_;
};

}  // namespace

grpc::experimental::Interceptor* CallLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallLogInterceptor(info, service_name_, with_metrics_);
}

}  // namespace openencoder::common
