#include "services/account/in_memory_stores.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace openencoder::account {

// Each map mirrors one family of the Redis stores' keys (redis_keys.h); the
// comments name the key each stands for.
struct InMemoryAccountStores::State {
  struct Account {
    AccountRecord record;
    absl::Time expires = absl::InfiniteFuture();
  };
  struct Token {
    std::string bound;  // what the Redis value holds
    absl::Time expires;
  };
  struct Session {
    SessionRecord record;
    absl::Time expires;  // the key's TTL: min(idle, lifetime left) from the last touch
  };
  struct Counter {
    int64_t count = 0;
    absl::Time expires;
  };

  State(absl::Duration granularity, Clock c)
      : touch_granularity(granularity), clock(std::move(c)) {}

  absl::Status Check() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (unavailable) return absl::UnavailableError("the account store did not answer in time");
    return absl::OkStatus();
  }
  // The live account, or null (an expired guest is gone, as its key is).
  Account* FindAccount(const std::string& id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    auto it = accounts.find(id);
    if (it == accounts.end()) return nullptr;
    if (clock() >= it->second.expires) {
      accounts.erase(it);
      return nullptr;
    }
    return &it->second;
  }
  // The token's bound value, deleted in the same step (GET + DEL).
  std::optional<std::string> TakeToken(absl::flat_hash_map<std::string, Token>& tokens,
                                       const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    auto it = tokens.find(key);
    if (it == tokens.end()) return std::nullopt;
    std::optional<std::string> bound;
    if (clock() < it->second.expires) bound = it->second.bound;
    tokens.erase(it);
    return bound;
  }
  // Removes the account's session index entries (all but `keep`); returns
  // their token hashes.
  std::vector<std::string> DropIndex(const std::string& account_id, const std::string& keep)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::vector<std::string> removed;
    auto& index = session_index[account_id];
    for (auto it = index.begin(); it != index.end();) {
      if (it->first != keep) {
        removed.push_back(it->second);
        index.erase(it++);
      } else {
        ++it;
      }
    }
    return removed;
  }

  const absl::Duration touch_granularity;
  const Clock clock;
  absl::Mutex mu;
  bool unavailable ABSL_GUARDED_BY(mu) = false;
  absl::flat_hash_map<std::string, Account> accounts ABSL_GUARDED_BY(mu);     // oe:{a:<id>}
  absl::flat_hash_map<std::string, std::string> emails ABSL_GUARDED_BY(mu);   // oe:{e:<hash>}
  absl::flat_hash_map<std::string, Token> verifications ABSL_GUARDED_BY(mu);  // <id>|<token>
  absl::flat_hash_map<std::string, Token> resets ABSL_GUARDED_BY(mu);         // <id>|<token>
  absl::flat_hash_map<std::string, Session> sessions ABSL_GUARDED_BY(mu);     // by token hash
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, std::string>> session_index
      ABSL_GUARDED_BY(mu);  // account -> session id -> token hash
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> views
      ABSL_GUARDED_BY(mu);  // <id>|<window> -> codes
  absl::flat_hash_map<std::string, int64_t> view_requests
      ABSL_GUARDED_BY(mu);  // <id>|<window>|<sid>|<code>|<request id> -> outcome
  absl::flat_hash_map<std::string, int64_t> uses ABSL_GUARDED_BY(mu);  // <id>|<feature>|<window>
  absl::flat_hash_set<std::string> use_requests ABSL_GUARDED_BY(mu);
  absl::flat_hash_map<std::string, Counter> counters ABSL_GUARDED_BY(mu);  // limit buckets
};

namespace {

using State = InMemoryAccountStores::State;

absl::Status NoAccount() { return absl::NotFoundError("no such account"); }
absl::Status AccountGone() { return absl::UnauthenticatedError("the account no longer exists"); }

// The plan and its limit as the meter scripts' limit_of(): an unverified
// free account has the guest's allowance; an unknown plan has none.
std::pair<Plan, int64_t> PlanLimit(const AccountRecord& a, const PlanLimits& limits) {
  const Plan plan = a.plan;
  if (plan < Plan::PLAN_GUEST || plan > Plan::PLAN_ENTERPRISE) return {plan, 0};
  if (plan == Plan::PLAN_FREE && !a.email_verified) return {plan, limits.guest};
  return {plan, limits.For(plan)};
}

}  // namespace

