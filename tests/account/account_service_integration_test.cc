// The account service end to end: a real redis-server (AOF, appendfsync
// always) and real gRPC over loopback to an in-process server on port 0.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/account/redis_account_store.h"
#include "services/account/redis_keys.h"
#include "services/account/session_tokens.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "tests/account/account_service_fixture.h"
#include "tests/support/redis_users.h"

namespace openencoder::account {
namespace {

namespace pb = ::openencoder::account::v1;

class AccountServiceTest : public AccountServiceFixture {
 protected:
  void SetUp() override {
    AccountServiceFixture::SetUp();
    StartService(AccountConfig{});
  }

  void StartService(AccountConfig config) {
    config.admin_emails = {"boss@example.com"};
    StartBackend(std::move(config));
    // Internal-only methods answer only to the services that call them
    // (services/common/method_acl.cc): each is called with that identity.
    catalogue_stub_ = StubAs("catalogue");
    assistant_stub_ = StubAs("assistant");
    operator_stub_ = StubAs("operator");
  }

  std::unique_ptr<pb::AccountService::Stub> StubAs(const std::string& identity) {
    common::ChannelOptions options;
    options.client_identity = identity;
    return pb::AccountService::NewStub(common::MakeChannel(server_->address(), options));
  }

  grpc::Status Register(const std::string& email, pb::RegisterResponse* out,
                        const std::string& guest_token = "",
                        const std::string& password = kPassword) {
    pb::RegisterRequest req;
    req.set_email(email);
    req.set_password(password);
    req.set_display_name("Ann Coder");
    req.set_role(pb::ROLE_CODER);
    req.set_guest_session_token(guest_token);
    req.set_client_address("10.0.0.1");
    return Call(stub_.get(), &pb::AccountService::Stub::Register, req, out);
  }

  // Registers `email` and verifies it the way its owner's mailed link does
  // (VerifyEmail with a token whose hash is put where Register puts it):
  // free accounts have their 6 views, and admin emails their role, only then.
  std::string RegisterOk(const std::string& email, const std::string& guest_token = "") {
    pb::RegisterResponse r;
    grpc::Status s = Register(email, &r, guest_token);
    EXPECT_TRUE(s.ok()) << s.error_message();
    VerifyByLink(r.account().account_id(), r.account().email());
    return r.session().token();
  }

