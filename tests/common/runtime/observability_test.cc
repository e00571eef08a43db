// Metrics and trace context from the one place that installs them (server
// bootstrap and channel factory), against real gRPC on loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <prometheus/text_serializer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/request_id.h"
#include "services/common/server.h"
#include "services/common/trace_context.h"

namespace openencoder::common {
namespace {

namespace sv1 = ::openencoder::search::v1;

TEST(TraceParent, ParsesVersionZeroAndRoundTrips) {
  auto t = ParseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(t->span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(t->sampled);
  EXPECT_EQ(t->ToTraceParent(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  // A later version may carry more fields after its first four.
  EXPECT_TRUE(ParseTraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra")
                  .has_value());
}

TEST(TraceParent, RefusesMalformedAndAllZeroIds) {
  for (const char* bad : {"", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
                          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                          "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
                          "00-4bf92f3577b34da6a3ce929d0e0e4736\n00f067aa0ba902b7-01"}) {
    EXPECT_FALSE(ParseTraceParent(bad).has_value()) << bad;
  }
}

TEST(TraceParent, NewTracesAreValidAndChildrenKeepTheTraceId) {
  TraceContext root = NewTraceContext();
  ASSERT_TRUE(ParseTraceParent(root.ToTraceParent()).has_value());
  TraceContext child = ChildOf(root);
  EXPECT_EQ(child.trace_id, root.trace_id);
  EXPECT_NE(child.span_id, root.span_id);
}

TEST(ActiveTrace, IsFoundByRequestIdWhileAliveAndNestedRegistrationsKeepTheFirst) {
  TraceContext first = NewTraceContext();
  {
    ActiveTrace outer("rid-nested", first);
    {
      ActiveTrace inner("rid-nested", NewTraceContext());
      EXPECT_EQ(TraceOfRequest("rid-nested")->trace_id, first.trace_id);
    }
    EXPECT_EQ(TraceOfRequest("rid-nested")->trace_id, first.trace_id);
  }
  EXPECT_FALSE(TraceOfRequest("rid-nested").has_value());
  EXPECT_FALSE(TraceOfRequest("").has_value());
}

// Lookup answers NOT_FOUND and records what the server saw: the incoming
// traceparent and the trace registered for the call's request id.
class RecordingService final : public sv1::SearchService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* context, const sv1::LookupRequest*,
                                   sv1::LookupResponse*) override {
    auto it = context->client_metadata().find(kTraceParentHeader);
    std::optional<TraceContext> registered = TraceOfRequest(RequestIdOf(*context));
    {
      absl::MutexLock lock(&mu_);
      incoming_ = it == context->client_metadata().end()
                      ? ""
                      : std::string(it->second.data(), it->second.size());
      registered_ = registered.has_value() ? registered->trace_id : "";
    }
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::NOT_FOUND, "no such code"));
    return reactor;
  }
  std::string incoming() {
    absl::MutexLock lock(&mu_);
    return incoming_;
  }
  std::string registered() {
    absl::MutexLock lock(&mu_);
    return registered_;
  }

 private:
  absl::Mutex mu_;
  std::string incoming_ ABSL_GUARDED_BY(mu_);
  std::string registered_ ABSL_GUARDED_BY(mu_);
};

class ObservabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.service_name = "observed";
    auto running = RunningServer::Start(options, {Bind<sv1::SearchService>(&service_)});
    ASSERT_TRUE(running.ok()) << running.status();
    server_ = std::move(*running);
    stub_ = sv1::SearchService::NewStub(MakeChannel(server_->address()));
  }

  grpc::StatusCode Lookup(const std::string& request_id) {
    sv1::LookupRequest request;
    request.set_code("X");
    sv1::LookupResponse response;
    auto context = MakeClientContext(absl::Seconds(5), request_id);
    return stub_->Lookup(context.get(), request, &response).error_code();
  }

  RecordingService service_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<sv1::SearchService::Stub> stub_;
};

TEST_F(ObservabilityTest, CallsOfARequestBeingServedCarryItsTraceAsAChildSpan) {
  TraceContext gateway_span = NewTraceContext();
  ActiveTrace active("rid-traced", gateway_span);
  EXPECT_EQ(Lookup("rid-traced"), grpc::NOT_FOUND);
  auto seen = ParseTraceParent(service_.incoming());
  ASSERT_TRUE(seen.has_value()) << service_.incoming();
  EXPECT_EQ(seen->trace_id, gateway_span.trace_id);
  EXPECT_NE(seen->span_id, gateway_span.span_id);
  // The server registered the same trace for its handler's own calls.
  EXPECT_EQ(service_.registered(), gateway_span.trace_id);
}

