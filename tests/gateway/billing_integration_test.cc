// The paid plan and account deletion through the real gateway, in front of
// the real account service on a real Redis. The test plays the payment
// provider: it signs events with the endpoint's test secret exactly as
// Stripe does (Stripe-Signature: t=...,v1=HMAC-SHA256("<t>.<body>")) and
// posts them to the webhook route; nothing leaves the machine.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/account/redis_keys.h"
#include "services/account/session_tokens.h"
#include "services/account/stripe_webhook.h"
#include "services/common/client.h"
#include "services/common/redis/redis_client.h"
#include "services/gateway/account_routes.h"
#include "services/gateway/billing_routes.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "tests/support/http_browser.h"
#include "tests/support/inprocess_services.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"
#include "tests/support/source_paths.h"

namespace openencoder::gateway {
namespace {

using test_support::Browser;

constexpr char kPassword[] = "purple-otter-tuesday";
constexpr char kSecret[] = "whsec_test_0123456789abcdefghijklmnop";
constexpr char kOldSecret[] = "whsec_old_0123456789abcdefghijklmnopq";
constexpr char kOperatorToken[] = "operator-secret-for-billing-tests";
constexpr char kCheckout[] = "https://checkout.example/pay/test_plink";

bool Has(const httplib::Result& r, const std::string& text) {
  return r && r->body.find(text) != std::string::npos;
}

// A running gateway (account and billing routes) over one account service.
struct Front {
  Backends backends;
  std::unique_ptr<Gateway> gateway;
  std::unique_ptr<HttpServer> server;
  std::string origin;

  void Start(const std::string& account_address) {
    backends = ConnectBackends({"127.0.0.1:1", "127.0.0.1:1", account_address, "127.0.0.1:1"},
                               absl::Seconds(5));
    std::vector<Route> routes;
    for (auto* area : {&AccountRoutes, &BillingRoutes}) {
      for (Route& r : (*area)(backends)) routes.push_back(std::move(r));
    }
    GatewayOptions options{.access_log = false};
    options.trusted_proxies = *ParseCidrList("127.0.0.1/32");
    gateway = std::make_unique<Gateway>(options, std::move(routes), nullptr);
    HttpServerOptions http;
    http.port = 0;
    http.threads = 8;
    auto started = HttpServer::Start(http, gateway.get());
    ASSERT_TRUE(started.ok()) << started.status();
    server = *std::move(started);
    origin = "http://127.0.0.1:" + std::to_string(server->port());
  }
  ~Front() {
    if (server) server->Shutdown();
  }
};

class BillingIntegrationTest : public ::testing::Test {
 protected:
  // Each account service has a Redis of its own: on a shared one, either
  // service's mail outbox would claim the other's mail (sealed with the
  // other's key, so dropped) and VerifyEmail would wait for it in vain.
  static void SetUpTestSuite() {
    auto redis = test_support::RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = redis->release();
    auto bare_redis = test_support::RedisServer::Start();
    ASSERT_TRUE(bare_redis.ok()) << bare_redis.status();
    bare_redis_ = bare_redis->release();
    suite_ = StartAccount(*redis_, /*with_provider=*/true).release();
    bare_suite_ = StartAccount(*bare_redis_, /*with_provider=*/false).release();
  }
  static std::unique_ptr<test_support::InProcessServices> StartAccount(
      const test_support::RedisServer& redis, bool with_provider) {
    test_support::InProcessOptions options;
    options.redis = test_support::RedisOptionsAs(redis, "account");
    test_support::InProcessAccount& account = options.account.emplace();
    account.common_passwords_file = test_support::SourcePath("data/account/common_passwords.txt");
    account.config.admin_emails = {"chief@example.com"};
    account.config.operator_token = kOperatorToken;
    account.config.hash_workers = 2;
    // Few posts per network on the bare suite, to see the limit bite.
    if (!with_provider) account.config.billing.webhooks_per_minute = 3;
    if (with_provider) {
      account.config.billing.webhook_secret = kSecret;
      account.config.billing.checkout_url = kCheckout;
      account.config.billing.portal_url = "https://billing.example/p/login/test";
    }
    auto suite = test_support::InProcessServices::Start(std::move(options));
    EXPECT_TRUE(suite.ok()) << suite.status();
    return suite.ok() ? *std::move(suite) : nullptr;
  }
  static void TearDownTestSuite() {
    delete suite_;
    delete bare_suite_;
    delete redis_;
    delete bare_redis_;
  }

