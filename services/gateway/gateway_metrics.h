// The gateway's own metrics (the per-RPC ones of its backend calls come
// from common's channel interceptor):
//
//   oe_gateway_http_requests_total{route,method,status}
//   oe_gateway_http_request_duration_seconds{route}        (histogram)
//   oe_gateway_open_connections                            (accepted, not closed)
//   oe_gateway_rejected_total{reason}   rate_limit | csrf | body_size |
//                                       connections (per-network cap) | overload (queue full)
//
// `route` is a route's path template ("/api/v1/codes/{code}"), "static" for
// the web client's files or "unmatched" — never the path itself, which
// holds codes and search terms.
#ifndef OPENENCODER_SERVICES_GATEWAY_GATEWAY_METRICS_H_
#define OPENENCODER_SERVICES_GATEWAY_GATEWAY_METRICS_H_

#include <prometheus/gauge.h>

#include <string>

namespace openencoder::gateway {

void RecordHttpRequest(const std::string& route, const std::string& method, int status,
                       double seconds);

// reason: "rate_limit", "csrf", "body_size", "connections" or "overload".
void RecordRejected(const std::string& reason);

prometheus::Gauge& OpenConnections();

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_GATEWAY_METRICS_H_
