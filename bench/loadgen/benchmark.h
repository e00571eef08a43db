// RunBenchmark: the whole oe_loadgen measurement of one method, with an
// optional same-run baseline (grpc.health.v1.Health/Check on the same
// server, same concurrency and duration).
//
// Why interleaved: the machine is shared and noisy, so the target and the
// baseline run in alternating slices (`rounds` slices each, ordered
// T,B,B,T,T,B,... so neither always goes first) and each side's slices are
// summed. Both therefore see the same mix of background load, and the ratio
// target/baseline is what gets reported, not absolute numbers.
//
// Warm-up: before the measured slices, `warmup` is spent half on the target
// and half on the baseline (or all on the target); warm-up calls are
// discarded.
//
// Errors: INVALID_ARGUMENT for bad numbers; whatever ReflectedMethod reports
// for the method or request; UNAVAILABLE when the server cannot be reached.
// Failed RPCs during load are counted, not returned.
#ifndef OPENENCODER_BENCH_LOADGEN_BENCHMARK_H_
#define OPENENCODER_BENCH_LOADGEN_BENCHMARK_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/loadgen/load_runner.h"

namespace openencoder::loadgen {

// The path of the default baseline.
inline constexpr char kHealthCheckPath[] = "/grpc.health.v1.Health/Check";

struct BenchmarkConfig {
  std::string target;        // "host:port", for the report only
  std::string method;        // "pkg.Service/Method"
  std::string request_text;  // protobuf text format of the input type
  int concurrency = 1;
  absl::Duration duration = absl::Seconds(10);  // per side, all rounds
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration deadline = absl::Seconds(1);  // per RPC
  Metadata metadata;
  bool health_baseline = true;
  int rounds = 4;
};

struct BenchmarkResult {
  BenchmarkConfig config;
  std::string path;  // resolved "/pkg.Service/Method"
  RunStats target;
  std::optional<RunStats> baseline;  // set when config.health_baseline

  // target QPS / baseline QPS, and target p99 / baseline p99; nullopt
  // without a baseline or when the baseline measured nothing.
  std::optional<double> QpsRatio() const;
  std::optional<double> P99Ratio() const;
};

absl::StatusOr<BenchmarkResult> RunBenchmark(const std::shared_ptr<grpc::Channel>& channel,
                                             const BenchmarkConfig& config);

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_BENCHMARK_H_