  void SetUp() override {
    ASSERT_NE(suite_, nullptr);
    front_.Start(suite_->account_address());
  }

  std::unique_ptr<Browser> NewBrowser() {
    static std::atomic<int> next{1};
    const int n = next++;
    return std::make_unique<Browser>(front_.origin, absl::StrCat("10.77.", n, ".1"));
  }
  static std::string UniqueEmail(const std::string& who) {
    static std::atomic<int> n{0};
    return absl::StrCat(who, "-", ++n, "@example.com");
  }
  // Registers a coder and verifies the email; returns the account id.
  std::string Register(Browser& b, const std::string& email) {
    auto reg = b.Post("/api/v1/account/register",
                      absl::StrCat(R"({"email":")", email, R"(","password":")", kPassword,
                                   R"(","displayName":"Pat","role":"ROLE_CODER"})"));
    EXPECT_EQ(reg->status, 200) << reg->body;
    EXPECT_TRUE(suite_->VerifyEmail(email).ok()) << email;
    const std::string key = "\"accountId\":\"";
    size_t at = reg->body.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    return reg->body.substr(at, reg->body.find('"', at) - at);
  }

  // What the provider posts: the raw event and its signature header.
  httplib::Result PostEvent(const std::string& body, const std::string& signature) {
    httplib::Client provider(front_.origin);
    httplib::Headers h = {{"Stripe-Signature", signature}, {"X-Forwarded-For", "198.51.100.7"}};
    return provider.Post("/api/v1/billing/webhook", h, body, "application/json");
  }
  httplib::Result Send(const std::string& body, absl::Time t = absl::Now()) {
    return PostEvent(body, account::StripeSignatureHeader(kSecret, t, body));
  }

  static std::string Checkout(const std::string& event_id, const std::string& account_id,
                              const std::string& customer) {
    return absl::StrCat(R"({"id":")", event_id,
                        R"(","object":"event","type":"checkout.session.completed","created":)",
                        absl::ToUnixSeconds(absl::Now()),
                        R"(,"data":{"object":{"object":"checkout.session","id":"cs_test_1",)",
                        R"("mode":"subscription","payment_status":"paid","client_reference_id":")",
                        account_id, R"(","customer":")", customer, R"(","subscription":"sub_)",
                        customer, R"("}}})");
  }
  static std::string Subscription(const std::string& event_id, const std::string& type,
                                  const std::string& customer, const std::string& status,
                                  bool cancel_at_period_end, int64_t created) {
    return absl::StrCat(
        R"({"id":")", event_id, R"(","object":"event","type":")", type, R"(","created":)", created,
        R"(,"data":{"object":{"object":"subscription","id":"sub_)", customer, R"(","customer":")",
        customer, R"(","status":")", status, R"(","cancel_at_period_end":)",
        cancel_at_period_end ? "true" : "false", R"(,"current_period_end":1893456000}}})");
  }
  static std::string PaymentFailed(const std::string& event_id, const std::string& customer) {
    return absl::StrCat(R"({"id":")", event_id,
                        R"(","object":"event","type":"invoice.payment_failed","created":)",
                        absl::ToUnixSeconds(absl::Now()),
                        R"(,"data":{"object":{"object":"invoice","id":"in_1","customer":")",
                        customer, R"(","subscription":"sub_)", customer, R"("}}})");
  }

  static test_support::RedisServer* redis_;
  static test_support::RedisServer* bare_redis_;
  static test_support::InProcessServices* suite_;
  static test_support::InProcessServices* bare_suite_;
  Front front_;
};

test_support::RedisServer* BillingIntegrationTest::redis_ = nullptr;
test_support::RedisServer* BillingIntegrationTest::bare_redis_ = nullptr;
test_support::InProcessServices* BillingIntegrationTest::suite_ = nullptr;
test_support::InProcessServices* BillingIntegrationTest::bare_suite_ = nullptr;

