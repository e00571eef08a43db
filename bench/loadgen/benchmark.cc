#include "bench/loadgen/benchmark.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bench/loadgen/method_resolver.h"

namespace openencoder::loadgen {
namespace {

absl::Status Validate(const BenchmarkConfig& config) {
  if (config.concurrency < 1) {
    return absl::InvalidArgumentError("--concurrency must be at least 1");
  }
  if (config.rounds < 1) {
    return absl::InvalidArgumentError("--rounds must be at least 1");
  }
  if (config.duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--duration must be positive");
  }
  if (config.warmup < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--warmup must not be negative");
  }
  if (config.deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--deadline must be positive");
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<double> BenchmarkResult::QpsRatio() const {
  if (!baseline.has_value() || baseline->Qps() <= 0) return std::nullopt;
  return target.Qps() / baseline->Qps();
}

std::optional<double> BenchmarkResult::P99Ratio() const {
  if (!baseline.has_value() || baseline->latency.count() == 0) {
    return std::nullopt;
  }
  absl::Duration base = baseline->latency.Percentile(99);
  if (base <= absl::ZeroDuration()) return std::nullopt;
  return absl::FDivDuration(target.latency.Percentile(99), base);
}

absl::StatusOr<BenchmarkResult> RunBenchmark(const std::shared_ptr<grpc::Channel>& channel,
                                             const BenchmarkConfig& config) {
  if (absl::Status status = Validate(config); !status.ok()) return status;

  // Connect first so that connection set-up is not billed to the first slice
  // and an unreachable server is reported plainly.
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 absl::ToChronoNanoseconds(config.deadline + absl::Seconds(4)))) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", config.target));
  }

  absl::StatusOr<ReflectedMethod> method =
      ReflectedMethod::Resolve(channel, config.method, config.deadline + absl::Seconds(4));
  if (!method.ok()) return method.status();
  if (method->server_streaming()) {
    return absl::UnimplementedError(
        absl::StrCat(method->descriptor().full_name(),
                     " is server-streaming; only unary methods are supported so far"));
  }
  absl::StatusOr<std::string> request = method->SerializeRequest(config.request_text);
  if (!request.ok()) return request.status();

  CallSpec target{method->path(), *std::move(request), config.deadline, config.metadata};
  // HealthCheckRequest{service: ""} serializes to zero bytes: the server's
  // overall health.
  CallSpec baseline{kHealthCheckPath, "", config.deadline, config.metadata};

  BenchmarkResult result;
  result.config = config;
  result.path = method->path();

  auto run = [&](const CallSpec& spec, absl::Duration time, RunStats* sum) -> absl::Status {
    absl::StatusOr<RunStats> stats = RunLoad(channel, spec, config.concurrency, time);
    if (!stats.ok()) return stats.status();
    if (sum != nullptr) sum->Merge(*stats);
    return absl::OkStatus();
  };

  if (config.warmup > absl::ZeroDuration()) {
    absl::Duration share = config.health_baseline ? config.warmup / 2 : config.warmup;
    if (absl::Status s = run(target, share, nullptr); !s.ok()) return s;
    if (config.health_baseline) {
      if (absl::Status s = run(baseline, share, nullptr); !s.ok()) return s;
    }
  }

  absl::Duration slice = config.duration / config.rounds;
  RunStats baseline_sum;
  for (int round = 0; round < config.rounds; ++round) {
    // T B | B T | T B ...: each side goes first in half of the rounds.
    bool target_first = round % 2 == 0 || !config.health_baseline;
    for (int turn = 0; turn < 2; ++turn) {
      bool is_target = (turn == 0) == target_first;
      if (!is_target && !config.health_baseline) continue;
      absl::Status s =
          is_target ? run(target, slice, &result.target) : run(baseline, slice, &baseline_sum);
      if (!s.ok()) return s;
    }
  }
  if (config.health_baseline) result.baseline = std::move(baseline_sum);
  return result;
}

}  // namespace openencoder::loadgen
