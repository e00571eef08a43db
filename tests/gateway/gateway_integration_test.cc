// The gateway over real HTTP (cpp-httplib client) in front of the real
// services (tests/support/inprocess_services.h: account on a real Redis,
// catalogue on the demo data, search over the catalogue), all over real gRPC
// on loopback: cookies, CSRF, the meter through sessions, lay-term search,
// status mapping (400/401/404/429/503), request-id pass-through, body
// limits, and idle or slow connections that must not stall anyone.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/metrics.h"
#include "services/common/tls.h"
#include "services/gateway/account_routes.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "services/gateway/jobs_routes.h"
#include "services/gateway/search_routes.h"
#include "tests/gateway/test_front.h"
#include "tests/support/capturing_mail_sender.h"
#include "tests/support/inprocess_suite_test.h"
#include "tests/support/source_paths.h"

namespace openencoder::gateway {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The x-request-id of every call that reaches the server it is installed on.
class RequestIdLog {
 public:
  void Add(std::string id) {
    absl::MutexLock lock(&mu_);
    ids_.push_back(std::move(id));
  }
  std::vector<std::string> ids() const {
    absl::MutexLock lock(&mu_);
    return ids_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> ids_ ABSL_GUARDED_BY(mu_);
};

// Records each call's x-request-id, and its traceparent as
// "traceparent:<value>".
class RequestIdRecorder : public grpc::experimental::Interceptor {
 public:
  explicit RequestIdRecorder(RequestIdLog* log) : log_(log) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find("x-request-id");
      if (it != metadata->end()) log_->Add(std::string(it->second.data(), it->second.size()));
      it = metadata->find("traceparent");
      if (it != metadata->end()) {
        log_->Add("traceparent:" + std::string(it->second.data(), it->second.size()));
      }
    }
    methods->Proceed();
  }

 private:
  RequestIdLog* log_;
};

class RequestIdRecorderFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RequestIdRecorderFactory(RequestIdLog* log) : log_(log) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new RequestIdRecorder(log_);
  }

 private:
  RequestIdLog* log_;
};

constexpr char kPassword[] = "purple-otter-tuesday";

class GatewayIntegrationTest : public test_support::InProcessSuiteTest {
 protected:
  static void SetUpTestSuite() {
    StartSuite([](test_support::InProcessOptions& options) {
      options.account.emplace().common_passwords_file =
          test_support::SourcePath("data/account/common_passwords.txt");
      auto mail = std::make_unique<test_support::CapturingMailSender>();
      mail_ = mail.get();
      options.account->mail_sender = std::move(mail);
      account::AccountConfig& config = options.account->config;
      // Every test is a new browser on 127.0.0.1; the default cap of 5 guest
      // sessions per address and day would end the suite early.
      config.guests_per_address_per_day = 1000;
      config.registrations_per_address_per_day = 1000;
      config.login_failures_per_email = 3;
      config.hash_workers = 2;
      options.catalogue.emplace();             // the demo data, metered by the account service
      options.search.emplace().serve = false;  // hosted per test, below
    });
  }

  void SetUp() override {
    ASSERT_NE(suite_, nullptr);
    // Search is hosted here, per test, so a test can stop it and can see
    // the metadata that arrives with each call.
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int search_port = 0;
    builder.AddListeningPort("127.0.0.1:0", *common::MakeServerCredentials("search"), &search_port);
    builder.RegisterService(suite_->search_service());
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(std::make_unique<RequestIdRecorderFactory>(&search_ids_));
    builder.experimental().SetInterceptorCreators(std::move(creators));
    search_server_ = builder.BuildAndStart();
    ASSERT_NE(search_server_, nullptr);

    // Nothing listens on port 1: the jobs routes are wired but unused here.
    backends_ =
        ConnectBackends({suite_->catalogue_address(), "127.0.0.1:" + std::to_string(search_port),
                         suite_->account_address(), "127.0.0.1:1"},
                        absl::Seconds(3));
    HttpServerOptions options;
    options.threads = 4;
    // Every test client is 127.0.0.1; one test holds 350 connections.
    options.max_connections_per_network = 1000;
    ASSERT_NO_FATAL_FAILURE(
        front_.Start(RoutesOf(backends_, {&SearchRoutes, &CodeRoutes, &AccountRoutes, &JobsRoutes}),
                     GatewayOptions{.access_log = false}, options));
    client_ = std::make_unique<httplib::Client>(front_.origin);
  }

  void TearDown() override {
    front_.Shutdown();
    if (search_server_) search_server_->Shutdown();
  }

