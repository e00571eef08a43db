#include "services/common/rpc_interceptors.h"

#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/common/metrics.h"
#include "services/common/request_id.h"
#include "services/common/trace_context.h"

namespace openencoder::common {
namespace {

using grpc::experimental::InterceptionHookPoints;
constexpr size_t kMaxMethods = 500;
constexpr int kCodes = 17;  // OK (0) .. UNAUTHENTICATED (16)

// The families of one side (server or client).
struct SideFamilies {
  prometheus::Family<prometheus::Counter>& started;
  prometheus::Family<prometheus::Counter>& handled;
  prometheus::Family<prometheus::Histogram>& seconds;
  prometheus::Family<prometheus::Gauge>& in_flight;
};

SideFamilies MakeFamilies(const std::string& side) {
  const std::string who = side == "server" ? "the server" : "the client";
  return SideFamilies{
      Counters("grpc_" + side + "_started_total", "RPCs started on " + who),
      Counters("grpc_" + side + "_handled_total", "RPCs completed on " + who + ", by status code"),
      Histograms("grpc_" + side + "_handling_seconds",
                 "RPC latency seen by " + who + ", from start to status"),
      Gauges("grpc_" + side + "_in_flight_requests",
             "RPCs started and not yet completed on " + who),
  };
}

// The children of one method, created once; the per-code counters on first
// use (most methods only ever see two or three codes).
class MethodMetrics {
 public:
  MethodMetrics(SideFamilies& families, prometheus::Labels labels)
      : families_(families),
        labels_(std::move(labels)),
        started_(families.started.Add(labels_)),
        seconds_(LatencyHistogram(families.seconds, labels_)),
        in_flight_(families.in_flight.Add(labels_)) {
    for (auto& c : handled_) c.store(nullptr, std::memory_order_relaxed);
  }

  void Start() {
    started_.Increment();
    in_flight_.Increment();
  }
  void Finish(grpc::StatusCode code, double seconds) {
    int i = static_cast<int>(code);
    if (i < 0 || i >= kCodes) i = static_cast<int>(grpc::StatusCode::UNKNOWN);
    prometheus::Counter* counter = handled_[i].load(std::memory_order_acquire);
    if (counter == nullptr) {
      prometheus::Labels labels = labels_;
      labels["grpc_code"] = GrpcCodeName(static_cast<grpc::StatusCode>(i));
      counter = &families_.handled.Add(labels);  // the same child on a race
      handled_[i].store(counter, std::memory_order_release);
    }
    counter->Increment();
    seconds_.Observe(seconds);
    in_flight_.Decrement();
  }

 private:
  SideFamilies& families_;
  prometheus::Labels labels_;
  prometheus::Counter& started_;
  prometheus::Histogram& seconds_;
  prometheus::Gauge& in_flight_;
  std::array<std::atomic<prometheus::Counter*>, kCodes> handled_;
};

// Method path ("/pkg.Service/Method") -> its metrics, for one side.
class MethodTable {
 public:
  explicit MethodTable(const std::string& side) : families_(MakeFamilies(side)) {}

  MethodMetrics* Get(const char* path) {
    absl::string_view key(path == nullptr ? "" : path);
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = methods_.find(key);
      if (it != methods_.end()) return it->second.get();
    }
    absl::MutexLock lock(&mu_);
    auto it = methods_.find(key);
    if (it != methods_.end()) return it->second.get();
    prometheus::Labels labels;
    if (methods_.size() >= kMaxMethods) {
      labels = {{"grpc_service", "other"}, {"grpc_method", "other"}};
    } else {
      absl::string_view trimmed = key.substr(key.empty() || key[0] != '/' ? 0 : 1);
      size_t slash = trimmed.find('/');
      labels = {{"grpc_service", std::string(trimmed.substr(0, slash))},
                {"grpc_method", slash == absl::string_view::npos
                                    ? std::string()
                                    : std::string(trimmed.substr(slash + 1))}};
    }
    auto metrics = std::make_unique<MethodMetrics>(families_, std::move(labels));
    MethodMetrics* raw = metrics.get();
    if (methods_.size() < kMaxMethods) {
      methods_.emplace(std::string(key), std::move(metrics));
    } else {
      overflow_.push_back(std::move(metrics));
    }
    return raw;
  }

