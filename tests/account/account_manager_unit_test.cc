// AccountManager's rules on the in-memory stores (services/account/
// in_memory_stores.h): no Redis, no gRPC, a password hash of microseconds.
// The same rules against real Redis over gRPC stay in
// account_service_integration_test.cc; account_store_contract_test.cc holds
// the fakes to the Redis stores' contract.
#include <sodium.h>

#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/account/account_config.h"
#include "services/account/account_manager.h"
#include "services/account/in_memory_stores.h"
#include "services/account/metering.h"
#include "services/account/password_hasher.h"
#include "services/account/password_policy.h"
#include "services/account/retry_after.h"
#include "services/account/session_cache.h"
#include "services/account/session_manager.h"
#include "services/account/time_windows.h"

namespace openencoder::account {
namespace {

constexpr char kPassword[] = "correct horse battery";

// The token at the end of the link `prefix` in a mail body.
std::string LinkToken(const std::string& body, const std::string& prefix) {
  const size_t at = body.find(prefix);
  if (at == std::string::npos) return "";
  const size_t start = at + prefix.size();
  return body.substr(start, body.find_first_of(" \n", start) - start);
}

class AccountManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    // The weakest argon2id libsodium accepts: the rules, not the cost, are
    // under test (password_hasher has its own tests at the real cost).
    absl::StatusOr<PasswordHasher> hasher =
        PasswordHasher::Create(HashCost{1, size_t{8} << 10}, /*allow_weak_for_tests=*/true);
    ASSERT_TRUE(hasher.ok()) << hasher.status();
    hasher_.emplace(*std::move(hasher));
    config_.login_failures_per_email = 2;
    sessions_.emplace(stores_.sessions(), config_.session_idle, config_.session_lifetime,
                      config_.guest_lifetime);
    manager_.emplace(&config_, &policy_, &*hasher_, stores_.accounts(), &*sessions_,
                     stores_.meter(), stores_.limits());
    manager_->set_mail_outbox(&mail_);
    manager_->set_erasure_queue(&erasures_);
  }

  absl::Time Deadline() const { return absl::Now() + absl::Seconds(5); }

  SignedIn MustRegister(const std::string& email, const std::string& guest_token = "") {
    RegisterInput in;
    in.email = email;
    in.password = kPassword;
    in.display_name = "Ann Lee";
    in.role = Role::ROLE_CODER;
    in.guest_session_token = guest_token;
    in.client.address = "192.0.2.10";
    absl::StatusOr<SignedIn> r = manager_->Register(in, Deadline());
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : SignedIn{};
  }

  absl::StatusOr<SignedIn> Login(const std::string& email, const std::string& password,
                                 const std::string& address = "192.0.2.10") {
    LoginInput in;
    in.email = email;
    in.password = password;
    in.client.address = address;
    return manager_->Login(in, Deadline());
  }

  AccountConfig config_;
  PasswordPolicy policy_{absl::flat_hash_set<std::string>()};
  std::optional<PasswordHasher> hasher_;
  InMemoryAccountStores stores_{absl::ZeroDuration()};
  InMemoryMailQueue mail_;
  InMemoryErasureQueue erasures_;
  std::optional<SessionManager> sessions_;
  std::optional<AccountManager> manager_;
};

TEST_F(AccountManagerTest, RegisterSignsInAndTheSessionReadsTheAccount) {
  SignedIn ann = MustRegister("Ann@Example.com");
  EXPECT_EQ(ann.account.email, "ann@example.com");
  EXPECT_EQ(ann.account.plan, Plan::PLAN_FREE);
  absl::StatusOr<AccountRecord> read = manager_->GetAccount(ann.session.token, Deadline());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->id, ann.account.id);
  EXPECT_FALSE(read->email_verified);
  absl::StatusOr<SignedIn> again = Login("ann@example.com", kPassword);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->account.id, ann.account.id);
  EXPECT_NE(again->session.token, ann.session.token);
}

