#include "services/gateway/gateway_metrics.h"

#include "services/common/metrics.h"

namespace openencoder::gateway {

void RecordHttpRequest(const std::string& route, const std::string& method, int status,
                       double seconds) {
  static auto& requests = common::Counters("oe_gateway_http_requests_total",
                                           "HTTP requests by route, method and status");
  static auto& latency = common::Histograms("oe_gateway_http_request_duration_seconds",
                                            "HTTP request latency by route, until the response "
                                            "is ready (streamed bodies excluded)");
  requests.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}})
      .Increment();
  common::LatencyHistogram(latency, {{"route", route}}).Observe(seconds);
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
