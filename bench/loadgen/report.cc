#include "bench/loadgen/report.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace openencoder::loadgen {
namespace {

double Micros(absl::Duration d) { return absl::ToDoubleMicroseconds(d); }

// Human latency: microseconds below 1 ms, else milliseconds.
std::string Human(absl::Duration d) {
  if (d < absl::Milliseconds(1)) return absl::StrFormat("%.0fus", Micros(d));
  return absl::StrFormat("%.2fms", absl::ToDoubleMilliseconds(d));
}

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", std::string(1, c));
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string JsonNumber(double value) { return absl::StrFormat("%.6g", value); }

std::string JsonRun(const RunStats& stats, absl::string_view path) {
  std::vector<std::string> errors;
  for (const auto& [code, count] : stats.by_code) {
    if (code == absl::StatusCode::kOk) continue;
    errors.push_back(absl::StrCat(JsonString(StatusCodeName(code)), ":", count));
  }
  const LatencyHistogram& h = stats.latency;
  return absl::StrCat(
      "{\"method\":", JsonString(path), ",\"calls\":", stats.calls, ",\"ok\":", stats.ok(),
      ",\"errors\":", stats.errors(),
      ",\"elapsed_s\":", JsonNumber(absl::ToDoubleSeconds(stats.elapsed)),
      ",\"qps\":", JsonNumber(stats.Qps()), ",\"errors_by_code\":{", absl::StrJoin(errors, ","),
      "},\"latency_us\":{\"min\":", JsonNumber(Micros(h.min())),
      ",\"mean\":", JsonNumber(Micros(h.Mean())), ",\"p50\":", JsonNumber(Micros(h.Percentile(50))),
      ",\"p90\":", JsonNumber(Micros(h.Percentile(90))),
      ",\"p99\":", JsonNumber(Micros(h.Percentile(99))),
      ",\"p999\":", JsonNumber(Micros(h.Percentile(99.9))),
      ",\"max\":", JsonNumber(Micros(h.max())), "}}");
}

std::string JsonOptional(const std::optional<double>& value) {
  return value.has_value() ? JsonNumber(*value) : "null";
}

std::string TextRow(absl::string_view label, const RunStats& stats) {
  const LatencyHistogram& h = stats.latency;
  return absl::StrFormat("%-8s %10d %10.1f %9s %9s %9s %9s %9s %8d\n", label, stats.calls,
                         stats.Qps(), Human(h.Percentile(50)), Human(h.Percentile(90)),
                         Human(h.Percentile(99)), Human(h.Percentile(99.9)), Human(h.max()),
                         stats.errors());
}

std::string TextErrors(absl::string_view label, const RunStats& stats) {
  std::vector<std::string> errors;
  for (const auto& [code, count] : stats.by_code) {
    if (code == absl::StatusCode::kOk) continue;
    errors.push_back(absl::StrCat(StatusCodeName(code), "=", count));
  }
  if (errors.empty()) return "";
  return absl::StrCat("errors (", label, "): ", absl::StrJoin(errors, " "), "\n");
}

}  // namespace

std::string StatusCodeName(absl::StatusCode code) {
  // absl and gRPC share the numbering and the "NOT_FOUND" spelling; codes
  // outside the enum (a misbehaving server) still get a readable name.
  std::string name = absl::StatusCodeToString(code);
  if (name.empty()) return absl::StrCat("CODE_", static_cast<int>(code));
  return name;
}

std::string FormatText(const BenchmarkResult& result) {
  const BenchmarkConfig& c = result.config;
  std::string out = absl::StrFormat(
      "oe_loadgen %s %s  concurrency=%d duration=%s warmup=%s deadline=%s "
      "rounds=%d\n",
      c.target, result.path, c.concurrency, absl::FormatDuration(c.duration),
      absl::FormatDuration(c.warmup), absl::FormatDuration(c.deadline), c.rounds);
  absl::StrAppendFormat(&out, "%-8s %10s %10s %9s %9s %9s %9s %9s %8s\n", "run", "calls", "qps",
                        "p50", "p90", "p99", "p99.9", "max", "errors");
  absl::StrAppend(&out, TextRow("target", result.target));
  if (result.baseline.has_value()) {
    absl::StrAppend(&out, TextRow("health", *result.baseline));
  }
  absl::StrAppend(&out, TextErrors("target", result.target));
  if (result.baseline.has_value()) {
    absl::StrAppend(&out, TextErrors("health", *result.baseline));
    std::optional<double> qps = result.QpsRatio();
    std::optional<double> p99 = result.P99Ratio();
    absl::StrAppend(&out, "ratio target/health: qps ",
                    qps.has_value() ? absl::StrFormat("%.3f", *qps) : "n/a", "  p99 ",
                    p99.has_value() ? absl::StrFormat("%.3f", *p99) : "n/a", "\n");
  }
  return out;
}

std::string FormatJson(const BenchmarkResult& result) {
  const BenchmarkConfig& c = result.config;
  std::string out = absl::StrCat(
      "{\"target\":", JsonString(c.target), ",\"method\":", JsonString(result.path),
      ",\"concurrency\":", c.concurrency,
      ",\"duration_s\":", JsonNumber(absl::ToDoubleSeconds(c.duration)),
      ",\"warmup_s\":", JsonNumber(absl::ToDoubleSeconds(c.warmup)),
      ",\"deadline_s\":", JsonNumber(absl::ToDoubleSeconds(c.deadline)), ",\"rounds\":", c.rounds,
      ",\"runs\":{\"target\":", JsonRun(result.target, result.path));
  if (result.baseline.has_value()) {
    absl::StrAppend(&out, ",\"baseline\":", JsonRun(*result.baseline, kHealthCheckPath), "}",
                    ",\"ratio\":{\"qps\":", JsonOptional(result.QpsRatio()),
                    ",\"p99\":", JsonOptional(result.P99Ratio()), "}");
  } else {
    absl::StrAppend(&out, "}");
  }
  return out + "}";
}

}  // namespace openencoder::loadgen
