// The meter and the accounts against abuse, tried as a visitor would: over
// real HTTP through the real gateway, in front of the real account,
// catalogue and search services on a real Redis. The gateway trusts
// 127.0.0.1 as a proxy, so each test speaks from networks of its own through
// X-Forwarded-For (the per-network counters of one test never meet
// another's). Mail goes to a capturing sender, so tests open the links in
// verification and password-reset mails. scripts/oe-admin is run against the
// same account service.
#include <gtest/gtest.h>
#include <httplib.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/gateway/account_routes.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "services/gateway/search_routes.h"
#include "tests/gateway/test_front.h"
#include "tests/support/capturing_mail_sender.h"
#include "tests/support/http_browser.h"
#include "tests/support/inprocess_suite_test.h"
#include "tests/support/source_paths.h"

namespace openencoder::gateway {
namespace {

constexpr char kPassword[] = "purple-otter-tuesday";
constexpr char kVerifyPrefix[] = "http://localhost:8080/verify-email.html?token=";
constexpr char kResetPrefix[] = "http://localhost:8080/reset-password.html?token=";
constexpr char kOperatorToken[] = "operator-secret-for-tests";

using test_support::Browser;

std::string RegisterBody(const std::string& email, const std::string& password = kPassword) {
  return absl::StrCat(R"({"email":")", email, R"(","password":")", password,
                      R"(","displayName":"Pat","role":"ROLE_CODER"})");
}

std::string LoginBody(const std::string& email, const std::string& password) {
  return absl::StrCat(R"({"email":")", email, R"(","password":")", password, R"("})");
}

bool Has(const httplib::Result& r, const std::string& text) {
  return r && r->body.find(text) != std::string::npos;
}

class AbuseIntegrationTest : public test_support::InProcessSuiteTest {
 protected:
  static void SetUpTestSuite() {
    StartSuite([](test_support::InProcessOptions& options) {
      test_support::InProcessAccount& account = options.account.emplace();
      account.common_passwords_file = test_support::SourcePath("data/account/common_passwords.txt");
      auto mail = std::make_unique<test_support::CapturingMailSender>();
      mail_ = mail.get();
      account.mail_sender = std::move(mail);
      // The production limits, except the admin list and the operator token.
      account.config.admin_emails = {"boss@example.com"};
      account.config.operator_token = kOperatorToken;
      account.config.hash_workers = 2;
      options.catalogue.emplace();
      options.search.emplace();
    });
  }

  void SetUp() override {
    ASSERT_NE(suite_, nullptr);
    backends_ = ConnectBackends({suite_->catalogue_address(), suite_->search_address(),
                                 suite_->account_address(), "127.0.0.1:1"},
                                absl::Seconds(5));
    GatewayOptions options{.access_log = false};
    options.trusted_proxies = *ParseCidrList("127.0.0.1/32");
    HttpServerOptions http;
    http.threads = 24;
    ASSERT_NO_FATAL_FAILURE(front_.Start(
        RoutesOf(backends_, {&SearchRoutes, &CodeRoutes, &AccountRoutes}), options, http));
  }
  void TearDown() override { front_.Shutdown(); }

  // A browser on a network no other test uses (10.<test>.<n>.x).
  std::unique_ptr<Browser> NewBrowser(int network = 0, int host = 1) {
    static std::atomic<int> next_test{1};
    if (test_network_ == 0) test_network_ = next_test++;
    return std::make_unique<Browser>(front_.origin,
                                     absl::StrCat("10.", test_network_, ".", network, ".", host));
  }
  static std::string UniqueEmail(const std::string& who) {
    static std::atomic<int> n{0};
    return absl::StrCat(who, "-", ++n, "@example.com");
  }
  // Registers `email` in `b` and opens the mailed verification link.
  void RegisterVerified(Browser& b, const std::string& email) {
    auto reg = b.Post("/api/v1/account/register", RegisterBody(email));
    ASSERT_EQ(reg->status, 200) << reg->body;
    const std::string token = mail_->WaitForLink(email, kVerifyPrefix);
    ASSERT_FALSE(token.empty()) << "no verification mail to " << email;
    auto verified =
        b.Post("/api/v1/account/verify-email", absl::StrCat(R"({"token":")", token, R"("})"));
    ASSERT_EQ(verified->status, 200) << verified->body;
  }