TEST_F(BillingIntegrationTest, CheckoutSendsTheBrowserToTheProviderWithItsAccount) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("buyer"));
  auto checkout = b->Post("/api/v1/billing/checkout", "{}");
  ASSERT_EQ(checkout->status, 200) << checkout->body;
  EXPECT_TRUE(Has(checkout, absl::StrCat(kCheckout, "?client_reference_id=", id)))
      << checkout->body;
  // Another site's form cannot start it; a guest has no account to upgrade.
  EXPECT_EQ(b->CrossSitePost("/api/v1/billing/checkout", "{}")->status, 403);
  auto guest = NewBrowser();
  EXPECT_EQ(guest->Post("/api/v1/billing/checkout", "{}")->status, 401);
  EXPECT_EQ(guest->Get("/api/v1/billing")->status, 401);
  EXPECT_EQ(guest->Post("/api/v1/account/delete", R"({"password":"whatever-it-is"})")->status, 401);
}

TEST_F(BillingIntegrationTest, EveryAccountAndBillingWriteButTheWebhookNeedsTheCsrfCheck) {
  auto b = NewBrowser();
  Register(*b, UniqueEmail("csrf"));
  int writes = 0;
  for (const Route& route : front_.gateway->routes()) {
    const RouteSpec& spec = route.spec;
    if (spec.method == "GET") continue;
    if (spec.csrf_exempt) {
      EXPECT_EQ(spec.path, "/api/v1/billing/webhook") << "only the signed webhook is exempt";
      continue;
    }
    if (spec.method != "POST") continue;  // DELETE /sessions/{id}: the jobs test covers it
    ++writes;
    std::string path = spec.path;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      path.replace(open, path.find('}', open) - open + 1, "x1");
    }
    SCOPED_TRACE(path);
    EXPECT_EQ(b->CrossSitePost(path, "{}")->status, 403);
  }
  EXPECT_GE(writes, 11) << "register, login, logout, password, verification, reset, delete, "
                           "checkout, admin plan...";
}

TEST_F(BillingIntegrationTest, WithoutAProviderThePageIsToldToAskAnOperator) {
  Front bare;
  bare.Start(bare_suite_->account_address());
  Browser b(bare.origin, "10.78.0.1");
  auto reg = b.Post("/api/v1/account/register",
                    absl::StrCat(R"({"email":")", UniqueEmail("nopay"), R"(","password":")",
                                 kPassword, R"(","displayName":"Pat","role":"ROLE_CODER"})"));
  ASSERT_EQ(reg->status, 200) << reg->body;
  auto checkout = b.Post("/api/v1/billing/checkout", "{}");
  EXPECT_EQ(checkout->status, 409) << checkout->body;
  EXPECT_TRUE(Has(checkout, "scripts/oe-admin set-plan")) << checkout->body;
  auto billing = b.Get("/api/v1/billing");
  ASSERT_EQ(billing->status, 200) << billing->body;
  EXPECT_FALSE(Has(billing, "\"providerConfigured\":true")) << billing->body;
  // And the webhook refuses everything: no secret to check signatures with.
  httplib::Client provider(bare.origin);
  const std::string body = Checkout("evt_bare", "x", "cus_bare");
  auto hook = provider.Post(
      "/api/v1/billing/webhook",
      {{"Stripe-Signature", account::StripeSignatureHeader(kSecret, absl::Now(), body)}}, body,
      "application/json");
  EXPECT_EQ(hook->status, 503) << hook->body;
}

TEST_F(BillingIntegrationTest, BadSignatureAndStaleTimestampAre400AndChangeNothing) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("forger"));
  const std::string body = Checkout("evt_forged", id, "cus_forged");
  const absl::Time now = absl::Now();
  // Signed with another secret, unsigned, tampered with, too old, too new.
  EXPECT_EQ(
      PostEvent(body, account::StripeSignatureHeader("whsec_someone_else_entirely", now, body))
          ->status,
      400);
  EXPECT_EQ(PostEvent(body, "")->status, 400);
  std::string tampered = body;
  tampered.replace(tampered.find("paid"), 4, "free");
  EXPECT_EQ(PostEvent(tampered, account::StripeSignatureHeader(kSecret, now, body))->status, 400);
  EXPECT_EQ(Send(body, now - absl::Seconds(301))->status, 400);
  EXPECT_EQ(Send(body, now + absl::Seconds(301))->status, 400);
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"plan\":\"PLAN_FREE\""));
  // The same event, properly signed, still works: nothing was claimed.
  auto good = Send(body);
  EXPECT_EQ(good->status, 200) << good->body;
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"plan\":\"PLAN_PRO\""));
}

