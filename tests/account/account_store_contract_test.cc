// One suite, two implementations: the contracts of account_store.h,
// session_store.h, meter_store.h and limit_store.h checked against the Redis
// stores on a real redis-server and against the in-memory fakes, so the fakes
// that account_manager_unit_test runs on answer as the real stores do
// (status codes, atomic steps, orderings, idempotence).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/account/in_memory_stores.h"
#include "services/account/redis_account_store.h"
#include "services/account/redis_limit_store.h"
#include "services/account/redis_meter_store.h"
#include "services/account/redis_session_store.h"
#include "services/common/redis/redis_client.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::account {
namespace {

struct Stores {
  AccountStore* accounts = nullptr;
  SessionStore* sessions = nullptr;
  MeterStore* meter = nullptr;
  LimitStore* limits = nullptr;
};

class StoreFactory {
 public:
  virtual ~StoreFactory() = default;
  virtual Stores Fresh() = 0;  // empty stores, valid until the next Fresh()
};

class InMemoryFactory final : public StoreFactory {
 public:
  Stores Fresh() override {
    stores_ = std::make_unique<InMemoryAccountStores>(absl::ZeroDuration());
    return {stores_->accounts(), stores_->sessions(), stores_->meter(), stores_->limits()};
  }

 private:
  std::unique_ptr<InMemoryAccountStores> stores_;
};

class RedisFactory final : public StoreFactory {
 public:
  Stores Fresh() override {
    if (!server_) {
      auto server = test_support::RedisServer::Start();
      EXPECT_TRUE(server.ok()) << server.status();
      if (!server.ok()) return {};
      server_ = std::move(*server);
      auto client = redis::RedisClient::Create(test_support::RedisOptionsAs(*server_, "account"));
      EXPECT_TRUE(client.ok()) << client.status();
      if (!client.ok()) return {};
      client_ = std::move(*client);
    }
    EXPECT_TRUE(server_->FlushAll().ok());
    accounts_ = std::make_unique<RedisAccountStore>(client_.get());
    sessions_ = std::make_unique<RedisSessionStore>(client_.get(), absl::ZeroDuration());
    meter_ = std::make_unique<RedisMeterStore>(client_.get());
    limits_ = std::make_unique<RedisLimitStore>(client_.get());
    return {accounts_.get(), sessions_.get(), meter_.get(), limits_.get()};
  }

 private:
  std::unique_ptr<test_support::RedisServer> server_;
  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<RedisAccountStore> accounts_;
  std::unique_ptr<RedisSessionStore> sessions_;
  std::unique_ptr<RedisMeterStore> meter_;
  std::unique_ptr<RedisLimitStore> limits_;
};

StoreFactory* Factory(const std::string& name) {
  static auto* memory = new InMemoryFactory;
  static auto* redis = new RedisFactory;
  return name == "InMemory" ? static_cast<StoreFactory*>(memory) : redis;
}

AccountRecord Account(const std::string& id, Plan plan = Plan::PLAN_FREE, bool verified = false) {
  AccountRecord a;
  a.id = id;
  a.email = id + "@example.com";
  a.display_name = "Person " + id;
  a.plan = plan;
  a.roles = {Role::ROLE_CODER};
  a.created_at = absl::FromUnixSeconds(1'800'000'000);
  a.password_hash = "hash-0";
  a.email_verified = verified;
  return a;
}

SessionRecord Session(const std::string& sid, const std::string& account_id, absl::Time created,
                      int64_t epoch = 0) {
  SessionRecord s;
  s.session_id = sid;
  s.token_hash = "th-" + sid;
  s.account_id = account_id;
  s.created_at = created;
  s.last_seen_at = created;
  s.expires_at = created + absl::Hours(24);
  s.idle_timeout = absl::Hours(1);
  s.client_address = "192.0.2.1";
  s.user_agent = "test";
  s.epoch = epoch;
  return s;
}

class AccountStoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    s_ = Factory(GetParam())->Fresh();
    ASSERT_NE(s_.accounts, nullptr);
  }
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(5); }

  Stores s_;
};