  static test_support::CapturingMailSender* mail_;
  int test_network_ = 0;
  Backends backends_;
  TestFront front_;
};

test_support::CapturingMailSender* AbuseIntegrationTest::mail_ = nullptr;

TEST_F(AbuseIntegrationTest, ReplayedRequestIdOpensNoSecondPage) {
  auto guest = NewBrowser();
  ASSERT_EQ(guest->Get("/api/v1/session")->status, 200);
  auto first = guest->Get("/api/v1/codes/E11.9", "r1");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_TRUE(Has(first, "\"page\"")) << first->body;
  for (const char* other : {"I10", "J18.9"}) {
    auto replay = guest->Get(std::string("/api/v1/codes/") + other, "r1");
    ASSERT_EQ(replay->status, 200) << replay->body;
    EXPECT_TRUE(Has(replay, "\"teaser\"")) << other << ": " << replay->body;
    EXPECT_FALSE(Has(replay, "\"page\"")) << other << ": " << replay->body;
  }
  // The retry of the page open itself is still answered (counted once).
  auto retry = guest->Get("/api/v1/codes/E11.9", "r1");
  EXPECT_TRUE(Has(retry, "\"page\"")) << retry->body;
  EXPECT_TRUE(Has(guest->Get("/api/v1/session"), "\"viewsRemaining\":0"));
}

TEST_F(AbuseIntegrationTest, DuplicateRegistrationGetsNoViewsBeyondAGuests) {
  const std::string email = UniqueEmail("owner");
  auto owner = NewBrowser(1);
  RegisterVerified(*owner, email);
  auto owner_session = owner->Get("/api/v1/session");
  EXPECT_TRUE(Has(owner_session, "\"viewLimit\":6")) << owner_session->body;

  // Another person registers the taken address and a fresh one: the
  // answers have the same shape, and neither session has more than a guest.
  auto squatter = NewBrowser(2);
  auto dup = squatter->Post("/api/v1/account/register", RegisterBody(email));
  ASSERT_EQ(dup->status, 200) << dup->body;
  EXPECT_TRUE(Has(dup, "\"emailVerified\":false")) << dup->body;
  EXPECT_TRUE(Has(dup, "\"plan\":\"PLAN_FREE\"")) << dup->body;
  auto dup_session = squatter->Get("/api/v1/session");
  EXPECT_TRUE(Has(dup_session, "\"viewLimit\":1")) << dup_session->body;
  auto stranger = NewBrowser(3);
  auto fresh = stranger->Post("/api/v1/account/register", RegisterBody(UniqueEmail("fresh")));
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  EXPECT_TRUE(Has(fresh, "\"emailVerified\":false")) << fresh->body;
  EXPECT_TRUE(Has(stranger->Get("/api/v1/session"), "\"viewLimit\":1"));
  // The owner is told, with no link that could verify the duplicate.
  constexpr char kNotice[] = "someone tried to create an OpenEncoder account";
  mail_->WaitForLink(email, kNotice);
  EXPECT_EQ(mail_->CountNow(email, kNotice), 1);
  EXPECT_EQ(mail_->CountNow(email, kVerifyPrefix), 1) << "only the owner's own link";

  // Registering again and again from one browser is capped per device.
  auto farmer = NewBrowser(4);
  int refused = 0;
  for (int i = 0; i < 5; ++i) {
    auto r = farmer->Post("/api/v1/account/register", RegisterBody(UniqueEmail("farm")));
    if (r->status == 429) ++refused;
  }
  EXPECT_EQ(refused, 2) << "3 registrations per device and day";
}