TEST_F(AccountManagerTest, UnknownEmailAndWrongPasswordGetTheSameAnswer) {
  MustRegister("ann@example.com");
  absl::StatusOr<SignedIn> wrong = Login("ann@example.com", "not the password");
  absl::StatusOr<SignedIn> unknown = Login("bob@example.com", kPassword);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status(), unknown.status());
}

TEST_F(AccountManagerTest, RegisteringATakenEmailAnswersLikeANewOneAndTellsTheOwner) {
  SignedIn first = MustRegister("ann@example.com");
  mail_.Clear();
  SignedIn second = MustRegister("ann@example.com");
  EXPECT_NE(second.account.id, first.account.id);
  ASSERT_EQ(mail_.Mails().size(), 1u);
  EXPECT_TRUE(absl::StrContains(mail_.Mails()[0].subject, "Someone tried to register"));
  EXPECT_FALSE(absl::StrContains(mail_.Mails()[0].body, config_.verify_url_prefix));
  // The address still signs in to the first account only.
  absl::StatusOr<SignedIn> login = Login("ann@example.com", kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->account.id, first.account.id);
}

TEST_F(AccountManagerTest, TheMailedVerificationLinkVerifiesOnce) {
  SignedIn ann = MustRegister("ann@example.com");
  ASSERT_EQ(mail_.Mails().size(), 1u);
  const std::string token = LinkToken(mail_.Mails()[0].body, config_.verify_url_prefix);
  ASSERT_FALSE(token.empty()) << mail_.Mails()[0].body;
  EXPECT_TRUE(manager_->VerifyEmail(token, Deadline()).ok());
  EXPECT_EQ(manager_->VerifyEmail(token, Deadline()).code(), absl::StatusCode::kNotFound);
  absl::StatusOr<AccountRecord> read = manager_->GetAccount(ann.session.token, Deadline());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->email_verified);
  EXPECT_EQ(manager_->RequestEmailVerification(ann.session.token, Deadline()).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AccountManagerTest, DeletingQueuesTheErasureOfJobsAndAssistantDataWithTheVerifiedAddress) {
  SignedIn ann = MustRegister("ann@example.com");
  const std::string token = LinkToken(mail_.Mails()[0].body, config_.verify_url_prefix);
  ASSERT_TRUE(manager_->VerifyEmail(token, Deadline()).ok());
  SignedIn bob = MustRegister("bob@example.com");  // never verified
  ASSERT_TRUE(manager_->DeleteAccount(ann.session.token, kPassword, Deadline()).ok());
  ASSERT_TRUE(manager_->DeleteAccount(bob.session.token, kPassword, Deadline()).ok());
  std::vector<ErasureRequest> queued = erasures_.Queued();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[0].account_id, ann.account.id);
  EXPECT_EQ(queued[0].email, "ann@example.com");
  EXPECT_EQ(queued[1].account_id, bob.account.id);
  // An unverified address may be someone else's: their mailed questions stay.
  EXPECT_EQ(queued[1].email, "");
  EXPECT_FALSE(Login("ann@example.com", kPassword).ok());
}