TEST_P(AccountStoreContractTest, CreatedAccountReadsBackAndUnknownIsNotFound) {
  AccountRecord a = Account("a1", Plan::PLAN_PRO, true);
  a.roles = {Role::ROLE_CODER, Role::ROLE_ADMIN};
  ASSERT_TRUE(s_.accounts->Create(a, absl::ZeroDuration(), Deadline()).ok());
  absl::StatusOr<AccountRecord> read = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->email, a.email);
  EXPECT_EQ(read->display_name, a.display_name);
  EXPECT_EQ(read->plan, Plan::PLAN_PRO);
  EXPECT_EQ(read->roles, a.roles);
  EXPECT_EQ(read->created_at, a.created_at);
  EXPECT_EQ(read->password_hash, "hash-0");
  EXPECT_TRUE(read->email_verified);
  EXPECT_EQ(read->session_epoch, 0);
  EXPECT_EQ(s_.accounts->Get("nobody", Deadline()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s_.accounts->MarkVerified("nobody", Deadline()).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s_.accounts->SetPasswordHash("nobody", "h", Deadline()).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(AccountStoreContractTest, AnEmailIsClaimedOnce) {
  absl::StatusOr<bool> first = s_.accounts->ClaimEmail("eh", "a1", Deadline());
  absl::StatusOr<bool> second = s_.accounts->ClaimEmail("eh", "a2", Deadline());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*second);
  absl::StatusOr<std::string> owner = s_.accounts->FindByEmail("eh", Deadline());
  ASSERT_TRUE(owner.ok()) << owner.status();
  EXPECT_EQ(*owner, "a1");
  EXPECT_EQ(s_.accounts->FindByEmail("other", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(AccountStoreContractTest, SetPlanAndRolesChangesOnlyWhatIsGiven) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  ASSERT_TRUE(
      s_.accounts->SetPlanAndRoles("a1", Plan::PLAN_ENTERPRISE, std::nullopt, Deadline()).ok());
  absl::StatusOr<AccountRecord> read = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->plan, Plan::PLAN_ENTERPRISE);
  EXPECT_EQ(read->roles, std::vector<Role>{Role::ROLE_CODER});
  ASSERT_TRUE(
      s_.accounts
          ->SetPlanAndRoles("a1", std::nullopt, std::vector<Role>{Role::ROLE_EMPLOYER}, Deadline())
          .ok());
  read = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->plan, Plan::PLAN_ENTERPRISE);
  EXPECT_EQ(read->roles, std::vector<Role>{Role::ROLE_EMPLOYER});
  EXPECT_EQ(s_.accounts->SetPlanAndRoles("nobody", Plan::PLAN_PRO, std::nullopt, Deadline()).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(AccountStoreContractTest, PasswordReplaceIsCheckedAndRevokesEveryOtherSession) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  const absl::Time t0 = absl::Now();
  ASSERT_TRUE(s_.sessions->Create(Session("keep", "a1", t0), t0, Deadline()).ok());
  ASSERT_TRUE(s_.sessions->Create(Session("gone", "a1", t0), t0, Deadline()).ok());
  EXPECT_EQ(s_.accounts->ReplacePasswordAndRevokeOthers("a1", "stale", "hash-1", "keep", Deadline())
                .status()
                .code(),
            absl::StatusCode::kAborted);
  absl::StatusOr<std::vector<std::string>> removed =
      s_.accounts->ReplacePasswordAndRevokeOthers("a1", "hash-0", "hash-1", "keep", Deadline());
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, std::vector<std::string>{"th-gone"});
  absl::StatusOr<AccountRecord> read = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->password_hash, "hash-1");
  EXPECT_EQ(read->session_epoch, 1);
  EXPECT_EQ(read->kept_session_id, "keep");
  // The kept session survives the epoch change; the other is refused even
  // though its record is still there.
  EXPECT_TRUE(s_.sessions->Touch("th-keep", t0, Deadline(), true).ok());
  EXPECT_EQ(s_.sessions->Touch("th-gone", t0, Deadline(), true).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(s_.accounts->ReplacePasswordAndRevokeOthers("nobody", "", "h", "", Deadline())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(AccountStoreContractTest, VerificationTokenWorksOnceAndOnlyForItsEmail) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  ASSERT_TRUE(
      s_.accounts->PutVerification("a1", "tok", "a1@example.com", absl::Hours(1), Deadline()).ok());
  ASSERT_TRUE(
      s_.accounts->PutVerification("a1", "old", "before@example.com", absl::Hours(1), Deadline())
          .ok());
  absl::StatusOr<bool> stale = s_.accounts->ConsumeVerification("a1", "old", Deadline());
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(*stale);
  absl::StatusOr<bool> first = s_.accounts->ConsumeVerification("a1", "tok", Deadline());
  absl::StatusOr<bool> second = s_.accounts->ConsumeVerification("a1", "tok", Deadline());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*second);
  absl::StatusOr<AccountRecord> read = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->email_verified);
}

