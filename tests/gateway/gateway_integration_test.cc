// The gateway over real HTTP (cpp-httplib client) and real gRPC to the
// in-process fakes of fake_backends.h: cookies, CSRF, metering through the
// session, status mapping and request-id pass-through end to end.
#include <httplib.h>
#include <gtest/gtest.h>

#include "services/gateway/account_routes.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "services/gateway/jobs_routes.h"
#include "services/gateway/search_routes.h"
#include "tests/gateway/fake_backends.h"

namespace openencoder::gateway {
namespace {

class GatewayIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fakes = testing::FakeBackends::Start();
    ASSERT_TRUE(fakes.ok()) << fakes.status();
    fakes_ = *std::move(fakes);
    // The jobs service is "down": nothing listens on port 1.
    backends_ = ConnectBackends({fakes_->address(), fakes_->address(), fakes_->address(),
                                 "127.0.0.1:1"},
                                absl::Seconds(3));
    std::vector<Route> routes;
    for (auto* area : {&SearchRoutes, &CodeRoutes, &AccountRoutes, &JobsRoutes}) {
      for (Route& r : (*area)(backends_)) routes.push_back(std::move(r));
    }
    gateway_ = std::make_unique<Gateway>(GatewayOptions{.access_log = false}, std::move(routes),
                                         nullptr);
    HttpServerOptions options;
    options.port = 0;
    options.threads = 4;
    auto server = HttpServer::Start(options, gateway_.get());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    origin_ = "http://127.0.0.1:" + std::to_string(server_->port());
    client_ = std::make_unique<httplib::Client>(origin_);
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
    httplib::Headers h = {{"Cookie", cookie}, {"Origin", origin_}};
    if (with_csrf) h.emplace("X-CSRF-Token", cookies_["oe_csrf"]);
    return h;
  }
  httplib::Result GetJson(const std::string& path) {
    auto r = client_->Get(path, Headers());
    if (r) Absorb(r);
    return r;
  }
  httplib::Result PostJson(const std::string& path, const std::string& body, bool csrf = true) {
    auto r = client_->Post(path, Headers(csrf), body, "application/json");
    if (r) Absorb(r);
    return r;
  }

  std::unique_ptr<testing::FakeBackends> fakes_;
  Backends backends_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> server_;
  std::string origin_;
  std::unique_ptr<httplib::Client> client_;
  std::map<std::string, std::string> cookies_;
};

TEST_F(GatewayIntegrationTest, FirstVisitGetsGuestSessionInHttpOnlyLaxCookie) {
  auto r = client_->Get("/api/v1/session");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  bool session_cookie = false;
  for (const auto& [k, v] : r->headers) {
    if (k == "Set-Cookie" && v.rfind("oe_session=", 0) == 0) {
      session_cookie = true;
      EXPECT_NE(v.find("HttpOnly"), std::string::npos);
      EXPECT_NE(v.find("SameSite=Lax"), std::string::npos);
    }
  }
  EXPECT_TRUE(session_cookie);
  EXPECT_NE(r->body.find("\"signedIn\":false"), std::string::npos);
  EXPECT_NE(r->body.find("\"viewsRemaining\":1"), std::string::npos);
  EXPECT_EQ(r->body.find("tok"), std::string::npos) << "the token must not be in the body";
}

TEST_F(GatewayIntegrationTest, GuestMeterRunsOutThenRegisteringGivesFiveMore) {
  ASSERT_EQ(GetJson("/api/v1/session")->status, 200);
  auto first = GetJson("/api/v1/codes/I21.9");
  ASSERT_EQ(first->status, 200);
  EXPECT_NE(first->body.find("\"page\""), std::string::npos);
  auto second = GetJson("/api/v1/codes/E11.9");
  ASSERT_EQ(second->status, 200);
  EXPECT_NE(second->body.find("Register to view content"), std::string::npos);
  EXPECT_NE(second->body.find("\"viewsRemaining\":0"), std::string::npos);

  auto reg = PostJson("/api/v1/account/register",
                      R"({"email":"coder@example.com","password":"long enough","displayName":"C"})");
  ASSERT_EQ(reg->status, 200) << reg->body;
  EXPECT_EQ(reg->body.find("\"token\":\"tok"), std::string::npos) << "token leaked";
  auto again = GetJson("/api/v1/codes/E11.9");
  EXPECT_NE(again->body.find("\"page\""), std::string::npos);
  EXPECT_NE(again->body.find("4 code page views remaining"), std::string::npos);

  ASSERT_EQ(PostJson("/api/v1/account/logout", "{}")->status, 200);
  EXPECT_EQ(cookies_["oe_session"], "");
  auto login = PostJson("/api/v1/account/login",
                        R"({"email":"coder@example.com","password":"long enough"})");
  ASSERT_EQ(login->status, 200);
  auto session = GetJson("/api/v1/session");
  EXPECT_NE(session->body.find("\"signedIn\":true"), std::string::npos);
}

TEST_F(GatewayIntegrationTest, PostWithoutCsrfHeaderIs403) {
  GetJson("/api/v1/session");
  auto r = PostJson("/api/v1/claims/check", R"({"lines":[{"code":"A","units":1}]})", false);
  EXPECT_EQ(r->status, 403);
  auto ok = PostJson("/api/v1/claims/check", R"({"lines":[{"code":"A","units":1}]})", true);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(GatewayIntegrationTest, StatusesMapToHttpWithReadableBodies) {
  GetJson("/api/v1/session");
  auto bad = PostJson("/api/v1/account/register", R"({"email":"x@y.z","password":"short"})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("at least 8 characters"), std::string::npos);
  auto wrong = PostJson("/api/v1/account/login", R"({"email":"no@one.com","password":"whatever1"})");
  EXPECT_EQ(wrong->status, 401);
  auto missing = GetJson("/api/v1/codes/Z99.99");
  EXPECT_EQ(missing->status, 404);
  auto limited = PostJson("/api/v1/account/register",
                          R"({"email":"flood@example.com","password":"long enough"})");
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "7");
  auto down = GetJson("/api/v1/jobs");
  EXPECT_EQ(down->status, 503);
  EXPECT_NE(down->body.find("jobs service"), std::string::npos);
  EXPECT_FALSE(down->get_header_value("Retry-After").empty());
}

TEST_F(GatewayIntegrationTest, RequestIdReachesTheBackends) {
  httplib::Headers h = {{"X-Request-Id", "e2e-trace-42"}};
  auto r = client_->Get("/api/v1/search?query=heart", h);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "e2e-trace-42");
  auto ids = fakes_->request_ids();
  EXPECT_NE(std::find(ids.begin(), ids.end(), "e2e-trace-42"), ids.end());
}

TEST_F(GatewayIntegrationTest, OversizedBodyIs413) {
  GetJson("/api/v1/session");
  std::string body = "{\"email\":\"" + std::string(100 * 1024, 'a') + "\"}";
  auto r = PostJson("/api/v1/account/login", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

}  // namespace
}  // namespace openencoder::gateway