TEST_F(AccountManagerTest, ADeletionWhoseErasureCannotBeQueuedDeletesNothing) {
  SignedIn ann = MustRegister("ann@example.com");
  erasures_.set_fail_with(absl::UnavailableError("the store did not answer"));
  EXPECT_EQ(manager_->DeleteAccount(ann.session.token, kPassword, Deadline()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(erasures_.Queued().empty());
  EXPECT_TRUE(manager_->GetAccount(ann.session.token, Deadline()).ok());
  EXPECT_TRUE(Login("ann@example.com", kPassword).ok());
  // A wrong password queues nothing either.
  erasures_.set_fail_with(absl::OkStatus());
  EXPECT_EQ(manager_->DeleteAccount(ann.session.token, "not it", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(erasures_.Queued().empty());
}

TEST_F(AccountManagerTest, FailedLoginsAreThrottledWithARetryDelay) {
  MustRegister("ann@example.com");
  for (int i = 0; i < config_.login_failures_per_email; ++i) {
    EXPECT_EQ(Login("ann@example.com", "wrong password").status().code(),
              absl::StatusCode::kUnauthenticated);
  }
  absl::StatusOr<SignedIn> refused = Login("ann@example.com", kPassword);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  std::optional<absl::Duration> retry = RetryAfterOf(refused.status());
  ASSERT_TRUE(retry.has_value());
  EXPECT_GT(*retry, absl::ZeroDuration());
  EXPECT_LE(*retry, config_.login_failure_window);
  // Another network is not locked out by these failures.
  EXPECT_TRUE(Login("ann@example.com", kPassword, "198.51.100.7").ok());
}

TEST_F(AccountManagerTest, ChangePasswordEndsEveryOtherSession) {
  SignedIn ann = MustRegister("ann@example.com");
  absl::StatusOr<SignedIn> other = Login("ann@example.com", kPassword);
  ASSERT_TRUE(other.ok()) << other.status();
  absl::StatusOr<int> ended =
      manager_->ChangePassword(ann.session.token, kPassword, "a new long passphrase", Deadline());
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(*ended, 1);
  EXPECT_TRUE(manager_->GetAccount(ann.session.token, Deadline()).ok());
  EXPECT_EQ(manager_->GetAccount(other->session.token, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Login("ann@example.com", kPassword).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Login("ann@example.com", "a new long passphrase").ok());
  EXPECT_EQ(
      manager_->ChangePassword(ann.session.token, kPassword, "yet another passphrase", Deadline())
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(AccountManagerTest, TheMailedResetLinkSetsThePasswordAndEndsEverySession) {
  SignedIn ann = MustRegister("ann@example.com");
  mail_.Clear();
  ClientInfo client;
  client.address = "192.0.2.10";
  ASSERT_TRUE(manager_->RequestPasswordReset("ann@example.com", client, Deadline()).ok());
  // An unknown address gets the same answer and no mail.
  ASSERT_TRUE(manager_->RequestPasswordReset("bob@example.com", client, Deadline()).ok());
  ASSERT_EQ(mail_.Mails().size(), 1u);
  const std::string token = LinkToken(mail_.Mails()[0].body, config_.reset_url_prefix);
  ASSERT_FALSE(token.empty()) << mail_.Mails()[0].body;
  absl::StatusOr<int> ended = manager_->ResetPassword(token, "a new long passphrase", Deadline());
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(*ended, 1);
  EXPECT_EQ(manager_->GetAccount(ann.session.token, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(manager_->ResetPassword(token, "another long passphrase", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<SignedIn> login = Login("ann@example.com", "a new long passphrase");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_TRUE(login->account.email_verified);  // the link proved the address
}

TEST_F(AccountManagerTest, GuestViewsCarryOverOnRegistration) {
  ClientInfo client;
  client.address = "192.0.2.10";
  absl::StatusOr<IssuedSession> guest = manager_->CreateGuest(client, Deadline());
  ASSERT_TRUE(guest.ok()) << guest.status();
  const Window month = MonthWindow(absl::Now());
  ASSERT_TRUE(
      stores_.meter()->AddViewedCodes(guest->record.account_id, month, {"E11.9"}, Deadline()).ok());
  SignedIn ann = MustRegister("ann@example.com", guest->token);
  absl::StatusOr<std::vector<std::string>> codes =
      stores_.meter()->ViewedCodes(ann.account.id, month, Deadline());
  ASSERT_TRUE(codes.ok()) << codes.status();
  EXPECT_EQ(*codes, std::vector<std::string>{"E11.9"});
  // The guest session ended: its allowance cannot be spent twice.
  EXPECT_EQ(manager_->Validate(guest->token, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AccountManagerTest, ListAndRevokeSessions) {
  SignedIn ann = MustRegister("ann@example.com");
  absl::StatusOr<SignedIn> other = Login("ann@example.com", kPassword);
  ASSERT_TRUE(other.ok()) << other.status();
  absl::StatusOr<SessionList> list = manager_->ListSessions(ann.session.token, Deadline());
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->sessions.size(), 2u);
  EXPECT_EQ(list->current_session_id, ann.session.record.session_id);
  EXPECT_TRUE(
      manager_->RevokeSession(ann.session.token, other->session.record.session_id, Deadline())
          .ok());
  EXPECT_EQ(manager_->GetAccount(other->session.token, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(manager_->RevokeSession(ann.session.token, "no-such-session", Deadline()).code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(manager_->Logout(ann.session.token, Deadline()).ok());
  EXPECT_EQ(manager_->GetAccount(ann.session.token, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

// Counts Touch calls, so a test can see when the meter used its copy.
class CountingSessionStore final : public SessionStore {
 public:
  explicit CountingSessionStore(SessionStore* inner) : inner_(inner) {}
  absl::Status Create(const SessionRecord& s, absl::Time now, absl::Time deadline) override {
    return inner_->Create(s, now, deadline);
  }
  absl::StatusOr<SessionRecord> Touch(const std::string& token_hash, absl::Time now,
                                      absl::Time deadline, bool check_epoch) override {
    ++touches;
    return inner_->Touch(token_hash, now, deadline, check_epoch);
  }
  absl::Status Delete(const SessionRecord& s, absl::Time deadline) override {
    return inner_->Delete(s, deadline);
  }
  absl::StatusOr<std::vector<SessionRecord>> List(const std::string& account_id,
                                                  absl::Time deadline) override {
    return inner_->List(account_id, deadline);
  }
  int touches = 0;

 private:
  SessionStore* inner_;
};

// ConsumeView resolves sessions from an in-process copy; logging out,
// revoking and changing the password still end a session for the meter at
// once, because the meter's own step checks the session index and epoch.
TEST_F(AccountManagerTest, TheMetersSessionCopyNeverOutlivesLogoutRevocationOrPasswordChange) {
  CountingSessionStore counted(stores_.sessions());
  SessionManager meter_sessions(&counted, config_.session_idle, config_.session_lifetime,
                                config_.guest_lifetime);
  SessionCache cache(1024);
  meter_sessions.set_meter_cache(&cache, absl::Minutes(1));
  config_.views_per_month.guest = PlanLimits::kUnlimited;
  Metering meter(&config_, &meter_sessions, stores_.meter());
  auto view = [&](const std::string& token, const std::string& code) {
    return meter.ConsumeView(token, code, "r-" + code, Deadline());
  };

  SignedIn ann = MustRegister("ann@example.com");
  ASSERT_TRUE(view(ann.session.token, "A01").ok());
  ASSERT_TRUE(view(ann.session.token, "A02").ok());
  EXPECT_EQ(counted.touches, 1) << "the second view is answered from the copy";
  ASSERT_TRUE(manager_->Logout(ann.session.token, Deadline()).ok());
  EXPECT_EQ(view(ann.session.token, "A03").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(view(ann.session.token, "A04").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(counted.touches, 2) << "a refused session is forgotten";

  absl::StatusOr<SignedIn> first = Login("ann@example.com", kPassword);
  absl::StatusOr<SignedIn> second = Login("ann@example.com", kPassword);
  absl::StatusOr<SignedIn> third = Login("ann@example.com", kPassword);
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  for (const SignedIn* s : {&*first, &*second, &*third}) {
    ASSERT_TRUE(view(s->session.token, "B01").ok());
  }
  ASSERT_TRUE(
      manager_->RevokeSession(first->session.token, second->session.record.session_id, Deadline())
          .ok());
  EXPECT_EQ(view(second->session.token, "B02").status().code(), absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(
      manager_->ChangePassword(first->session.token, kPassword, "a new long passphrase", Deadline())
          .ok());
  EXPECT_EQ(view(third->session.token, "B03").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(view(first->session.token, "B04").ok()) << "the session that changed it stays";
}

TEST_F(AccountManagerTest, AStoreThatIsDownGivesUnavailable) {
  SignedIn ann = MustRegister("ann@example.com");
  stores_.set_unavailable(true);
  EXPECT_EQ(manager_->GetAccount(ann.session.token, Deadline()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(Login("ann@example.com", kPassword).status().code(), absl::StatusCode::kUnavailable);
  stores_.set_unavailable(false);
  EXPECT_TRUE(manager_->GetAccount(ann.session.token, Deadline()).ok());
}

}  // namespace
}  // namespace openencoder::account
