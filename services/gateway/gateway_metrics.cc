#include "services/gateway/gateway_metrics.h"

#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "services/common/metrics.h"

namespace openencoder::gateway {
namespace {

// The child `cache` keeps for `key`, or the one `add` gives, kept while the
// cache is under a bound (whatever methods strangers send).
template <class Map, class Key, class Add>
auto* CachedChild(Map& cache, Key key, Add add) {
  constexpr size_t kMaxCached = 1024;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto* child = &add();
  if (cache.size() < kMaxCached) cache.emplace(std::move(key), child);
  return child;
}

}  // namespace

void RecordHttpRequest(const std::string& route, const std::string& method, int status,
                       double seconds) {
  static auto& requests = common::Counters("oe_gateway_http_requests_total",
                                           "HTTP requests by route, method and status");
  static auto& latency = common::Histograms("oe_gateway_http_request_duration_seconds",
                                            "HTTP request latency by route, until the response "
                                            "is ready (streamed bodies excluded)");
  // Family::Add builds a label map, hashes it and takes the family's lock;
  // children are never removed, so each thread keeps the ones it used.
  thread_local absl::flat_hash_map<std::tuple<std::string, std::string, int>, prometheus::Counter*>
      counters;
  thread_local absl::flat_hash_map<std::string, prometheus::Histogram*> histograms;
  CachedChild(counters, std::make_tuple(route, method, status), [&]() -> prometheus::Counter& {
    return requests.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}});
  })->Increment();
  CachedChild(histograms, route, [&]() -> prometheus::Histogram& {
    return common::LatencyHistogram(latency, {{"route", route}});
  })->Observe(seconds);
}

void RecordRejected(const std::string& reason) {
  static auto& rejected = common::Counters("oe_gateway_rejected_total",
                                           "Requests refused before or by a backend, by reason");
  rejected.Add({{"reason", reason}}).Increment();
}

prometheus::Gauge& OpenConnections() {
  static auto& gauge =
      common::Gauges("oe_gateway_open_connections", "Accepted HTTP connections not yet closed");
  static auto& open = gauge.Add({});
  return open;
}

}  // namespace openencoder::gateway
