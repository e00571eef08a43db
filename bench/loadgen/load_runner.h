// RunLoad: keeps a fixed number of unary calls in flight against one method
// for a fixed time and measures what came back.
//
// The request is sent as pre-serialized bytes through grpc::GenericStub (the
// callback API), so any unary method of any server can be loaded without
// generated code. Each completed call immediately starts the next one on the
// same slot until the time is up; calls still in flight then are awaited and
// counted, and `elapsed` runs until the last of them finished.
//
//   CallSpec spec{.path = "/grpc.health.v1.Health/Check"};
//   absl::StatusOr<RunStats> stats = RunLoad(channel, spec, 8, absl::Seconds(2));
//
// Returns INVALID_ARGUMENT for concurrency < 1, a non-positive duration or
// deadline, or an empty path. RPC failures are not errors of RunLoad: they
// are counted per status code in RunStats.
//
// Thread safety: RunLoad may be called from several threads at once; it
// blocks the caller until the run is over.
#ifndef OPENENCODER_BENCH_LOADGEN_LOAD_RUNNER_H_
#define OPENENCODER_BENCH_LOADGEN_LOAD_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/loadgen/latency_histogram.h"

namespace openencoder::loadgen {

using Metadata = std::vector<std::pair<std::string, std::string>>;

// One kind of call: where, what, and how long each may take.
struct CallSpec {
  std::string path;           // "/pkg.Service/Method"
  std::string request_bytes;  // serialized request message
  absl::Duration deadline = absl::Seconds(1);
  Metadata metadata;  // sent with every call
};

// What a run (or a sum of runs) measured.
struct RunStats {
  int64_t calls = 0;                            // completed, any status
  std::map<absl::StatusCode, int64_t> by_code;  // includes OK
  LatencyHistogram latency;                     // of every completed call
  absl::Duration elapsed;                       // load time, summed on Merge

  int64_t ok() const;
  int64_t errors() const { return calls - ok(); }
  // Completed calls per second of `elapsed`; 0 when nothing ran.
  double Qps() const;
  void Merge(const RunStats& other);
};

absl::StatusOr<RunStats> RunLoad(const std::shared_ptr<grpc::Channel>& channel,
                                 const CallSpec& spec, int concurrency, absl::Duration duration);

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_LOAD_RUNNER_H_