 private:
  SideFamilies families_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> methods_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<MethodMetrics>> overflow_ ABSL_GUARDED_BY(mu_);
};

MethodTable& ServerMethods() {
  static auto* table = new MethodTable("server");
  return *table;
}

MethodTable& ClientMethods() {
  static auto* table = new MethodTable("client");
  return *table;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The traceparent of a call made while serving `request_id`: a child span
// of that request's trace, or nothing when the request is not being served
// here. What both the interceptor and AddTraceParent send.
std::optional<std::string> ChildTraceParentOf(std::string_view request_id) {
  std::optional<TraceContext> trace = TraceOfRequest(request_id);
  if (!trace.has_value()) return std::nullopt;
  return ChildOf(*trace).ToTraceParent();
}

class ServerMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ServerMetricsInterceptor(const char* method)
      : metrics_(CallMetrics::Side::kServer, method) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_.Finish(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  CallMetrics metrics_;
};

class ClientCallInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ClientCallInterceptor(MethodMetrics* metrics) : metrics_(metrics) {}
  ~ClientCallInterceptor() override {
    if (started_ && !finished_) metrics_->Finish(grpc::StatusCode::CANCELLED, SecondsSince(start_));
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      AddTraceParent(methods->GetSendInitialMetadata());
      if (metrics_ != nullptr && !started_) {
        started_ = true;
        start_ = std::chrono::steady_clock::now();
        metrics_->Start();
      }
    }
    if (metrics_ != nullptr && started_ && !finished_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_STATUS)) {
      finished_ = true;
      metrics_->Finish(methods->GetRecvStatus()->error_code(), SecondsSince(start_));
    }
    methods->Proceed();
  }

 private:
  static void AddTraceParent(std::multimap<std::string, std::string>* metadata) {
    if (metadata == nullptr || metadata->count(kTraceParentHeader) > 0) return;
    auto id = metadata->find(kRequestIdHeader);
    if (id == metadata->end()) return;
    std::optional<std::string> parent = ChildTraceParentOf(id->second);
    if (parent.has_value()) metadata->emplace(kTraceParentHeader, *std::move(parent));
  }

  MethodMetrics* metrics_;
  std::chrono::steady_clock::time_point start_;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace

CallMetrics::CallMetrics(Side side, const char* method)
    : metrics_(!MetricsEnabled()       ? nullptr
               : side == Side::kServer ? ServerMethods().Get(method)
                                       : ClientMethods().Get(method)),
      start_(std::chrono::steady_clock::now()) {
  if (metrics_ != nullptr) static_cast<MethodMetrics*>(metrics_)->Start();
}

CallMetrics::~CallMetrics() { Finish(grpc::StatusCode::CANCELLED); }

void CallMetrics::Finish(grpc::StatusCode code) {
  if (finished_ || metrics_ == nullptr) return;
  finished_ = true;
  static_cast<MethodMetrics*>(metrics_)->Finish(code, SecondsSince(start_));
}

void AddTraceParent(grpc::ClientContext* context, absl::string_view request_id) {
  std::optional<std::string> parent =
      ChildTraceParentOf(std::string_view(request_id.data(), request_id.size()));
  if (parent.has_value()) context->AddMetadata(kTraceParentHeader, *std::move(parent));
}

const char* GrpcCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK:
      return "OK";
    case grpc::CANCELLED:
      return "CANCELLED";
    case grpc::UNKNOWN:
      return "UNKNOWN";
    case grpc::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::ABORTED:
      return "ABORTED";
    case grpc::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::INTERNAL:
      return "INTERNAL";
    case grpc::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

grpc::experimental::Interceptor* RpcMetricsServerInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ServerMetricsInterceptor(info->method());
}

grpc::experimental::Interceptor* ClientCallInterceptorFactory::CreateClientInterceptor(
    grpc::experimental::ClientRpcInfo* info) {
  return new ClientCallInterceptor(with_metrics_ ? ClientMethods().Get(info->method()) : nullptr);
}

}  // namespace openencoder::common