TEST_F(ObservabilityTest, CallsOutsideAnyRequestSendNoTraceAndTheServerStartsOne) {
  EXPECT_EQ(Lookup("rid-untraced"), grpc::NOT_FOUND);
  EXPECT_EQ(service_.incoming(), "");
  EXPECT_EQ(service_.registered().size(), 32u);
}

// The value of the sample of `name` whose labels include all of `labels`.
double Sample(const std::string& text, const std::string& name,
              const std::vector<std::string>& labels) {
  double total = 0;
  bool found = false;
  size_t pos = 0;
  while ((pos = text.find(name + "{", pos)) != std::string::npos) {
    size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    pos = end;
    bool all = true;
    for (const std::string& l : labels) all = all && absl::StrContains(line, l);
    if (!all) continue;
    total += std::stod(line.substr(line.rfind(' ') + 1));
    found = true;
  }
  return found ? total : -1;
}

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: x\r\n\r\n");
  EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) out.append(buf, n);
  close(fd);
  return out;
}

TEST_F(ObservabilityTest, AdminPortServesPerRpcCountsLatencyAndInFlightOnBothSides) {
  ASSERT_TRUE(MetricsEnabled());
  const std::string method = "grpc_method=\"Lookup\"";
  const std::string code = "grpc_code=\"NOT_FOUND\"";
  auto admin = AdminServer::Start("127.0.0.1:0");
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_GT((*admin)->port(), 0);
  std::string before = HttpGet((*admin)->port(), "/metrics");
  double handled_before =
      std::max(0.0, Sample(before, "grpc_server_handled_total", {method, code}));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Lookup(absl::StrCat("rid-m", i)), grpc::NOT_FOUND);

  std::string text = HttpGet((*admin)->port(), "/metrics");
  ASSERT_TRUE(absl::StrContains(text, "200 OK")) << text.substr(0, 200);
  EXPECT_EQ(Sample(text, "grpc_server_handled_total", {method, code}), handled_before + 3);
  EXPECT_GE(Sample(text, "grpc_client_handled_total", {method, code}), 3);
  EXPECT_GE(Sample(text, "grpc_server_started_total", {method}), 3);
  EXPECT_EQ(Sample(text, "grpc_server_in_flight_requests", {method}), 0);
  // Sub-millisecond buckets exist, and every call falls in the last one.
  EXPECT_GE(Sample(text, "grpc_server_handling_seconds_bucket", {method, "le=\"0.0001\""}), 0);
  EXPECT_GE(Sample(text, "grpc_server_handling_seconds_bucket", {method, "le=\"+Inf\""}), 3);
  EXPECT_TRUE(absl::StrContains(text, "grpc_service=\"openencoder.search.v1.SearchService\""));
}

TEST(AdminServer, BusyAddressIsUnavailableAndBadAddressInvalid) {
  auto first = AdminServer::Start("127.0.0.1:0");
  ASSERT_TRUE(first.ok());
  auto second = AdminServer::Start(absl::StrCat("127.0.0.1:", (*first)->port()));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(AdminServer::Start("no-port").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Log, LinesWithTheRequestIdOfAServedRequestNameItsTrace) {
  // Capture stderr in a temporary file for the two lines.
  std::FILE* capture = std::tmpfile();
  ASSERT_NE(capture, nullptr);
  int saved = dup(STDERR_FILENO);
  dup2(fileno(capture), STDERR_FILENO);
  TraceContext trace = NewTraceContext();
  {
    ActiveTrace active("rid-log", trace);
    LogInfo("inside", {{"request_id", "rid-log"}});
  }
  LogInfo("after", {{"request_id", "rid-log"}});
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::rewind(capture);
  std::string text;
  char buf[1024];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), capture)) > 0;) text.append(buf, n);
  std::fclose(capture);
  size_t newline = text.find('\n');
  ASSERT_NE(newline, std::string::npos) << text;
  EXPECT_TRUE(absl::StrContains(text.substr(0, newline),
                                absl::StrCat("\"trace_id\":\"", trace.trace_id, "\"")))
      << text;
  EXPECT_FALSE(absl::StrContains(text.substr(newline), "trace_id")) << text;
}

}  // namespace
}  // namespace openencoder::common