class InMemoryAccountStores::Accounts final : public AccountStore {
 public:
  explicit Accounts(State* s) : s_(s) {}

  absl::Status Create(const AccountRecord& account, absl::Duration ttl, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Account fresh{account};
    // HSET merges into an existing hash: epoch fields it does not name stay.
    if (State::Account* old = s_->FindAccount(account.id)) {
      fresh.record.session_epoch = old->record.session_epoch;
      fresh.record.kept_session_id = old->record.kept_session_id;
    } else {
      fresh.record.session_epoch = 0;
      fresh.record.kept_session_id.clear();
    }
    if (ttl > absl::ZeroDuration()) fresh.expires = s_->clock() + ttl;
    s_->accounts[account.id] = std::move(fresh);
    return absl::OkStatus();
  }

  absl::StatusOr<AccountRecord> Get(const std::string& account_id, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Account* a = s_->FindAccount(account_id);
    if (a == nullptr) return NoAccount();
    return a->record;
  }

  absl::StatusOr<bool> ClaimEmail(const std::string& email_hash, const std::string& account_id,
                                  absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    return s_->emails.emplace(email_hash, account_id).second;
  }

  absl::StatusOr<std::string> FindByEmail(const std::string& email_hash, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    auto it = s_->emails.find(email_hash);
    if (it == s_->emails.end()) return absl::NotFoundError("no account has this email");
    return it->second;
  }

  absl::Status SetPasswordHash(const std::string& account_id, const std::string& password_hash,
                               absl::Time) override {
    return Update(account_id, [&](AccountRecord& a) { a.password_hash = password_hash; });
  }

  absl::StatusOr<std::vector<std::string>> ReplacePasswordAndRevokeOthers(
      const std::string& account_id, const std::string& expected_hash, const std::string& new_hash,
      const std::string& keep_session_id, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Account* a = s_->FindAccount(account_id);
    if (a == nullptr) return NoAccount();
    if (a->record.password_hash != expected_hash) {
      return absl::AbortedError("the password was changed meanwhile");
    }
    a->record.password_hash = new_hash;
    a->record.kept_session_id = keep_session_id;
    ++a->record.session_epoch;
    return s_->DropIndex(account_id, keep_session_id);
  }

  absl::Status PutVerification(const std::string& account_id, const std::string& token_hash,
                               const std::string& email, absl::Duration ttl, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    s_->verifications[absl::StrCat(account_id, "|", token_hash)] = {email, s_->clock() + ttl};
    return absl::OkStatus();
  }

  absl::StatusOr<bool> ConsumeVerification(const std::string& account_id,
                                           const std::string& token_hash, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    std::optional<std::string> email =
        s_->TakeToken(s_->verifications, absl::StrCat(account_id, "|", token_hash));
    if (!email.has_value()) return false;
    State::Account* a = s_->FindAccount(account_id);
    if (a == nullptr || a->record.email != *email) return false;
    a->record.email_verified = true;
    return true;
  }