TEST_P(AccountStoreContractTest, ResetTokenIsVoidedByAPasswordChangeAndEndsEverySession) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  const absl::Time t0 = absl::Now();
  ASSERT_TRUE(s_.sessions->Create(Session("s1", "a1", t0), t0, Deadline()).ok());
  absl::StatusOr<AccountRecord> a = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(s_.accounts->PutPasswordReset(*a, "voided", absl::Hours(1), Deadline()).ok());
  ASSERT_TRUE(
      s_.accounts->ReplacePasswordAndRevokeOthers("a1", "hash-0", "hash-1", "s1", Deadline()).ok());
  EXPECT_EQ(s_.accounts->ConsumePasswordReset("a1", "voided", "hash-2", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  a = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(s_.accounts->PutPasswordReset(*a, "fresh", absl::Hours(1), Deadline()).ok());
  absl::StatusOr<std::vector<std::string>> removed =
      s_.accounts->ConsumePasswordReset("a1", "fresh", "hash-2", Deadline());
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, std::vector<std::string>{"th-s1"});
  a = s_.accounts->Get("a1", Deadline());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->password_hash, "hash-2");
  EXPECT_TRUE(a->email_verified);
  EXPECT_EQ(a->session_epoch, 2);
  EXPECT_EQ(s_.sessions->Touch("th-s1", t0, Deadline(), true).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(s_.accounts->ConsumePasswordReset("a1", "fresh", "hash-3", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(AccountStoreContractTest, SessionsListNewestFirstAndDeleteIsIdempotent) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  const absl::Time t0 = absl::Now();
  ASSERT_TRUE(
      s_.sessions->Create(Session("old", "a1", t0 - absl::Minutes(5)), t0, Deadline()).ok());
  ASSERT_TRUE(s_.sessions->Create(Session("new", "a1", t0), t0, Deadline()).ok());
  absl::StatusOr<std::vector<SessionRecord>> list = s_.sessions->List("a1", Deadline());
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].session_id, "new");
  EXPECT_EQ((*list)[1].session_id, "old");
  EXPECT_EQ((*list)[1].user_agent, "test");
  ASSERT_TRUE(s_.sessions->Delete((*list)[0], Deadline()).ok());
  ASSERT_TRUE(s_.sessions->Delete((*list)[0], Deadline()).ok());
  list = s_.sessions->List("a1", Deadline());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].session_id, "old");
  EXPECT_EQ(s_.sessions->Touch("th-new", t0, Deadline(), true).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(AccountStoreContractTest, TouchRefusesASessionPastItsLifetimeAndMovesLastSeen) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  const absl::Time t0 = absl::Now();
  ASSERT_TRUE(s_.sessions->Create(Session("s1", "a1", t0), t0, Deadline()).ok());
  absl::StatusOr<SessionRecord> touched =
      s_.sessions->Touch("th-s1", t0 + absl::Seconds(10), Deadline(), true);
  ASSERT_TRUE(touched.ok()) << touched.status();
  EXPECT_EQ(absl::ToUnixMillis(touched->last_seen_at), absl::ToUnixMillis(t0 + absl::Seconds(10)));
  EXPECT_EQ(s_.sessions->Touch("th-s1", t0 + absl::Hours(25), Deadline(), true).status().code(),
            absl::StatusCode::kNotFound);
  SessionRecord dead = Session("dead", "a1", t0);
  dead.expires_at = t0;
  EXPECT_EQ(s_.sessions->Create(dead, t0, Deadline()).code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(AccountStoreContractTest, ViewsCountDistinctCodesUpToThePlanLimitAndReplaysCountOnce) {
  ASSERT_TRUE(
      s_.accounts->Create(Account("a1", Plan::PLAN_FREE, true), absl::ZeroDuration(), Deadline())
          .ok());
  const Window month = MonthWindow(absl::FromUnixSeconds(1'800'000'000));
  PlanLimits limits;
  limits.guest = 1;
  limits.free = 2;
  const SessionRecord s = Session("s1", "a1", absl::Now());
  ASSERT_TRUE(s_.sessions->Create(s, absl::Now(), Deadline()).ok());
  auto view = [&](const std::string& code, const std::string& rid) {
    return s_.meter->ConsumeView(s, month, code, rid, limits, Deadline());
  };
  absl::StatusOr<ViewOutcome> v = view("A01", "r1");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->allowed);
  EXPECT_EQ(v->used, 1);
  EXPECT_EQ(v->limit, 2);
  EXPECT_EQ(v->plan, Plan::PLAN_FREE);
  v = view("A01", "r1");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->replayed);
  EXPECT_EQ(v->used, 1);
  v = view("A01", "r2");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->already_viewed);
  EXPECT_FALSE(v->replayed);
  ASSERT_TRUE(view("B02", "r3").ok());
  v = view("C03", "r4");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->allowed);
  EXPECT_EQ(v->used, 2);
  absl::StatusOr<ViewOutcome> peek = s_.meter->PeekViews("a1", month, limits, Deadline());
  ASSERT_TRUE(peek.ok());
  EXPECT_FALSE(peek->allowed);
  EXPECT_EQ(peek->used, 2);
  absl::StatusOr<std::vector<std::string>> codes = s_.meter->ViewedCodes("a1", month, Deadline());
  ASSERT_TRUE(codes.ok());
  std::sort(codes->begin(), codes->end());
  EXPECT_EQ(*codes, (std::vector<std::string>{"A01", "B02"}));
}