TEST_F(BillingIntegrationTest, RotatedSecretAnyMatchingV1IsAccepted) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("rotate"));
  const std::string body = Checkout("evt_rotate", id, "cus_rotate");
  const absl::Time now = absl::Now();
  const std::string ts = absl::StrCat(absl::ToUnixSeconds(now));
  auto v1_of = [&](const char* secret) {
    const std::string h = account::StripeSignatureHeader(secret, now, body);
    return h.substr(h.find("v1=") + 3);
  };
  // What the provider sends while the endpoint's secret is rolled: both.
  auto r = PostEvent(body, absl::StrCat("t=", ts, ",v1=", v1_of(kOldSecret), ",v1=", v1_of(kSecret),
                                        ",v0=ignored"));
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"plan\":\"PLAN_PRO\""));
}

TEST_F(BillingIntegrationTest, CheckoutMakesProUnlimitedAndAReplayedEventChangesNothing) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("pro"));
  EXPECT_TRUE(Has(b->Get("/api/v1/quota"), "\"viewLimit\":6"));
  const std::string paid = Checkout("evt_paid_1", id, "cus_pro");
  auto first = Send(paid);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_TRUE(Has(first, "\"duplicate\":false") || !Has(first, "\"duplicate\":true"));
  auto quota = b->Get("/api/v1/quota");
  EXPECT_TRUE(Has(quota, "\"unlimited\":true")) << quota->body;
  auto billing = b->Get("/api/v1/billing");
  EXPECT_TRUE(Has(billing, "\"status\":\"active\"")) << billing->body;

  // The subscription ends; then the provider re-delivers the old checkout
  // event (same id, newly signed): 200, and the plan stays FREE.
  const int64_t later = absl::ToUnixSeconds(absl::Now()) + 60;
  ASSERT_EQ(Send(Subscription("evt_del_1", "customer.subscription.deleted", "cus_pro", "canceled",
                              false, later))
                ->status,
            200);
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"plan\":\"PLAN_FREE\""));
  auto replay = Send(paid);
  EXPECT_EQ(replay->status, 200) << replay->body;
  EXPECT_TRUE(Has(replay, "\"duplicate\":true")) << replay->body;
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"plan\":\"PLAN_FREE\""));
  EXPECT_TRUE(Has(b->Get("/api/v1/quota"), "\"viewLimit\":6"));
}

TEST_F(BillingIntegrationTest, CancelAtPeriodEndKeepsProUntilTheSubscriptionIsDeleted) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("cancel"));
  ASSERT_EQ(Send(Checkout("evt_c_paid", id, "cus_cancel"))->status, 200);
  const int64_t t = absl::ToUnixSeconds(absl::Now()) + 10;
  auto cancel = Send(
      Subscription("evt_c_upd", "customer.subscription.updated", "cus_cancel", "active", true, t));
  ASSERT_EQ(cancel->status, 200) << cancel->body;
  auto billing = b->Get("/api/v1/billing");
  EXPECT_TRUE(Has(billing, "\"plan\":\"PLAN_PRO\"")) << billing->body;
  EXPECT_TRUE(Has(billing, "\"cancelAtPeriodEnd\":true")) << billing->body;
  EXPECT_TRUE(Has(billing, "\"currentPeriodEnd\":\"2030-01-01T00:00:00Z\"")) << billing->body;
  EXPECT_TRUE(Has(billing, "billing.example/p/login")) << billing->body;
  // An older event delivered late does not undo the newer state.
  ASSERT_EQ(Send(Subscription("evt_c_old", "customer.subscription.updated", "cus_cancel", "active",
                              false, t - 5))
                ->status,
            200);
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"cancelAtPeriodEnd\":true"));
  // At the period end the provider deletes the subscription.
  ASSERT_EQ(Send(Subscription("evt_c_del", "customer.subscription.deleted", "cus_cancel",
                              "canceled", false, t + 5))
                ->status,
            200);
  billing = b->Get("/api/v1/billing");
  EXPECT_TRUE(Has(billing, "\"plan\":\"PLAN_FREE\"")) << billing->body;
  EXPECT_TRUE(Has(billing, "\"status\":\"canceled\"")) << billing->body;
}