  absl::Status PutPasswordReset(const AccountRecord& account, const std::string& token_hash,
                                absl::Duration ttl, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    s_->resets[absl::StrCat(account.id, "|", token_hash)] = {
        absl::StrCat(account.email, "|", account.session_epoch), s_->clock() + ttl};
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::string>> ConsumePasswordReset(const std::string& account_id,
                                                                const std::string& token_hash,
                                                                const std::string& new_hash,
                                                                absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    std::optional<std::string> bound =
        s_->TakeToken(s_->resets, absl::StrCat(account_id, "|", token_hash));
    State::Account* a = bound.has_value() ? s_->FindAccount(account_id) : nullptr;
    if (a == nullptr || *bound != absl::StrCat(a->record.email, "|", a->record.session_epoch)) {
      return absl::NotFoundError("reset token");
    }
    a->record.password_hash = new_hash;
    a->record.email_verified = true;
    a->record.kept_session_id.clear();
    ++a->record.session_epoch;
    std::vector<std::string> removed = s_->DropIndex(account_id, "");
    s_->session_index.erase(account_id);
    return removed;
  }

  absl::Status MarkVerified(const std::string& account_id, absl::Time) override {
    return Update(account_id, [](AccountRecord& a) { a.email_verified = true; });
  }

  absl::Status SetPlanAndRoles(const std::string& account_id, std::optional<Plan> plan,
                               std::optional<std::vector<Role>> roles, absl::Time) override {
    return Update(account_id, [&](AccountRecord& a) {
      if (plan.has_value()) a.plan = *plan;
      if (roles.has_value()) a.roles = *roles;
    });
  }

  // As the Redis script, without billing: these stores keep no billing
  // record, so no subscription ever blocks the deletion.
  absl::StatusOr<DeletedAccount> Delete(const std::string& account_id,
                                        const std::string& email_hash,
                                        const std::vector<std::string>&, absl::Time,
                                        absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    if (s_->FindAccount(account_id) == nullptr) return NoAccount();
    s_->accounts.erase(account_id);
    DeletedAccount deleted;
    deleted.session_token_hashes = s_->DropIndex(account_id, "");
    s_->session_index.erase(account_id);
    for (const std::string& hash : deleted.session_token_hashes) s_->sessions.erase(hash);
    const std::string prefix = account_id + "|";
    auto drop = [&](auto& map) {
      absl::erase_if(map, [&](const auto& kv) { return absl::StartsWith(kv.first, prefix); });
    };
    drop(s_->verifications);
    drop(s_->resets);
    drop(s_->views);
    drop(s_->view_requests);
    drop(s_->uses);
    absl::erase_if(s_->use_requests,
                   [&](const std::string& k) { return absl::StartsWith(k, prefix); });
    if (auto it = s_->emails.find(email_hash); it != s_->emails.end() && it->second == account_id) {
      s_->emails.erase(it);
    }
    return deleted;
  }

 private:
  template <typename F>
  absl::Status Update(const std::string& account_id, F change) {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Account* a = s_->FindAccount(account_id);
    if (a == nullptr) return NoAccount();
    change(a->record);
    return absl::OkStatus();
  }

  State* s_;
};

class InMemoryAccountStores::Sessions final : public SessionStore {
 public:
  explicit Sessions(State* s) : s_(s) {}

  absl::Status Create(const SessionRecord& session, absl::Time now, absl::Time) override {
    const absl::Duration first_ttl = std::min(session.idle_timeout, session.expires_at - now);
    if (first_ttl <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError("session would expire at once");
    }
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    s_->session_index[session.account_id][session.session_id] = session.token_hash;
    s_->sessions[session.token_hash] = {session, now + first_ttl};
    return absl::OkStatus();
  }

  absl::StatusOr<SessionRecord> Touch(const std::string& token_hash, absl::Time now, absl::Time,
                                      bool check_epoch) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    auto it = s_->sessions.find(token_hash);
    if (it == s_->sessions.end() || now >= it->second.expires ||
        now >= it->second.record.expires_at) {
      if (it != s_->sessions.end()) s_->sessions.erase(it);
      return absl::NotFoundError("no such session");
    }
    State::Session& live = it->second;
    if (now - live.record.last_seen_at >= s_->touch_granularity) {
      live.record.last_seen_at = now;
      live.expires = now + std::min(live.record.idle_timeout, live.record.expires_at - now);
    }
    SessionRecord s = live.record;
    if (s.guest || !check_epoch) return s;
    State::Account* a = s_->FindAccount(s.account_id);
    const int64_t epoch = a == nullptr ? 0 : a->record.session_epoch;
    const bool kept = a != nullptr && a->record.kept_session_id == s.session_id;
    if (s.epoch != epoch && !kept) {
      s_->sessions.erase(it);
      return absl::NotFoundError("no such session");
    }
    return s;
  }