TEST_F(AbuseIntegrationTest, UnverifiedAdminEmailHasNoAdminRoleUntilItVerifies) {
  auto boss = NewBrowser();
  auto reg = boss->Post("/api/v1/account/register", RegisterBody("boss@example.com"));
  ASSERT_EQ(reg->status, 200) << reg->body;
  auto before = boss->Get("/api/v1/session");
  EXPECT_FALSE(Has(before, "ROLE_ADMIN")) << before->body;
  const std::string token = mail_->WaitForLink("boss@example.com", kVerifyPrefix);
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(
      boss->Post("/api/v1/account/verify-email", absl::StrCat(R"({"token":")", token, R"("})"))
          ->status,
      200);
  auto after = boss->Get("/api/v1/session");
  EXPECT_TRUE(Has(after, "ROLE_ADMIN")) << after->body;
}

TEST_F(AbuseIntegrationTest, PasswordResetWorksOnceAndEndsEveryOtherSession) {
  const std::string email = UniqueEmail("forgetful");
  auto desk = NewBrowser(1);
  ASSERT_EQ(desk->Post("/api/v1/account/register", RegisterBody(email))->status, 200);
  auto laptop = NewBrowser(2);
  ASSERT_EQ(laptop->Post("/api/v1/account/login", LoginBody(email, kPassword))->status, 200);
  ASSERT_TRUE(Has(laptop->Get("/api/v1/session"), "\"signedIn\":true"));

  auto phone = NewBrowser(3);
  auto asked =
      phone->Post("/api/v1/account/password-reset", absl::StrCat(R"({"email":")", email, R"("})"));
  auto unknown =
      phone->Post("/api/v1/account/password-reset", R"({"email":"nobody-at-all@example.com"})");
  ASSERT_EQ(asked->status, 200) << asked->body;
  EXPECT_EQ(unknown->status, asked->status);
  EXPECT_EQ(unknown->body, asked->body) << "the answer must not tell who has an account";
  const std::string token = mail_->WaitForLink(email, kResetPrefix);
  ASSERT_EQ(token.size(), 32u + 1 + 43) << "a 256-bit token after the account id";

  const std::string reset =
      absl::StrCat(R"({"token":")", token, R"(","newPassword":"another-long-passphrase"})");
  auto done = phone->Post("/api/v1/account/reset-password", reset);
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(phone->Post("/api/v1/account/reset-password", reset)->status, 404) << "single use";
  EXPECT_TRUE(Has(desk->Get("/api/v1/session"), "\"signedIn\":false"));
  EXPECT_TRUE(Has(laptop->Get("/api/v1/session"), "\"signedIn\":false"));
  EXPECT_EQ(phone->Post("/api/v1/account/login", LoginBody(email, kPassword))->status, 401);
  auto in = phone->Post("/api/v1/account/login", LoginBody(email, "another-long-passphrase"));
  EXPECT_EQ(in->status, 200) << in->body;
  EXPECT_TRUE(Has(in, "\"emailVerified\":true")) << "the reset link proved the mailbox";
}

TEST_F(AbuseIntegrationTest, FortyVisitorsBehindOneAddressEachGetTheirGuestPage) {
  for (int i = 0; i < 40; ++i) {
    auto visitor = NewBrowser(7, 7);  // one office, one NAT address
    auto session = visitor->Get("/api/v1/session");
    ASSERT_EQ(session->status, 200) << i << ": " << session->body;
    auto page = visitor->Get("/api/v1/codes/E11.9");
    ASSERT_EQ(page->status, 200) << i << ": " << page->body;
    EXPECT_TRUE(Has(page, "\"page\"")) << "visitor " << i << ": " << page->body;
  }
  // Logging out never errors, signed in or not.
  auto visitor = NewBrowser(7, 7);
  EXPECT_EQ(visitor->Post("/api/v1/account/logout", "{}")->status, 200);
  EXPECT_EQ(visitor->Post("/api/v1/account/logout", "{}")->status, 200);
}