  void VerifyByLink(const std::string& account_id, const std::string& email) {
    const std::string token = NewVerificationToken(account_id);
    absl::StatusOr<redis::RedisReply> put = backend_->redis()->Command(
        {"SET", keys::Verification(account_id, VerificationTokenHash(token)), email, "PX", "60000"},
        absl::Now() + absl::Seconds(5));
    ASSERT_TRUE(put.ok()) << put.status();
    pb::VerifyEmailRequest req;
    req.set_token(token);
    pb::VerifyEmailResponse resp;
    grpc::Status s = Call(stub_.get(), &pb::AccountService::Stub::VerifyEmail, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A new session of `email` (password kPassword), from the default address.
  pb::LoginResponse LoginOk(const std::string& email) {
    pb::LoginResponse login;
    grpc::Status s = Login(email, kPassword, &login);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return login;
  }

  grpc::Status Login(const std::string& email, const std::string& password, pb::LoginResponse* out,
                     const std::string& address = "10.0.0.2",
                     std::multimap<std::string, std::string>* trailers = nullptr) {
    pb::LoginRequest req;
    req.set_email(email);
    req.set_password(password);
    req.set_client_address(address);
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    grpc::Status s = stub_->Login(&ctx, req, out);
    if (trailers != nullptr) {
      for (const auto& [k, v] : ctx.GetServerTrailingMetadata()) {
        trailers->emplace(std::string(k.data(), k.size()), std::string(v.data(), v.size()));
      }
    }
    return s;
  }

  std::string GuestToken(const std::string& address = "10.0.0.9") {
    pb::CreateGuestSessionRequest req;
    req.set_client_address(address);
    pb::CreateGuestSessionResponse resp;
    grpc::Status s = Call(stub_.get(), &pb::AccountService::Stub::CreateGuestSession, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.session().token();
  }

  grpc::Status View(const std::string& token, const std::string& code,
                    const std::string& request_id, pb::ConsumeViewResponse* out,
                    absl::Duration deadline = absl::Seconds(5)) {
    pb::ConsumeViewRequest req;
    req.set_session_token(token);
    req.set_code(code);
    req.set_request_id(request_id);
    grpc::ClientContext ctx;
    WithDeadline(&ctx, deadline);
    return catalogue_stub_->ConsumeView(&ctx, req, out);
  }

  pb::Quota Quota(const std::string& token) {
    pb::GetQuotaRequest req;
    req.set_session_token(token);
    pb::GetQuotaResponse resp;
    grpc::Status s = Call(stub_.get(), &pb::AccountService::Stub::GetQuota, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.quota();
  }

  grpc::StatusCode ValidateCode(const std::string& token) {
    pb::ValidateSessionRequest req;
    req.set_session_token(token);
    pb::ValidateSessionResponse resp;
    return Call(stub_.get(), &pb::AccountService::Stub::ValidateSession, req, &resp).error_code();
  }

  std::unique_ptr<pb::AccountService::Stub> catalogue_stub_;
  std::unique_ptr<pb::AccountService::Stub> assistant_stub_;
  std::unique_ptr<pb::AccountService::Stub> operator_stub_;
};

TEST_F(AccountServiceTest, TwoHundredConcurrentViewsOnFreshFreeAccountAllowExactlySix) {
  const std::string token = RegisterOk("ann@example.com");
  std::atomic<int> allowed{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        pb::ConsumeViewResponse r;
        const std::string n = absl::StrCat(t, "-", i);
        grpc::Status s = View(token, "ICD10CM:C" + n, "req-" + n, &r);
        if (!s.ok()) ++errors;
        if (r.allowed()) ++allowed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(allowed.load(), 6);
  const pb::Quota q = Quota(token);
  EXPECT_EQ(q.views_used(), 6);
  EXPECT_EQ(q.views_remaining(), 0);
  EXPECT_EQ(q.view_limit(), 6);
  EXPECT_EQ(q.plan(), pb::PLAN_FREE);
  EXPECT_FALSE(q.upgrade_hint().empty());
}

TEST_F(AccountServiceTest, ReopeningAnOpenedCodeIsFreeEvenAtTheLimit) {
  const std::string token = RegisterOk("ann@example.com");
  pb::ConsumeViewResponse r;
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(View(token, absl::StrCat("C", i), absl::StrCat("r", i), &r).ok());
  ASSERT_TRUE(View(token, "C6", "r6", &r).ok());
  EXPECT_FALSE(r.allowed());
  ASSERT_TRUE(View(token, "C2", "r7", &r).ok());
  EXPECT_TRUE(r.allowed());
  EXPECT_TRUE(r.already_viewed());
  EXPECT_EQ(r.quota().views_used(), 6);
}

TEST_F(AccountServiceTest, DuplicateRequestIdCountsOnce) {
  const std::string token = RegisterOk("ann@example.com");
  pb::ConsumeViewResponse first, retry;
  ASSERT_TRUE(View(token, "E119", "same-id", &first).ok());
  ASSERT_TRUE(View(token, "E119", "same-id", &retry).ok());
  EXPECT_TRUE(first.allowed());
  EXPECT_FALSE(first.replayed());
  EXPECT_TRUE(retry.allowed());
  EXPECT_TRUE(retry.replayed());
  // The id is bound to the code: the same id with another code is a new
  // view, never a free one.
  ASSERT_TRUE(View(token, "I10", "same-id", &retry).ok());
  EXPECT_FALSE(retry.replayed());
  EXPECT_EQ(Quota(token).views_used(), 2);
}

TEST_F(AccountServiceTest, ARequestIdReplayedForOtherCodesOpensNothingOnceSpent) {
  const std::string guest = GuestToken();
  pb::ConsumeViewResponse r;
  ASSERT_TRUE(View(guest, "E119", "r1", &r).ok());
  EXPECT_TRUE(r.allowed());
  for (const char* code : {"I10", "J189", "R519"}) {
    ASSERT_TRUE(View(guest, code, "r1", &r).ok());
    EXPECT_FALSE(r.allowed()) << code;
    EXPECT_FALSE(r.replayed()) << code;
  }
  ASSERT_TRUE(View(guest, "E119", "r1", &r).ok());
  EXPECT_TRUE(r.allowed());
  EXPECT_TRUE(r.replayed());
}

TEST_F(AccountServiceTest, UnverifiedFreeAccountHasTheGuestsAllowance) {
  pb::RegisterResponse reg;
  ASSERT_TRUE(Register("new@example.com", &reg).ok());
  pb::ConsumeViewResponse r;
  ASSERT_TRUE(View(reg.session().token(), "E119", "v1", &r).ok());
  EXPECT_TRUE(r.allowed());
  ASSERT_TRUE(View(reg.session().token(), "I10", "v2", &r).ok());
  EXPECT_FALSE(r.allowed());
  EXPECT_EQ(r.quota().view_limit(), 1);
  EXPECT_EQ(r.quota().plan(), pb::PLAN_FREE);
  EXPECT_EQ(r.quota().upgrade_hint(), "Confirm your email address to get 5 more views");
  VerifyByLink(reg.account().account_id(), reg.account().email());
  ASSERT_TRUE(View(reg.session().token(), "I10", "v3", &r).ok());
  EXPECT_TRUE(r.allowed());
  EXPECT_EQ(r.quota().view_limit(), 6);
}

TEST_F(AccountServiceTest, RevokedSessionIsRefusedByTheMeterItself) {
  const std::string a = RegisterOk("ann@example.com");
  const pb::LoginResponse other = LoginOk("ann@example.com");
  pb::ChangePasswordRequest req;
  req.set_session_token(a);
  req.set_current_password(kPassword);
  req.set_new_password("a-brand-new-passphrase");
  pb::ChangePasswordResponse resp;
  ASSERT_TRUE(Call(stub_.get(), &pb::AccountService::Stub::ChangePassword, req, &resp).ok());
  pb::ConsumeViewResponse r;
  EXPECT_EQ(View(other.session().token(), "E119", "x1", &r).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(View(a, "E119", "x2", &r).ok()) << "the changing session is kept";
}

TEST_F(AccountServiceTest, GuestGetsOneViewAndCarriesItOverOnRegistration) {
  const std::string guest = GuestToken();
  pb::ConsumeViewResponse r;
  ASSERT_TRUE(View(guest, "E119", "g1", &r).ok());
  EXPECT_TRUE(r.allowed());
  ASSERT_TRUE(View(guest, "I10", "g2", &r).ok());
  EXPECT_FALSE(r.allowed());
  EXPECT_EQ(r.quota().plan(), pb::PLAN_GUEST);
  EXPECT_EQ(r.quota().upgrade_hint(), "Register a free account to get 5 more views");

  const std::string account = RegisterOk("ann@example.com", guest);
  const pb::Quota q = Quota(account);
  EXPECT_EQ(q.views_used(), 1);
  EXPECT_EQ(q.views_remaining(), 5);
  // The guest's page opens again for free on the account.
  ASSERT_TRUE(View(account, "E119", "a1", &r).ok());
  EXPECT_TRUE(r.already_viewed());
  // The guest session is spent.
  EXPECT_EQ(ValidateCode(guest), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountServiceTest, GuestViewsCarryOverOnLoginToo) {
  RegisterOk("ann@example.com");
  const std::string guest = GuestToken();
  pb::ConsumeViewResponse r;
  ASSERT_TRUE(View(guest, "E119", "g1", &r).ok());
  pb::LoginRequest req;
  req.set_email("ann@example.com");
  req.set_password(kPassword);
  req.set_guest_session_token(guest);
  pb::LoginResponse resp;
  ASSERT_TRUE(Call(stub_.get(), &pb::AccountService::Stub::Login, req, &resp).ok());
  EXPECT_EQ(Quota(resp.session().token()).views_used(), 1);
}

TEST_F(AccountServiceTest, RedisKilledAndRestartedDuringARunLosesNoAcknowledgedView) {
  AccountConfig config;
  config.views_per_month.free = 100000;
  StartService(config);
  const std::string token = RegisterOk("ann@example.com");
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  std::vector<std::string> acknowledged;
  int unavailable = 0;
  std::thread viewer([&] {
    for (int i = 0; !stop.load(); ++i) {
      pb::ConsumeViewResponse r;
      const std::string code = absl::StrCat("K", i);
      grpc::Status s = View(token, code, absl::StrCat("k", i), &r, absl::Seconds(1));
      absl::MutexLock lock(&mu);
      if (s.ok() && r.allowed()) acknowledged.push_back(code);
      if (s.error_code() == grpc::StatusCode::UNAVAILABLE) ++unavailable;
    }
  });
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(redis_->Kill().ok());
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(redis_->Restart().ok());
  absl::SleepFor(absl::Milliseconds(300));
  stop = true;
  viewer.join();

  absl::MutexLock lock(&mu);
  ASSERT_GT(acknowledged.size(), 0u);
  EXPECT_GT(unavailable, 0) << "the kill should have been visible as UNAVAILABLE";
  const pb::Quota q = Quota(token);
  EXPECT_GE(q.views_used(), static_cast<int>(acknowledged.size()));
  for (const std::string& code : acknowledged) {
    pb::ConsumeViewResponse r;
    ASSERT_TRUE(View(token, code, "again-" + code, &r).ok());
    EXPECT_TRUE(r.already_viewed()) << code << " was acknowledged but lost";
  }
}

TEST_F(AccountServiceTest, RedisDownGivesUnavailableAndRecoversWhenBack) {
  const std::string token = RegisterOk("ann@example.com");
  ASSERT_TRUE(redis_->Kill().ok());
  pb::ConsumeViewResponse r;
  grpc::Status s = View(token, "E119", "r1", &r, absl::Seconds(2));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_FALSE(r.allowed());
  ASSERT_TRUE(redis_->Restart().ok());
  s = View(token, "E119", "r1", &r);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(r.allowed());
}

TEST_F(AccountServiceTest, PausedRedisGivesUnavailableWithinTheDeadline) {
  const std::string token = RegisterOk("ann@example.com");
  ASSERT_TRUE(redis_->Pause().ok());
  pb::ConsumeViewResponse r;
  grpc::Status s = View(token, "E119", "r1", &r, absl::Seconds(3));
  ASSERT_TRUE(redis_->Resume().ok());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_FALSE(r.allowed());
}

TEST_F(AccountServiceTest, UnknownEmailAndWrongPasswordLookTheSame) {
  RegisterOk("ann@example.com");
  pb::LoginResponse r;
  grpc::Status wrong = Login("ann@example.com", "not-the-password", &r);
  grpc::Status unknown = Login("nobody@example.com", "not-the-password", &r);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), wrong.error_code());
  EXPECT_EQ(unknown.error_message(), wrong.error_message());
  EXPECT_TRUE(Login("  ANN@example.com ", kPassword, &r).ok());
}

TEST_F(AccountServiceTest, RegisteringAnExistingEmailAnswersLikeANewOne) {
  pb::RegisterResponse first, second;
  ASSERT_TRUE(Register("ann@example.com", &first).ok());
  grpc::Status s = Register("ann@example.com", &second, "", "another-long-secret");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(second.account().email(), first.account().email());
  EXPECT_EQ(second.account().plan(), first.account().plan());
  EXPECT_EQ(second.account().email_verified(), first.account().email_verified());
  EXPECT_NE(second.account().account_id(), first.account().account_id());
  EXPECT_FALSE(second.session().token().empty());
  // Only the owner can log in with the email; the second password does nothing.
  pb::LoginResponse login;
  EXPECT_EQ(Login("ann@example.com", "another-long-secret", &login).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(Login("ann@example.com", kPassword, &login).ok());
  EXPECT_EQ(login.account().account_id(), first.account().account_id());
}

TEST_F(AccountServiceTest, FailedLoginsAreThrottledPerAccountWithRetryAfter) {
  RegisterOk("ann@example.com");
  pb::LoginResponse r;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Login("ann@example.com", "wrong-password", &r).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  std::multimap<std::string, std::string> trailers;
  grpc::Status s = Login("ann@example.com", kPassword, &r, "10.0.0.2", &trailers);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("try again in"), std::string::npos) << s.error_message();
  EXPECT_EQ(trailers.count("retry-after-ms"), 1u);
  // Unknown emails are throttled the same way, so throttling reveals nothing.
  for (int i = 0; i < 5; ++i) Login("ghost@example.com", "wrong-password", &r, "10.0.0.3");
  EXPECT_EQ(Login("ghost@example.com", "wrong-password", &r, "10.0.0.3").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(AccountServiceTest, FailedLoginsAreThrottledPerAddress) {
  AccountConfig config;
  config.login_failures_per_address = 3;
  StartService(config);
  pb::LoginResponse r;
  for (int i = 0; i < 3; ++i)
    Login(absl::StrCat("u", i, "@example.com"), "wrong-pass", &r, "10.1.1.1");
  EXPECT_EQ(Login("other@example.com", "wrong-pass", &r, "10.1.1.1").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Another host of the same /24 is the same network; another network is not.
  EXPECT_EQ(Login("other@example.com", "wrong-pass", &r, "10.1.1.2").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Login("other@example.com", "wrong-pass", &r, "10.1.2.1").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountServiceTest, StrangersElsewhereCannotLockTheOwnerOut) {
  RegisterOk("ann@example.com");
  pb::LoginResponse r;
  for (int i = 0; i < 10; ++i) Login("ann@example.com", "wrong-password", &r, "192.0.2.7");
  EXPECT_EQ(Login("ann@example.com", kPassword, &r, "192.0.2.7").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Login("ann@example.com", kPassword, &r, "198.51.100.4").ok());
}

TEST_F(AccountServiceTest, ChangePasswordIsThrottled) {
  const std::string a = RegisterOk("ann@example.com");
  pb::ChangePasswordRequest req;
  req.set_session_token(a);
  req.set_current_password("not-the-password");
  req.set_new_password("a-brand-new-passphrase");
  pb::ChangePasswordResponse resp;
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Call(stub_.get(), &pb::AccountService::Stub::ChangePassword, req, &resp).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  req.set_current_password(kPassword);
  EXPECT_EQ(Call(stub_.get(), &pb::AccountService::Stub::ChangePassword, req, &resp).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(AccountServiceTest, ChangePasswordEndsEveryOtherSession) {
  const std::string a = RegisterOk("ann@example.com");
  const pb::LoginResponse l1 = LoginOk("ann@example.com");
  const pb::LoginResponse l2 = LoginOk("ann@example.com");
  pb::ChangePasswordRequest req;
  req.set_session_token(a);
  req.set_current_password("wrong-current");
  req.set_new_password("a-brand-new-secret");
  pb::ChangePasswordResponse resp;
  EXPECT_EQ(Call(stub_.get(), &pb::AccountService::Stub::ChangePassword, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_current_password(kPassword);
  {
    grpc::Status s = Call(stub_.get(), &pb::AccountService::Stub::ChangePassword, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(resp.sessions_ended(), 2);
  EXPECT_EQ(ValidateCode(a), grpc::StatusCode::OK);
  EXPECT_EQ(ValidateCode(l1.session().token()), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ValidateCode(l2.session().token()), grpc::StatusCode::UNAUTHENTICATED);
  pb::LoginResponse r;
  EXPECT_EQ(Login("ann@example.com", kPassword, &r).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Login("ann@example.com", "a-brand-new-secret", &r).ok());
}

// The password change is one script (new hash + new session epoch + index
// cleanup); deleting the revoked session records afterwards is housekeeping.
// Running only the script, as if the server crashed right after it, must
// already leave the final state: other sessions refused everywhere, the
// caller's session alive, only the new password accepted.
TEST_F(AccountServiceTest, PasswordChangeScriptAloneRevokesOtherSessionsAsIfCrashedAfter) {
  pb::RegisterResponse reg;
  ASSERT_TRUE(Register("ann@example.com", &reg).ok());
  const std::string a = reg.session().token();
  const pb::LoginResponse l1 = LoginOk("ann@example.com");
  const pb::LoginResponse l2 = LoginOk("ann@example.com");
  RedisAccountStore store(backend_->redis());
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  absl::StatusOr<AccountRecord> before = store.Get(reg.account().account_id(), deadline);
  ASSERT_TRUE(before.ok()) << before.status();
  absl::StatusOr<PasswordHasher> hasher =
      PasswordHasher::Create(HashCost{1, size_t{1} << 20}, /*allow_weak_for_tests=*/true);
  ASSERT_TRUE(hasher.ok());
  absl::StatusOr<std::string> new_hash = hasher->Hash("a-brand-new-secret");
  ASSERT_TRUE(new_hash.ok());

  // A stale expected hash (a concurrent change won): nothing at all changes.
  absl::StatusOr<std::vector<std::string>> refused = store.ReplacePasswordAndRevokeOthers(
      before->id, "not-the-current-hash", *new_hash, reg.session().session_id(), deadline);
  EXPECT_TRUE(absl::IsAborted(refused.status())) << refused.status();
  EXPECT_EQ(ValidateCode(l1.session().token()), grpc::StatusCode::OK);
  EXPECT_EQ(ValidateCode(l2.session().token()), grpc::StatusCode::OK);

  absl::StatusOr<std::vector<std::string>> removed = store.ReplacePasswordAndRevokeOthers(
      before->id, before->password_hash, *new_hash, reg.session().session_id(), deadline);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->size(), 2u);
  // "Crash" here: the revoked session records were never deleted.
  EXPECT_EQ(ValidateCode(a), grpc::StatusCode::OK);
  EXPECT_EQ(ValidateCode(l1.session().token()), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ValidateCode(l2.session().token()), grpc::StatusCode::UNAUTHENTICATED);
  pb::ConsumeViewResponse view;
  EXPECT_EQ(View(l1.session().token(), "ICD10CM:E119", "r1", &view).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(View(a, "ICD10CM:E119", "r2", &view).ok());
  pb::LoginResponse r;
  EXPECT_EQ(Login("ann@example.com", kPassword, &r).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Login("ann@example.com", "a-brand-new-secret", &r).ok());
  EXPECT_EQ(ValidateCode(r.session().token()), grpc::StatusCode::OK);  // new epoch
}

TEST_F(AccountServiceTest, AnotherPasswordChangeFromANewerSessionRevokesTheOnceKeptOne) {
  const std::string a = RegisterOk("ann@example.com");
  auto change = [this](const std::string& token, const std::string& from, const std::string& to) {
    pb::ChangePasswordRequest req;
    req.set_session_token(token);
    req.set_current_password(from);
    req.set_new_password(to);
    pb::ChangePasswordResponse resp;
    return Call(stub_.get(), &pb::AccountService::Stub::ChangePassword, req, &resp);
  };
  ASSERT_TRUE(change(a, kPassword, "second-secret-word").ok());
  EXPECT_EQ(ValidateCode(a), grpc::StatusCode::OK);
  pb::LoginResponse b;
  ASSERT_TRUE(Login("ann@example.com", "second-secret-word", &b).ok());
  ASSERT_TRUE(change(b.session().token(), "second-secret-word", "third-secret-word").ok());
  EXPECT_EQ(ValidateCode(b.session().token()), grpc::StatusCode::OK);
  EXPECT_EQ(ValidateCode(a), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountServiceTest, ListRevokeAndLogoutEndSessions) {
  const std::string a = RegisterOk("ann@example.com");
  const pb::LoginResponse other = LoginOk("ann@example.com");
  pb::ListSessionsRequest list_req;
  list_req.set_session_token(a);
  pb::ListSessionsResponse list;
  ASSERT_TRUE(Call(stub_.get(), &pb::AccountService::Stub::ListSessions, list_req, &list).ok());
  ASSERT_EQ(list.sessions_size(), 2);
  int current = 0;
  for (const auto& s : list.sessions()) current += s.current();
  EXPECT_EQ(current, 1);

  pb::RevokeSessionRequest revoke;
  revoke.set_session_token(a);
  revoke.set_session_id(other.session().session_id());
  pb::RevokeSessionResponse revoked;
  ASSERT_TRUE(Call(stub_.get(), &pb::AccountService::Stub::RevokeSession, revoke, &revoked).ok());
  EXPECT_EQ(ValidateCode(other.session().token()), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      Call(stub_.get(), &pb::AccountService::Stub::RevokeSession, revoke, &revoked).error_code(),
      grpc::StatusCode::NOT_FOUND);
  pb::LogoutRequest logout;
  logout.set_session_token(a);
  pb::LogoutResponse out;
  for (int i = 0; i < 2; ++i) {  // idempotent
    EXPECT_TRUE(Call(stub_.get(), &pb::AccountService::Stub::Logout, logout, &out).ok());
  }
  EXPECT_EQ(ValidateCode(a), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountServiceTest, BadInputGetsInvalidArgumentWithAnActionableMessage) {
  pb::RegisterResponse r;
  grpc::Status s = Register("not-an-email", &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("@"), std::string::npos);
  s = Register("ann@example.com", &r, "", "short");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("at least 8"), std::string::npos);
  s = Register("ann@example.com", &r, "", "password123");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("too common"), std::string::npos);

  const std::string token = RegisterOk("ann@example.com");
  pb::ConsumeViewResponse v;
  s = View(token, "", "r1", &v);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("code is required"), std::string::npos);
  s = View(token, "E119", "", &v);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  s = View("", "E119", "r1", &v);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountServiceTest, CheckRateAppliesPerPlanDailyLimitsAndUnknownFeatureIsInvalid) {
  const std::string guest = GuestToken();
  pb::CheckRateRequest req;
  req.set_session_token(guest);
  req.set_feature("assistant.ask");
  pb::CheckRateResponse resp;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Call(assistant_stub_.get(), &pb::AccountService::Stub::CheckRate, req, &resp).ok());
    EXPECT_TRUE(resp.allowed());
    EXPECT_EQ(resp.remaining(), 2 - i);
  }
  {
    ASSERT_TRUE(Call(assistant_stub_.get(), &pb::AccountService::Stub::CheckRate, req, &resp).ok());
    EXPECT_FALSE(resp.allowed());
    EXPECT_GT(resp.retry_after().seconds(), 0);
  }
  req.set_feature("nonsense");
  EXPECT_EQ(
      Call(assistant_stub_.get(), &pb::AccountService::Stub::CheckRate, req, &resp).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AccountServiceTest, AdminFromSettingsSetsPlanAndOthersCannot) {
  const std::string admin = RegisterOk("boss@example.com");
  pb::RegisterResponse user;
  ASSERT_TRUE(Register("ann@example.com", &user).ok());
  pb::SetPlanRequest req;
  req.set_account_id(user.account().account_id());
  req.set_plan(pb::PLAN_PRO);
  pb::SetPlanResponse resp;
  req.set_session_token(user.session().token());
  EXPECT_EQ(Call(operator_stub_.get(), &pb::AccountService::Stub::SetPlan, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_session_token(admin);
  {
    grpc::Status s = Call(operator_stub_.get(), &pb::AccountService::Stub::SetPlan, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(resp.account().plan(), pb::PLAN_PRO);
  const pb::Quota q = Quota(user.session().token());
  EXPECT_TRUE(q.unlimited());
  req.set_account_id("no-such-account");
  EXPECT_EQ(Call(operator_stub_.get(), &pb::AccountService::Stub::SetPlan, req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AccountServiceTest, GuestSessionsAreCappedPerNetworkAndPerDevice) {
  AccountConfig config;
  config.guests_per_address_per_day = 5;
  StartService(config);
  auto create = [&](const std::string& address, const std::string& device) {
    pb::CreateGuestSessionRequest req;
    req.set_client_address(address);
    req.set_device_id(device);
    pb::CreateGuestSessionResponse resp;
    return Call(stub_.get(), &pb::AccountService::Stub::CreateGuestSession, req, &resp)
        .error_code();
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(create(absl::StrCat("10.9.9.", i), ""), grpc::OK);
  EXPECT_EQ(create("10.9.9.200", ""), grpc::StatusCode::RESOURCE_EXHAUSTED) << "same /24";
  EXPECT_EQ(create("10.9.10.1", ""), grpc::OK);
  EXPECT_EQ(create("2001:db8:0:1::1", ""), grpc::OK);
  // Three per device and day, wherever it is.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(create(absl::StrCat("10.8.", i, ".1"), "dev-1"), grpc::OK);
  EXPECT_EQ(create("10.8.9.1", "dev-1"), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(create("10.8.9.1", "dev-2"), grpc::OK);
}

TEST_F(AccountServiceTest, AskRequestIdCountsOnceOnlyForTheSameQuestion) {
  const std::string guest = GuestToken();
  auto ask = [&](const std::string& scope) {
    pb::CheckRateRequest req;
    req.set_session_token(guest);
    req.set_feature("assistant.ask");
    req.set_request_id("same-id");
    req.set_idempotency_scope(scope);
    pb::CheckRateResponse resp;
    EXPECT_TRUE(Call(assistant_stub_.get(), &pb::AccountService::Stub::CheckRate, req, &resp).ok());
    return resp;
  };
  EXPECT_EQ(ask("conv\nwhat is E11.9").remaining(), 2);
  EXPECT_EQ(ask("conv\nwhat is E11.9").remaining(), 2) << "a retry counts once";
  EXPECT_EQ(ask("conv\nwhat is I10").remaining(), 1);
  EXPECT_EQ(ask("conv\nwhat is J18.9").remaining(), 0);
  EXPECT_FALSE(ask("conv\nwhat is R51.9").allowed());
}

TEST_F(AccountServiceTest, GuestSessionHasNoAccountButValidates) {
  const std::string guest = GuestToken();
  pb::ValidateSessionRequest req;
  req.set_session_token(guest);
  pb::ValidateSessionResponse resp;
  ASSERT_TRUE(Call(stub_.get(), &pb::AccountService::Stub::ValidateSession, req, &resp).ok());
  EXPECT_TRUE(resp.guest());
  EXPECT_TRUE(resp.account_id().empty());
  EXPECT_EQ(resp.plan(), pb::PLAN_GUEST);
  pb::GetAccountRequest get;
  get.set_session_token(guest);
  pb::GetAccountResponse account;
  grpc::ClientContext ctx2;
  WithDeadline(&ctx2);
  EXPECT_EQ(stub_->GetAccount(&ctx2, get, &account).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace openencoder::account