  absl::Status Delete(const SessionRecord& session, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    s_->sessions.erase(session.token_hash);
    auto index = s_->session_index.find(session.account_id);
    if (index != s_->session_index.end()) index->second.erase(session.session_id);
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<SessionRecord>> List(const std::string& account_id,
                                                  absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    std::vector<SessionRecord> live;
    auto index = s_->session_index.find(account_id);
    if (index == s_->session_index.end()) return live;
    const absl::Time now = s_->clock();
    for (auto it = index->second.begin(); it != index->second.end();) {
      auto session = s_->sessions.find(it->second);
      if (session != s_->sessions.end() && now < session->second.expires) {
        live.push_back(session->second.record);
        ++it;
      } else {
        index->second.erase(it++);  // pruned on the way, as RedisSessionStore does
      }
    }
    std::sort(live.begin(), live.end(), [](const SessionRecord& a, const SessionRecord& b) {
      return a.created_at != b.created_at ? a.created_at > b.created_at
                                          : a.session_id < b.session_id;
    });
    return live;
  }

 private:
  State* s_;
};

class InMemoryAccountStores::Meter final : public MeterStore {
 public:
  explicit Meter(State* s) : s_(s) {}

  absl::StatusOr<ViewOutcome> ConsumeView(const SessionRecord& session, const Window& window,
                                          const std::string& code, const std::string& request_id,
                                          const PlanLimits& limits, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Account* a = s_->FindAccount(session.account_id);
    if (a == nullptr) return AccountGone();
    auto index = s_->session_index.find(session.account_id);
    const bool indexed =
        index != s_->session_index.end() && index->second.contains(session.session_id);
    if (!indexed || (!session.guest && a->record.session_epoch != session.epoch &&
                     a->record.kept_session_id != session.session_id)) {
      return absl::UnauthenticatedError("the session has expired or was ended; sign in again");
    }
    const auto [plan, limit] = PlanLimit(a->record, limits);
    auto& codes = s_->views[absl::StrCat(session.account_id, "|", window.label)];
    ViewOutcome v;
    v.plan = plan;
    v.limit = limit;
    v.used = static_cast<int64_t>(codes.size());
    const std::string field = absl::StrCat(session.account_id, "|", window.label, "|",
                                           session.session_id, "|", code, "|", request_id);
    int64_t outcome = 0;
    if (auto previous = s_->view_requests.find(field); previous != s_->view_requests.end()) {
      outcome = previous->second;
      v.replayed = true;
    } else {
      if (codes.contains(code)) {
        outcome = 2;
      } else if (limit < 0 || v.used < limit) {
        codes.insert(code);
        ++v.used;
        outcome = 1;
      }
      s_->view_requests[field] = outcome;
    }
    v.allowed = outcome != 0;
    v.already_viewed = outcome == 2;
    return v;
  }

  absl::StatusOr<ViewOutcome> PeekViews(const std::string& account_id, const Window& window,
                                        const PlanLimits& limits, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Account* a = s_->FindAccount(account_id);
    if (a == nullptr) return AccountGone();
    ViewOutcome v;
    std::tie(v.plan, v.limit) = PlanLimit(a->record, limits);
    auto codes = s_->views.find(absl::StrCat(account_id, "|", window.label));
    v.used = codes == s_->views.end() ? 0 : static_cast<int64_t>(codes->second.size());
    v.allowed = v.limit < 0 || v.used < v.limit;
    return v;
  }

  absl::StatusOr<std::vector<std::string>> ViewedCodes(const std::string& account_id,
                                                       const Window& window, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    std::vector<std::string> out;
    auto codes = s_->views.find(absl::StrCat(account_id, "|", window.label));
    if (codes != s_->views.end()) out.assign(codes->second.begin(), codes->second.end());
    std::sort(out.begin(), out.end());  // a set: callers must not rely on an order
    return out;
  }

  absl::Status AddViewedCodes(const std::string& account_id, const Window& window,
                              const std::vector<std::string>& codes, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    if (codes.empty()) return absl::OkStatus();
    s_->views[absl::StrCat(account_id, "|", window.label)].insert(codes.begin(), codes.end());
    return absl::OkStatus();
  }

  absl::StatusOr<UseOutcome> CountUse(const std::string& account_id, const std::string& feature,
                                      const Window& window, const std::string& request_id,
                                      const PlanLimits& limits, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Account* a = s_->FindAccount(account_id);
    if (a == nullptr) return AccountGone();
    UseOutcome u;
    std::tie(u.plan, u.limit) = PlanLimit(a->record, limits);
    const std::string key = absl::StrCat(account_id, "|", feature, "|", window.label);
    int64_t& used = s_->uses[key];
    u.used = used;
    const std::string request = absl::StrCat(key, "|", request_id);
    if (!request_id.empty() && s_->use_requests.contains(request)) {
      u.allowed = true;
      return u;
    }
    if (u.limit >= 0 && used >= u.limit) return u;
    u.used = ++used;
    u.allowed = true;
    if (!request_id.empty()) s_->use_requests.insert(request);
    return u;
  }