TEST_F(AbuseIntegrationTest, CrossSiteGetSpendsNothing) {
  auto guest = NewBrowser();
  ASSERT_TRUE(Has(guest->Get("/api/v1/session"), "\"viewsRemaining\":1"));
  auto cross = guest->CrossSiteGet("/api/v1/codes/E11.9");
  ASSERT_EQ(cross->status, 200) << cross->body;
  EXPECT_TRUE(Has(cross, "\"teaser\"")) << cross->body;
  EXPECT_FALSE(Has(cross, "\"page\"")) << cross->body;
  EXPECT_TRUE(Has(guest->Get("/api/v1/session"), "\"viewsRemaining\":1")) << "a view was spent";
  EXPECT_TRUE(Has(guest->Get("/api/v1/codes/E11.9"), "\"page\""));
}

// Every occurrence of `"key":` in `body` is followed by `empty`.
bool AlwaysEmpty(const std::string& body, const std::string& key, const std::string& empty) {
  const std::string field = "\"" + key + "\":";
  for (size_t at = body.find(field); at != std::string::npos; at = body.find(field, at + 1)) {
    if (body.compare(at + field.size(), empty.size(), empty) != 0) return false;
  }
  return true;
}

TEST_F(AbuseIntegrationTest, ExhaustedGuestsLookupAndSearchCarryNoGatedText) {
  auto guest = NewBrowser();
  ASSERT_EQ(guest->Get("/api/v1/session")->status, 200);
  auto page = guest->Get("/api/v1/codes/E11.9");
  ASSERT_TRUE(Has(page, "\"page\"")) << page->body;
  ASSERT_FALSE(AlwaysEmpty(page->body, "plainLanguage", "\"\""))
      << "the metered page carries the plain-language text: " << page->body;
  ASSERT_TRUE(Has(guest->Get("/api/v1/codes/I10"), "\"teaser\""));
  // A code's crosswalks and fees come with its page only.
  EXPECT_EQ(guest->Get("/api/v1/crosswalks/E11.9")->status, 200) << "its page was opened";
  auto closed = guest->Get("/api/v1/crosswalks/I10");
  EXPECT_EQ(closed->status, 403) << closed->body;
  EXPECT_EQ(guest->Get("/api/v1/fees/99213")->status, 403);
  EXPECT_EQ(guest->CrossSiteGet("/api/v1/crosswalks/E11.9")->status, 403);
  for (const char* path :
       {"/api/v1/lookup/E11.9", "/api/v1/lookup/I10", "/api/v1/search?query=diabetes",
        "/api/v1/search?query=high+blood+pressure"}) {
    auto r = guest->Get(path);
    ASSERT_EQ(r->status, 200) << path << ": " << r->body;
    EXPECT_TRUE(Has(r, "\"code\"")) << path << ": " << r->body;
    EXPECT_TRUE(AlwaysEmpty(r->body, "plainLanguage", "\"\"")) << path << ": " << r->body;
    EXPECT_TRUE(AlwaysEmpty(r->body, "layTerms", "[]")) << path << ": " << r->body;
  }
}

TEST_F(AbuseIntegrationTest, TwentyConcurrentWrongLoginsDoNotExceedTheLimit) {
  const std::string email = UniqueEmail("victim");
  auto owner = NewBrowser(1);
  ASSERT_EQ(owner->Post("/api/v1/account/register", RegisterBody(email))->status, 200);
  std::vector<std::unique_ptr<Browser>> attackers;
  for (int i = 0; i < 20; ++i) {
    attackers.push_back(NewBrowser(2, i + 1));  // one network
    ASSERT_EQ(attackers.back()->Get("/api/v1/session")->status, 200);
  }
  std::array<int, 20> statuses{};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      auto r = attackers[i]->Post("/api/v1/account/login", LoginBody(email, "wrong-password-1"));
      statuses[i] = r ? r->status : -static_cast<int>(r.error());  // -4: read failed
    });
  }
  for (std::thread& t : threads) t.join();
  int checked = 0, refused = 0;
  for (int s : statuses) {
    if (s == 401) ++checked;
    if (s == 429) ++refused;
  }
  const std::string seen = absl::StrJoin(statuses, ",");
  EXPECT_EQ(checked, 5) << "passwords checked beyond the limit of 5; statuses " << seen;
  EXPECT_EQ(refused, 15) << "statuses " << seen;
  // The owner, on another network, is not locked out by them.
  auto in = owner->Post("/api/v1/account/login", LoginBody(email, kPassword));
  EXPECT_EQ(in->status, 200) << in->body;
}

