#include "bench/loadgen/load_runner.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <chrono>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::loadgen {
namespace {

using Clock = std::chrono::steady_clock;

// One call slot: at most one RPC in flight, so its fields are only touched
// by that RPC's completion callback (gRPC orders one call's start before its
// callback) and, after the run, by the owner.
struct Slot {
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::unique_ptr<grpc::ClientContext> context;
  Clock::time_point started;
  RunStats stats;
};

class LoadRun {
 public:
  LoadRun(const std::shared_ptr<grpc::Channel>& channel, const CallSpec& spec, int concurrency,
          absl::Duration duration)
      : stub_(channel), spec_(spec), slots_(concurrency) {
    grpc::Slice bytes(spec.request_bytes);
    for (Slot& slot : slots_) slot.request = grpc::ByteBuffer(&bytes, 1);
    active_ = concurrency;
    start_ = Clock::now();
    end_ = start_ + absl::ToChronoNanoseconds(duration);
  }

  RunStats Run() {
    for (Slot& slot : slots_) StartCall(slot);
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](int* active) { return *active == 0; }, &active_));
    }
    RunStats total;
    for (const Slot& slot : slots_) total.Merge(slot.stats);
    total.elapsed = absl::FromChrono(Clock::now() - start_);
    return total;
  }

 private:
  void StartCall(Slot& slot) {
    slot.context = std::make_unique<grpc::ClientContext>();
    for (const auto& [key, value] : spec_.metadata) {
      slot.context->AddMetadata(key, value);
    }
    // gRPC deadlines only take system_clock; latency uses the steady clock.
    slot.context->set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoNanoseconds(spec_.deadline));
    slot.started = Clock::now();
    stub_.UnaryCall(slot.context.get(), spec_.path, grpc::StubOptions(), &slot.request,
                    &slot.response, [this, &slot](grpc::Status status) { OnDone(slot, status); });
  }

  void OnDone(Slot& slot, const grpc::Status& status) {
    Clock::time_point now = Clock::now();
    slot.stats.latency.Record(absl::FromChrono(now - slot.started));
    ++slot.stats.calls;
    ++slot.stats.by_code[static_cast<absl::StatusCode>(status.error_code())];
    slot.response.Clear();
    if (now < end_) {
      StartCall(slot);
      return;
    }
    absl::MutexLock lock(&mu_);
    --active_;
  }

  grpc::GenericStub stub_;
  const CallSpec& spec_;
  std::vector<Slot> slots_;
  Clock::time_point start_;
  Clock::time_point end_;
  absl::Mutex mu_;
  int active_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

int64_t RunStats::ok() const {
  auto it = by_code.find(absl::StatusCode::kOk);
  return it == by_code.end() ? 0 : it->second;
}

double RunStats::Qps() const {
  double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(calls) / seconds : 0.0;
}

void RunStats::Merge(const RunStats& other) {
  calls += other.calls;
  for (const auto& [code, count] : other.by_code) by_code[code] += count;
  latency.Merge(other.latency);
  elapsed += other.elapsed;
}

absl::StatusOr<RunStats> RunLoad(const std::shared_ptr<grpc::Channel>& channel,
                                 const CallSpec& spec, int concurrency, absl::Duration duration) {
  if (concurrency < 1) {
    return absl::InvalidArgumentError("concurrency must be at least 1");
  }
  if (duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("duration must be positive");
  }
  if (spec.deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("deadline must be positive");
  }
  if (spec.path.empty()) {
    return absl::InvalidArgumentError("method path is empty");
  }
  LoadRun run(channel, spec, concurrency, duration);
  return run.Run();
}

}  // namespace openencoder::loadgen
