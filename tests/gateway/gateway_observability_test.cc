// The gateway's metrics and trace context, through Gateway::Handle without
// sockets: route labels are templates, CSRF refusals are counted, the trace
// of a request is joined or started, answered in X-Trace-Id and named in
// error bodies.
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "absl/strings/match.h"
#include "services/common/metrics.h"
#include "services/common/trace_context.h"
#include "services/gateway/backends.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/gateway.h"

namespace openencoder::gateway {
namespace {

std::string Scrape() {
  return prometheus::TextSerializer().Serialize(common::MetricsRegistry()->Collect());
}

// The value of the one sample line that starts with `series`, or -1.
double Value(const std::string& text, const std::string& series) {
  size_t at = text.find(series + " ");
  if (at == std::string::npos) return -1;
  size_t end = text.find('\n', at);
  return std::stod(text.substr(at + series.size() + 1, end - at - series.size() - 1));
}

class GatewayObservabilityTest : public ::testing::Test {
 protected:
  // Nothing listens on port 1: every backend call fails fast with UNAVAILABLE.
  GatewayObservabilityTest()
      : backends_(ConnectBackends({"127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1"},
                                  absl::Seconds(2))),
        gateway_(GatewayOptions{.access_log = false}, CodeRoutes(backends_), nullptr) {}

  static HttpRequest Request(std::string method, std::string path) {
    HttpRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.client_address = "127.0.0.1";
    r.headers["host"] = "127.0.0.1:8080";
    return r;
  }

  Backends backends_;
  Gateway gateway_;
};

TEST_F(GatewayObservabilityTest, RequestsAreCountedByRouteTemplateNeverByPath) {
  gateway_.Handle(Request("GET", "/api/v1/codes/E119"));
  gateway_.Handle(Request("GET", "/no/such/page"));
  gateway_.Handle(Request("GET", "/healthz"));
  std::string text = Scrape();
  EXPECT_GE(Value(text,
                  "oe_gateway_http_requests_total{method=\"GET\",route=\"/api/v1/codes/"
                  "{code}\",status=\"503\"}"),
            1)
      << text;
  EXPECT_GE(
      Value(text,
            "oe_gateway_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"),
      1);
  EXPECT_GE(
      Value(text,
            "oe_gateway_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
      1);
  EXPECT_FALSE(absl::StrContains(text, "E119"));
  EXPECT_FALSE(absl::StrContains(text, "/no/such/page"));
  EXPECT_GE(Value(text, "oe_gateway_http_request_duration_seconds_count{route=\"/healthz\"}"), 1);
}

// Each thread keeps the metric children it used (gateway_metrics.cc): a
// repeated request still counts once per request, in the counter and in
// the latency histogram.
TEST_F(GatewayObservabilityTest, RepeatedRequestsCountEveryTime) {
  const char* counter =
      "oe_gateway_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}";
  const char* histogram = "oe_gateway_http_request_duration_seconds_count{route=\"/healthz\"}";
  gateway_.Handle(Request("GET", "/healthz"));
  std::string text = Scrape();
  const double counted = Value(text, counter), observed = Value(text, histogram);
  for (int i = 0; i < 3; ++i) gateway_.Handle(Request("GET", "/healthz"));
  text = Scrape();
  EXPECT_EQ(Value(text, counter), counted + 3) << text;
  EXPECT_EQ(Value(text, histogram), observed + 3) << text;
}

TEST_F(GatewayObservabilityTest, CsrfRefusalsAreCountedAsRejected) {
  const double before =
      std::max(0.0, Value(Scrape(), "oe_gateway_rejected_total{reason=\"csrf\"}"));
  HttpRequest post = Request("POST", "/api/v1/claims/check");
  post.headers["origin"] = "https://evil.example";
  EXPECT_EQ(gateway_.Handle(post).status, 403);
  EXPECT_EQ(Value(Scrape(), "oe_gateway_rejected_total{reason=\"csrf\"}"), before + 1);
}

TEST_F(GatewayObservabilityTest, AnIncomingTraceIsJoinedAndNamedInTheErrorBody) {
  HttpRequest r = Request("GET", "/api/v1/codes/E119");
  r.headers["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  HttpResponse response = gateway_.Handle(r);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.HeaderValue("X-Trace-Id"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_TRUE(absl::StrContains(response.body, "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\""))
      << response.body;
  // Served and done: nothing stays registered under its request id.
  EXPECT_FALSE(common::TraceOfRequest(response.HeaderValue("X-Request-Id")).has_value());
}

TEST_F(GatewayObservabilityTest, WithoutAValidTraceparentTheGatewayStartsATrace) {
  HttpRequest r = Request("GET", "/nothing-here");
  r.headers["traceparent"] = "00-not-a-trace";
  HttpResponse response = gateway_.Handle(r);
  const std::string trace_id = response.HeaderValue("X-Trace-Id");
  ASSERT_EQ(trace_id.size(), 32u);
  EXPECT_TRUE(absl::StrContains(response.body, "\"traceId\":\"" + trace_id + "\""));
  EXPECT_NE(trace_id, gateway_.Handle(Request("GET", "/nothing-here")).HeaderValue("X-Trace-Id"));
}

}  // namespace
}  // namespace openencoder::gateway