// scripts/oe-admin against the same account service.
std::pair<int, std::string> OeAdmin(const std::string& address, const std::string& args) {
  const std::string command = absl::StrCat(
      "OE_ACCOUNT_ADDR=", address, " OE_ACCOUNT_OPERATOR_TOKEN=", kOperatorToken,
      " /usr/bin/python3 ", test_support::SourcePath("scripts/oe-admin"), " ", args, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  std::string out;
  char buffer[512];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(AbuseIntegrationTest, OeAdminShowsVerifiesGrantsRevokesAndSetsPlans) {
  const std::string address = suite_->account_address();
  const std::string email = UniqueEmail("staff");
  auto staff = NewBrowser();
  ASSERT_EQ(staff->Post("/api/v1/account/register", RegisterBody(email))->status, 200);

  auto shown = OeAdmin(address, "show " + email);
  EXPECT_EQ(shown.first, 0) << shown.second;
  EXPECT_NE(shown.second.find("\"email_verified\": false"), std::string::npos) << shown.second;
  auto early = OeAdmin(address, "grant-role " + email + " consultant");
  EXPECT_EQ(early.first, 1) << early.second;
  EXPECT_NE(early.second.find("FAILED_PRECONDITION"), std::string::npos) << early.second;
  EXPECT_EQ(OeAdmin(address, "grant-role nobody-here@example.com employer").first, 1);

  const std::string token = mail_->WaitForLink(email, kVerifyPrefix);
  ASSERT_EQ(
      staff->Post("/api/v1/account/verify-email", absl::StrCat(R"({"token":")", token, R"("})"))
          ->status,
      200);
  auto granted = OeAdmin(address, "grant-role " + email + " consultant");
  EXPECT_EQ(granted.first, 0) << granted.second;
  EXPECT_TRUE(Has(staff->Get("/api/v1/session"), "ROLE_CONSULTANT"));
  auto revoked = OeAdmin(address, "revoke-role " + email + " consultant");
  EXPECT_EQ(revoked.first, 0) << revoked.second;
  EXPECT_FALSE(Has(staff->Get("/api/v1/session"), "ROLE_CONSULTANT"));
  auto plan = OeAdmin(address, "set-plan " + email + " pro");
  EXPECT_EQ(plan.first, 0) << plan.second;
  EXPECT_TRUE(Has(staff->Get("/api/v1/session"), "\"unlimited\":true"));
  EXPECT_EQ(OeAdmin(address, "set-plan " + email + " platinum").first, 2);

  // An operator can confirm an address by other means.
  const std::string other = UniqueEmail("phoned-in");
  ASSERT_EQ(NewBrowser(1)->Post("/api/v1/account/register", RegisterBody(other))->status, 200);
  auto confirmed = OeAdmin(address, "verify-email " + other);
  EXPECT_EQ(confirmed.first, 0) << confirmed.second;
  EXPECT_NE(confirmed.second.find("\"email_verified\": true"), std::string::npos)
      << confirmed.second;

  // Without the operator token the service refuses.
  const std::string bare = absl::StrCat("OE_ACCOUNT_ADDR=", address, " /usr/bin/python3 ",
                                        test_support::SourcePath("scripts/oe-admin"), " show ",
                                        email, " >/dev/null 2>&1");
  EXPECT_EQ(WEXITSTATUS(std::system(bare.c_str())), 1);
}

}  // namespace
}  // namespace openencoder::gateway