TEST_F(BillingIntegrationTest, PaymentFailedIsShownAndUnpaidEndsPro) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("failing"));
  ASSERT_EQ(Send(Checkout("evt_f_paid", id, "cus_fail"))->status, 200);
  ASSERT_EQ(Send(PaymentFailed("evt_f_inv", "cus_fail"))->status, 200);
  auto billing = b->Get("/api/v1/billing");
  EXPECT_TRUE(Has(billing, "\"paymentFailedAt\"")) << billing->body;
  EXPECT_TRUE(Has(billing, "\"plan\":\"PLAN_PRO\"")) << "the provider retries first";
  const int64_t t = absl::ToUnixSeconds(absl::Now()) + 30;
  ASSERT_EQ(Send(Subscription("evt_f_unpaid", "customer.subscription.updated", "cus_fail", "unpaid",
                              false, t))
                ->status,
            200);
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"plan\":\"PLAN_FREE\""));
  // Events for customers we do not know are acknowledged and ignored.
  auto unknown = Send(PaymentFailed("evt_f_stranger", "cus_nobody"));
  EXPECT_EQ(unknown->status, 200);
  EXPECT_TRUE(Has(unknown, "\"ignored\":true")) << unknown->body;
}

TEST_F(BillingIntegrationTest, WebhookNeedsNoCsrfButIsSizeCapped) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("big"));
  std::string big = Checkout("evt_big", id, "cus_big");
  big.insert(big.size() - 1, absl::StrCat(R"(,"pad":")", std::string(70 * 1024, 'x'), "\""));
  EXPECT_EQ(Send(big)->status, 413);
  EXPECT_TRUE(Has(b->Get("/api/v1/billing"), "\"plan\":\"PLAN_FREE\""));
}

TEST_F(BillingIntegrationTest, WebhookPostsAreLimitedPerNetworkBeforeTheSignatureCheck) {
  Front bare;
  bare.Start(bare_suite_->account_address());
  httplib::Client flood(bare.origin);
  const httplib::Headers from = {{"X-Forwarded-For", "203.0.113.9"},
                                 {"Stripe-Signature", "t=1,v1=0"}};
  std::vector<int> statuses;
  for (int i = 0; i < 5; ++i) {
    statuses.push_back(
        flood.Post("/api/v1/billing/webhook", from, "{}", "application/json")->status);
  }
  // Three counted and refused (no secret here: 503), then 429.
  EXPECT_EQ(statuses, (std::vector<int>{503, 503, 503, 429, 429}));
  // Another network is not affected.
  auto other = flood.Post("/api/v1/billing/webhook",
                          {{"X-Forwarded-For", "192.0.2.44"}, {"Stripe-Signature", "t=1,v1=0"}},
                          "{}", "application/json");
  EXPECT_EQ(other->status, 503);
}

TEST_F(BillingIntegrationTest, OnlyAnAdministratorChangesPlansByHand) {
  auto target = NewBrowser();
  const std::string id = Register(*target, UniqueEmail("target"));
  const std::string path = absl::StrCat("/api/v1/admin/accounts/", id, "/plan");
  const std::string body = R"({"plan":"PLAN_PRO"})";
  // A coder, and a consultant (a verified account with the role).
  auto coder = NewBrowser();
  Register(*coder, UniqueEmail("coder"));
  EXPECT_EQ(coder->Post(path, body)->status, 403);
  auto consultant = NewBrowser();
  const std::string consultant_email = UniqueEmail("consultant");
  Register(*consultant, consultant_email);
  {
    common::ChannelOptions as_operator;  // scripts/oe-admin's certificate
    as_operator.client_identity = "operator";
    auto channel = common::MakeChannel(suite_->account_address(), as_operator);
    auto stub = account::v1::AccountService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    account::v1::OperatorRoleRequest grant;
    grant.set_operator_token(kOperatorToken);
    grant.set_email(consultant_email);
    grant.set_role(account::v1::ROLE_CONSULTANT);
    account::v1::OperatorAccountResponse granted;
    ASSERT_TRUE(stub->OperatorGrantRole(&ctx, grant, &granted).ok());
  }
  EXPECT_TRUE(Has(consultant->Get("/api/v1/session"), "ROLE_CONSULTANT"));
  EXPECT_EQ(consultant->Post(path, body)->status, 403);
  EXPECT_TRUE(Has(target->Get("/api/v1/billing"), "\"plan\":\"PLAN_FREE\""));
  // The administrator can, but not from another site.
  auto chief = NewBrowser();
  Register(*chief, "chief@example.com");
  EXPECT_EQ(chief->CrossSitePost(path, body)->status, 403);
  auto set = chief->Post(path, body);
  EXPECT_EQ(set->status, 200) << set->body;
  EXPECT_TRUE(Has(target->Get("/api/v1/billing"), "\"plan\":\"PLAN_PRO\""));
}