  // Remembers Set-Cookie values like a browser (name=value only).
  void Absorb(const httplib::Result& r) {
    for (const auto& [k, v] : r->headers) {
      if (k != "Set-Cookie") continue;
      std::string pair = v.substr(0, v.find(';'));
      std::string name = pair.substr(0, pair.find('='));
      cookies_[name] = pair.substr(pair.find('=') + 1);
    }
  }
  httplib::Headers Headers(bool with_csrf = false) {
    std::string cookie;
    for (const auto& [k, v] : cookies_) {
      if (!v.empty()) cookie += k + "=" + v + "; ";
    }
    httplib::Headers h = {{"Cookie", cookie}, {"Origin", front_.origin}};
    if (with_csrf) h.emplace("X-CSRF-Token", cookies_["oe_csrf"]);
    return h;
  }
  // As the web client: the CSRF header on reads too, once the cookie is
  // known (a metered page read needs it to spend a view).
  httplib::Result Get(const std::string& path) {
    auto r = client_->Get(path, Headers(!cookies_["oe_csrf"].empty()));
    if (r) Absorb(r);
    return r;
  }
  httplib::Result Post(const std::string& path, const std::string& body, bool csrf = true) {
    auto r = client_->Post(path, Headers(csrf), body, "application/json");
    if (r) Absorb(r);
    return r;
  }
  static std::string UniqueEmail(const std::string& who) {
    static int n = 0;
    return who + "-" + std::to_string(++n) + "@example.com";
  }

  static test_support::CapturingMailSender* mail_;
  RequestIdLog search_ids_;
  std::unique_ptr<grpc::Server> search_server_;
  Backends backends_;
  TestFront front_;
  std::unique_ptr<httplib::Client> client_;
  std::map<std::string, std::string> cookies_;
};

test_support::CapturingMailSender* GatewayIntegrationTest::mail_ = nullptr;

TEST_F(GatewayIntegrationTest, FirstVisitGetsGuestSessionInHttpOnlyLaxCookie) {
  auto r = client_->Get("/api/v1/session");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  std::string token;
  for (const auto& [k, v] : r->headers) {
    if (k == "Set-Cookie" && v.rfind("oe_session=", 0) == 0) {
      token = v.substr(11, v.find(';') - 11);
      EXPECT_NE(v.find("HttpOnly"), std::string::npos) << v;
      EXPECT_NE(v.find("SameSite=Lax"), std::string::npos) << v;
      EXPECT_NE(v.find("Path=/"), std::string::npos) << v;
      EXPECT_NE(v.find("Max-Age="), std::string::npos) << v;
      EXPECT_EQ(v.find("Secure"), std::string::npos) << "plain HTTP without a TLS proxy: " << v;
    }
  }
  ASSERT_FALSE(token.empty()) << "no oe_session cookie";
  EXPECT_NE(r->body.find("\"signedIn\":false"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("\"viewsRemaining\":1"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find(token), std::string::npos) << "the token must not be in the body";
}

TEST_F(GatewayIntegrationTest, SearchFindsTheLayTermsTheBrowserScenarioTypes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"heart+attack", "\"code\":\"I21"},
      {"sugar+diabetes", "\"code\":\"E11"},
      {"broken+wrist", "\"code\":\"S52"},
      {"flu+shot", "nfluenza"}};
  for (const auto& [query, expected] : cases) {
    auto r = Get("/api/v1/search?query=" + query + "&pageSize=10");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << query << ": " << r->body;
    EXPECT_NE(r->body.find(expected), std::string::npos) << query << ": " << r->body;
  }
}