TEST_P(AccountStoreContractTest,
       UnverifiedFreeAccountHasTheGuestsAllowanceAndGoneIsUnauthenticated) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  const Window month = MonthWindow(absl::FromUnixSeconds(1'800'000'000));
  PlanLimits limits;
  limits.guest = 1;
  limits.free = 6;
  absl::StatusOr<ViewOutcome> peek = s_.meter->PeekViews("a1", month, limits, Deadline());
  ASSERT_TRUE(peek.ok()) << peek.status();
  EXPECT_EQ(peek->limit, 1);
  EXPECT_EQ(s_.meter->PeekViews("nobody", month, limits, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(s_.meter->CountUse("nobody", "ask", month, "", limits, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

// The meter proves the session alive itself, so that the account service may
// resolve it from an in-process copy (SessionCache): a session revoked by a
// password change, ended, or never stored is refused.
TEST_P(AccountStoreContractTest, RevokedSessionIsRefusedByTheMeter) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  const SessionRecord before = Session("s1", "a1", absl::Now(), 0);
  ASSERT_TRUE(s_.sessions->Create(before, absl::Now(), Deadline()).ok());
  ASSERT_TRUE(
      s_.accounts->ReplacePasswordAndRevokeOthers("a1", "hash-0", "hash-1", "other", Deadline())
          .ok());
  const SessionRecord after = Session("s2", "a1", absl::Now(), 1);
  ASSERT_TRUE(s_.sessions->Create(after, absl::Now(), Deadline()).ok());
  const Window month = MonthWindow(absl::Now());
  PlanLimits limits;
  limits.guest = 5;
  EXPECT_EQ(s_.meter->ConsumeView(before, month, "A01", "r", limits, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(s_.meter->ConsumeView(after, month, "A01", "r", limits, Deadline()).ok());
}

TEST_P(AccountStoreContractTest, EndedOrUnknownSessionIsRefusedByTheMeter) {
  ASSERT_TRUE(s_.accounts->Create(Account("a1"), absl::ZeroDuration(), Deadline()).ok());
  const SessionRecord s = Session("s1", "a1", absl::Now());
  ASSERT_TRUE(s_.sessions->Create(s, absl::Now(), Deadline()).ok());
  const Window month = MonthWindow(absl::Now());
  PlanLimits limits;
  limits.guest = 5;
  ASSERT_TRUE(s_.meter->ConsumeView(s, month, "A01", "r1", limits, Deadline()).ok());
  ASSERT_TRUE(s_.sessions->Delete(s, Deadline()).ok());
  EXPECT_EQ(s_.meter->ConsumeView(s, month, "B02", "r2", limits, Deadline()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(s_.meter
                ->ConsumeView(Session("never-stored", "a1", absl::Now()), month, "B02", "r3",
                              limits, Deadline())
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(AccountStoreContractTest, AddViewedCodesIsASetUnion) {
  const Window month = MonthWindow(absl::Now());
  ASSERT_TRUE(s_.meter->AddViewedCodes("a1", month, {"A01", "B02"}, Deadline()).ok());
  ASSERT_TRUE(s_.meter->AddViewedCodes("a1", month, {"B02"}, Deadline()).ok());
  ASSERT_TRUE(s_.meter->AddViewedCodes("a1", month, {}, Deadline()).ok());
  absl::StatusOr<std::vector<std::string>> codes = s_.meter->ViewedCodes("a1", month, Deadline());
  ASSERT_TRUE(codes.ok());
  std::sort(codes->begin(), codes->end());
  EXPECT_EQ(*codes, (std::vector<std::string>{"A01", "B02"}));
}

TEST_P(AccountStoreContractTest, CountUseStopsAtTheLimitAndARequestIdCountsOnce) {
  ASSERT_TRUE(
      s_.accounts->Create(Account("a1", Plan::PLAN_FREE, true), absl::ZeroDuration(), Deadline())
          .ok());
  const Window day = DayWindow(absl::Now());
  PlanLimits limits;
  limits.free = 2;
  auto use = [&](const std::string& rid) {
    return s_.meter->CountUse("a1", "ask", day, rid, limits, Deadline());
  };
  absl::StatusOr<UseOutcome> u = use("r1");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE(u->allowed);
  EXPECT_EQ(u->used, 1);
  u = use("r1");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->allowed);
  EXPECT_EQ(u->used, 1);
  ASSERT_TRUE(use("").ok());
  u = use("r3");
  ASSERT_TRUE(u.ok());
  EXPECT_FALSE(u->allowed);
  EXPECT_EQ(u->used, 2);
  EXPECT_EQ(u->limit, 2);
}

TEST_P(AccountStoreContractTest, CountersIncrementInAWindowAndNeverGoBelowZero) {
  absl::StatusOr<CounterState> none = s_.limits->Get("b", Deadline());
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->count, 0);
  EXPECT_EQ(none->resets_in, absl::ZeroDuration());
  ASSERT_TRUE(s_.limits->Increment("b", absl::Minutes(15), Deadline()).ok());
  absl::StatusOr<CounterState> two = s_.limits->Increment("b", absl::Minutes(15), Deadline());
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->count, 2);
  EXPECT_GT(two->resets_in, absl::ZeroDuration());
  EXPECT_LE(two->resets_in, absl::Minutes(15));
  ASSERT_TRUE(s_.limits->Decrement("b", Deadline()).ok());
  ASSERT_TRUE(s_.limits->Decrement("b", Deadline()).ok());
  ASSERT_TRUE(s_.limits->Decrement("b", Deadline()).ok());
  absl::StatusOr<CounterState> zero = s_.limits->Get("b", Deadline());
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->count, 0);
  ASSERT_TRUE(s_.limits->Increment("b", absl::Minutes(15), Deadline()).ok());
  ASSERT_TRUE(s_.limits->Reset("b", Deadline()).ok());
  absl::StatusOr<CounterState> reset = s_.limits->Get("b", Deadline());
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(reset->count, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, AccountStoreContractTest,
                         ::testing::Values(std::string("InMemory"), std::string("Redis")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace openencoder::account