TEST_F(BillingIntegrationTest, DeletingTheAccountLeavesNothingThatNamesThePerson) {
  auto b = NewBrowser();
  const std::string email = UniqueEmail("leaver");
  const std::string id = Register(*b, email);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(b->Post("/api/v1/account/verification-email", "{}")->status, 409);  // verified already
  // A second device, to see that every session goes.
  auto other = NewBrowser();
  ASSERT_EQ(other
                ->Post("/api/v1/account/login",
                       absl::StrCat(R"({"email":")", email, R"(","password":")", kPassword, "\"}"))
                ->status,
            200);
  // Wrong password, another site's form: refused, nothing deleted.
  EXPECT_EQ(b->Post("/api/v1/account/delete", R"({"password":"not-my-password-at-all"})")->status,
            403);
  EXPECT_EQ(
      b->CrossSitePost("/api/v1/account/delete", absl::StrCat(R"({"password":")", kPassword, "\"}"))
          ->status,
      403);
  auto deleted =
      b->Post("/api/v1/account/delete", absl::StrCat(R"({"password":")", kPassword, "\"}"));
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  EXPECT_TRUE(Has(deleted, "Anonymous counters")) << deleted->body;
  EXPECT_TRUE(Has(b->Get("/api/v1/session"), "\"signedIn\":false"));
  EXPECT_TRUE(Has(other->Get("/api/v1/session"), "\"signedIn\":false"));
  EXPECT_EQ(b->Post("/api/v1/account/login",
                    absl::StrCat(R"({"email":")", email, R"(","password":")", kPassword, "\"}"))
                ->status,
            401);
  // No key of the account is left, and the email is free again.
  auto client = redis::RedisClient::Create(test_support::RedisOptionsAs(*redis_, "admin"));
  ASSERT_TRUE(client.ok()) << client.status();
  auto keys = (*client)->Command({"KEYS", absl::StrCat("oe:{a:", id, "}*")},
                                 absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_TRUE(keys->elements().empty()) << keys->DebugString();
  auto claim = (*client)->Command({"EXISTS", account::keys::Email(account::EmailHash(email))},
                                  absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->integer(), 0) << "the email's claim is released";
}

TEST_F(BillingIntegrationTest, ARunningSubscriptionMustBeCancelledBeforeDeleting) {
  auto b = NewBrowser();
  const std::string id = Register(*b, UniqueEmail("subscribed"));
  ASSERT_EQ(Send(Checkout("evt_s_paid", id, "cus_sub"))->status, 200);
  auto refused =
      b->Post("/api/v1/account/delete", absl::StrCat(R"({"password":")", kPassword, "\"}"));
  EXPECT_EQ(refused->status, 409) << refused->body;
  EXPECT_TRUE(Has(refused, "cancel it first")) << refused->body;
  const int64_t t = absl::ToUnixSeconds(absl::Now()) + 10;
  ASSERT_EQ(Send(Subscription("evt_s_cancel", "customer.subscription.updated", "cus_sub", "active",
                              true, t))
                ->status,
            200);
  EXPECT_EQ(
      b->Post("/api/v1/account/delete", absl::StrCat(R"({"password":")", kPassword, "\"}"))->status,
      200);
}

}  // namespace
}  // namespace openencoder::gateway