TEST_F(GatewayIntegrationTest, GuestMeterRunsOutThenRegisteringAndConfirmingGivesFiveMore) {
  ASSERT_EQ(Get("/api/v1/session")->status, 200);
  auto first = Get("/api/v1/codes/I21.3");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_NE(first->body.find("\"page\""), std::string::npos) << first->body;
  EXPECT_NE(first->body.find("\"viewsRemaining\":0"), std::string::npos) << first->body;
  auto second = Get("/api/v1/codes/E11.9");
  ASSERT_EQ(second->status, 200);
  EXPECT_NE(second->body.find("\"teaser\""), std::string::npos) << second->body;
  EXPECT_EQ(second->body.find("\"page\""), std::string::npos) << second->body;
  EXPECT_NE(second->body.find("\"viewsRemaining\":0"), std::string::npos) << second->body;

  const std::string email = UniqueEmail("coder");
  auto reg =
      Post("/api/v1/account/register", R"({"email":")" + email + R"(","password":")" + kPassword +
                                           R"(","displayName":"C","role":"ROLE_CODER"})");
  ASSERT_EQ(reg->status, 200) << reg->body;
  EXPECT_EQ(reg->body.find(cookies_["oe_session"]), std::string::npos) << "token leaked";
  // The 5 more views come with a confirmed address.
  auto unconfirmed = Get("/api/v1/codes/E11.9");
  EXPECT_NE(unconfirmed->body.find("\"teaser\""), std::string::npos) << unconfirmed->body;
  EXPECT_NE(unconfirmed->body.find("Confirm your email address"), std::string::npos)
      << unconfirmed->body;
  const std::string token =
      mail_->WaitForLink(email, "http://localhost:8080/verify-email.html?token=");
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(Post("/api/v1/account/verify-email", R"({"token":")" + token + R"("})")->status, 200);
  const char* codes[] = {"E11.9", "I10", "R51.9", "E11.65", "S52.501A"};
  for (int i = 0; i < 5; ++i) {
    auto page = Get(std::string("/api/v1/codes/") + codes[i]);
    ASSERT_EQ(page->status, 200) << codes[i];
    EXPECT_NE(page->body.find("\"page\""), std::string::npos) << codes[i] << page->body;
    EXPECT_NE(page->body.find("\"viewsRemaining\":" + std::to_string(4 - i)), std::string::npos)
        << codes[i] << ": " << page->body;
  }

  ASSERT_EQ(Post("/api/v1/account/logout", "{}")->status, 200);
  EXPECT_EQ(cookies_["oe_session"], "");
  auto login = Post("/api/v1/account/login",
                    R"({"email":")" + email + R"(","password":")" + kPassword + R"("})");
  ASSERT_EQ(login->status, 200) << login->body;
  auto session = Get("/api/v1/session");
  EXPECT_NE(session->body.find("\"signedIn\":true"), std::string::npos) << session->body;
  EXPECT_NE(session->body.find("\"viewsRemaining\":0"), std::string::npos) << session->body;
}

TEST_F(GatewayIntegrationTest, PostWithoutCsrfHeaderIs403) {
  Get("/api/v1/session");
  const std::string claim = R"({"lines":[{"code":"99213","units":1}]})";
  auto r = Post("/api/v1/claims/check", claim, /*csrf=*/false);
  EXPECT_EQ(r->status, 403) << r->body;
  auto ok = Post("/api/v1/claims/check", claim, /*csrf=*/true);
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST_F(GatewayIntegrationTest, StatusesMapToHttpWithReadableBodies) {
  Get("/api/v1/session");
  auto bad = Post("/api/v1/account/register",
                  R"({"email":")" + UniqueEmail("short") + R"(","password":"short"})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("at least 8 characters"), std::string::npos) << bad->body;
  auto missing = Get("/api/v1/codes/Z99.99");
  EXPECT_EQ(missing->status, 404) << missing->body;

  // Three wrong passwords are the limit in this suite; the fourth attempt is
  // refused with the time until the window resets.
  const std::string login = R"({"email":"nobody@example.com","password":"whatever12"})";
  for (int i = 0; i < 3; ++i) {
    auto wrong = Post("/api/v1/account/login", login);
    EXPECT_EQ(wrong->status, 401) << wrong->body;
  }
  auto limited = Post("/api/v1/account/login", login);
  EXPECT_EQ(limited->status, 429) << limited->body;
  long long seconds = 0;
  ASSERT_TRUE(absl::SimpleAtoi(limited->get_header_value("Retry-After"), &seconds))
      << limited->get_header_value("Retry-After");
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, 15 * 60);
}

TEST_F(GatewayIntegrationTest, StoppedSearchServiceIs503WithRetryAfter) {
  ASSERT_EQ(Get("/api/v1/search?query=headache")->status, 200);
  search_server_->Shutdown();
  auto down = Get("/api/v1/search?query=headache");
  EXPECT_EQ(down->status, 503) << down->body;
  EXPECT_NE(down->body.find("search service"), std::string::npos) << down->body;
  EXPECT_FALSE(down->get_header_value("Retry-After").empty());
}

// The search routes are answered from the completion thread (AsyncRpcRoute): bad
// input is refused with a readable 400 before any call, a code that does not
// exist is a 404, and suggest answers like search.
TEST_F(GatewayIntegrationTest, SearchRoutesRefuseBadInputAndNameMissingCodes) {
  const std::vector<std::string> bad = {"/api/v1/search?query=heart&pageSize=ten",
                                        "/api/v1/search?nosuch=1",
                                        "/api/v1/suggest?prefix=diab&sessionToken=x"};
  for (size_t i = 0; i < bad.size(); ++i) {
    const std::string& path = bad[i];
    const std::string id = absl::StrCat("bad-input-", i);
    auto r = client_->Get(path, httplib::Headers{{"X-Request-Id", id}});
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400) << path << ": " << r->body;
    EXPECT_NE(r->body.find("parameter '"), std::string::npos) << path << ": " << r->body;
    EXPECT_EQ(r->get_header_value("X-Request-Id"), id) << path;
    auto ids = search_ids_.ids();
    EXPECT_EQ(std::find(ids.begin(), ids.end(), id), ids.end()) << path << " reached the backend";
  }
  auto missing = Get("/api/v1/lookup/ZZZ.999");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404) << missing->body;
  auto suggest = Get("/api/v1/suggest?prefix=diab");
  ASSERT_TRUE(suggest);
  EXPECT_EQ(suggest->status, 200) << suggest->body;
  EXPECT_NE(suggest->body.find("iabetes"), std::string::npos) << suggest->body;
}

