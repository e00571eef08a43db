// Renders a BenchmarkResult for people (FormatText) or scripts (FormatJson).
//
// FormatJson returns one JSON object on one line:
//   {"target":"127.0.0.1:50051","method":"/pkg.Svc/M","concurrency":8,
//    "duration_s":10,"warmup_s":2,"deadline_s":1,"rounds":4,
//    "runs":{"target":{"calls":..,"ok":..,"errors":..,"qps":..,
//                      "errors_by_code":{"NOT_FOUND":3},
//                      "latency_us":{"min":..,"mean":..,"p50":..,"p90":..,
//                                    "p99":..,"p999":..,"max":..}},
//            "baseline":{... same ..., "method":"/grpc.health.v1.Health/Check"}},
//    "ratio":{"qps":0.93,"p99":1.21}}
// "baseline" and "ratio" are absent with --baseline=none; a ratio value is
// null when the baseline measured nothing.
#ifndef OPENENCODER_BENCH_LOADGEN_REPORT_H_
#define OPENENCODER_BENCH_LOADGEN_REPORT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "bench/loadgen/benchmark.h"

namespace openencoder::loadgen {

// "OK", "NOT_FOUND", ... as gRPC spells status codes.
std::string StatusCodeName(absl::StatusCode code);

std::string FormatText(const BenchmarkResult& result);
std::string FormatJson(const BenchmarkResult& result);

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_REPORT_H_