 private:
  State* s_;
};

class InMemoryAccountStores::Limits final : public LimitStore {
 public:
  explicit Limits(State* s) : s_(s) {}

  absl::StatusOr<CounterState> Get(const std::string& bucket, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    return StateOf(Live(bucket));
  }

  absl::StatusOr<CounterState> Increment(const std::string& bucket, absl::Duration window,
                                         absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    State::Counter* c = Live(bucket);
    if (c == nullptr) {
      c = &s_->counters[bucket];
      *c = {0, s_->clock() + window};
    }
    ++c->count;
    return StateOf(c);
  }

  absl::Status Reset(const std::string& bucket, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    s_->counters.erase(bucket);
    return absl::OkStatus();
  }

  absl::Status Decrement(const std::string& bucket, absl::Time) override {
    absl::MutexLock lock(&s_->mu);
    if (absl::Status st = s_->Check(); !st.ok()) return st;
    if (State::Counter* c = Live(bucket); c != nullptr && c->count > 0) --c->count;
    return absl::OkStatus();
  }

 private:
  State::Counter* Live(const std::string& bucket) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s_->mu) {
    auto it = s_->counters.find(bucket);
    if (it == s_->counters.end()) return nullptr;
    if (s_->clock() >= it->second.expires) {
      s_->counters.erase(it);
      return nullptr;
    }
    return &it->second;
  }
  CounterState StateOf(const State::Counter* c) const {
    if (c == nullptr) return {};
    const absl::Duration left = c->expires - s_->clock();
    return {c->count, left > absl::ZeroDuration() ? left : absl::ZeroDuration()};
  }

  State* s_;
};

InMemoryAccountStores::InMemoryAccountStores(absl::Duration touch_granularity, Clock clock)
    : state_(std::make_unique<State>(touch_granularity, std::move(clock))),
      accounts_(std::make_unique<Accounts>(state_.get())),
      sessions_(std::make_unique<Sessions>(state_.get())),
      meter_(std::make_unique<Meter>(state_.get())),
      limits_(std::make_unique<Limits>(state_.get())) {}

InMemoryAccountStores::~InMemoryAccountStores() = default;

AccountStore* InMemoryAccountStores::accounts() { return accounts_.get(); }
SessionStore* InMemoryAccountStores::sessions() { return sessions_.get(); }
MeterStore* InMemoryAccountStores::meter() { return meter_.get(); }
LimitStore* InMemoryAccountStores::limits() { return limits_.get(); }

void InMemoryAccountStores::set_unavailable(bool unavailable) {
  absl::MutexLock lock(&state_->mu);
  state_->unavailable = unavailable;
}

absl::StatusOr<std::string> InMemoryMailQueue::Enqueue(const common::mail::QueuedMail& mail,
                                                       absl::Time) {
  if (!common::mail::IsOneRecipient(mail.to)) {
    return absl::InvalidArgumentError("recipient is not one address");
  }
  absl::MutexLock lock(&mu_);
  mails_.push_back(mail);
  return absl::StrCat("mail-", mails_.size());
}

std::vector<common::mail::QueuedMail> InMemoryMailQueue::Mails() const {
  absl::MutexLock lock(&mu_);
  return mails_;
}

void InMemoryMailQueue::Clear() {
  absl::MutexLock lock(&mu_);
  mails_.clear();
}

absl::Status InMemoryErasureQueue::Enqueue(const ErasureRequest& request, absl::Time) {
  absl::MutexLock lock(&mu_);
  if (!fail_with_.ok()) return fail_with_;
  queued_.push_back(request);
  return absl::OkStatus();
}

std::vector<ErasureRequest> InMemoryErasureQueue::Queued() const {
  absl::MutexLock lock(&mu_);
  return queued_;
}

void InMemoryErasureQueue::set_fail_with(absl::Status status) {
  absl::MutexLock lock(&mu_);
  fail_with_ = std::move(status);
}

}  // namespace openencoder::account