TEST_F(GatewayIntegrationTest, RequestIdReachesTheBackend) {
  httplib::Headers h = {{"X-Request-Id", "e2e-trace-42"}};
  auto r = client_->Get("/api/v1/search?query=heart", h);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "e2e-trace-42");
  auto ids = search_ids_.ids();
  EXPECT_NE(std::find(ids.begin(), ids.end(), "e2e-trace-42"), ids.end());

  httplib::Headers unsafe = {{"X-Request-Id", "no spaces or ; allowed"}};
  auto made = client_->Get("/api/v1/search?query=heart", unsafe);
  ASSERT_EQ(made->status, 200);
  const std::string id = made->get_header_value("X-Request-Id");
  EXPECT_FALSE(id.empty());
  EXPECT_NE(id, "no spaces or ; allowed");
  ids = search_ids_.ids();
  EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << "the made id is passed on too";
}

// The search routes call search on a channel without the per-call
// interceptor (rpc_route.h WireCall): they send the traceparent and count
// the call themselves, as the interceptor does for every other route.
TEST_F(GatewayIntegrationTest, SearchCallsCarryTheTraceAndAreCounted) {
  auto handled = [] {
    double total = 0;
    for (const auto& family : common::MetricsRegistry()->Collect()) {
      if (family.name != "grpc_client_handled_total") continue;
      for (const auto& metric : family.metric) {
        int matched = 0;
        for (const auto& label : metric.label) {
          matched += (label.name == "grpc_service" &&
                      label.value == "openencoder.search.v1.SearchService") ||
                     (label.name == "grpc_method" && label.value == "Search") ||
                     (label.name == "grpc_code" && label.value == "OK");
        }
        if (matched == 3) total += metric.counter.value;
      }
    }
    return total;
  };
  const double before = handled();
  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  httplib::Headers h = {{"traceparent", "00-" + trace_id + "-00f067aa0ba902b7-01"}};
  auto r = client_->Get("/api/v1/search?query=heart", h);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Trace-Id"), trace_id);
  bool traced = false;
  for (const std::string& seen : search_ids_.ids()) {
    traced = traced || absl::StartsWith(seen, "traceparent:00-" + trace_id + "-");
  }
  EXPECT_TRUE(traced) << "search saw no traceparent of the request's trace";
  if (common::MetricsEnabled()) {
    EXPECT_EQ(handled(), before + 1);
  }
}

TEST_F(GatewayIntegrationTest, OversizedBodyIs413) {
  Get("/api/v1/session");
  std::string body = "{\"email\":\"" + std::string(100 * 1024, 'a') + "\"}";
  auto r = Post("/api/v1/account/login", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

// A thread per connection stalled once its threads sat on idle keep-alive
// connections. With 300 idle and 50 slow-header connections open, /healthz
// and a real search still answer (generous deadline: answered at all, not
// a speed test; speed is bench/gateway's).
TEST_F(GatewayIntegrationTest, IdleAndSlowHeaderConnectionsLeaveHealthzAndSearchAnswering) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(front_.server->port()));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  std::vector<int> held;
  for (int i = 0; i < 350; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0) << i;
    held.push_back(fd);
    if (i >= 300) {
      const std::string partial = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ";
      ASSERT_EQ(write(fd, partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
    }
  }
  httplib::Client fresh(front_.origin);
  fresh.set_read_timeout(5, 0);
  auto health = fresh.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  auto search = fresh.Get("/api/v1/search?query=heart%20attack&pageSize=5");
  ASSERT_TRUE(search) << httplib::to_string(search.error());
  EXPECT_EQ(search->status, 200) << search->body;
  EXPECT_NE(search->body.find("\"code\":\"I21"), std::string::npos) << search->body;
  for (int fd : held) close(fd);
}

}  // namespace
}  // namespace openencoder::gateway
