#include "services/account/redis_meter_store.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"
#include "services/common/retry_after.h"

namespace openencoder::account {
namespace {

using internal::ElementInt;
using internal::Millis;
using internal::StoreStatus;

// Shared prologue: the plan from the account record and its limit from
// ARGV[first..first+3] (guest, free, pro, enterprise). A free account whose
// email is not verified has the guest's allowance: the extra views of a free
// account are for an address someone proved they read, so registering again
// and again (or with an address that is taken) gains nothing over a guest.
// `f` is the account hash's {plan, verified} as HMGET returns them.
constexpr char kPlanPrologue[] = R"lua(
local function limit_of(f, first)
  local plan = tonumber(f[1])
  if plan == nil then return nil, nil end
  if plan < 1 or plan > 4 then return plan, 0 end
  if plan == 2 and f[2] ~= '1' then return plan, tonumber(ARGV[first]) end
  return plan, tonumber(ARGV[first + plan - 1])
end
local function plan_limit(account_key, first)
  return limit_of(redis.call('HMGET', account_key, 'plan', 'verified'), first)
end
)lua";

const redis::LuaScript& PeekScript() {
  static const redis::LuaScript* script = new redis::LuaScript(std::string(kPlanPrologue) + R"lua(
local plan, limit = plan_limit(KEYS[2], 1)
if plan == nil then return redis.error_reply('UNAUTHENTICATED the account no longer exists') end
return {redis.call('SCARD', KEYS[1]), limit, plan})lua");
  return *script;
}

const redis::LuaScript& AddCodesScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
for i = 2, #ARGV, 500 do
  redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return redis.call('SCARD', KEYS[1]))lua");
  return *script;
}

// KEYS: uses, usereq, account. ARGV: request id ('' for none), expire-at ms,
// limits x4. Returns {allowed, used, limit, plan}.
const redis::LuaScript& CountUseScript() {
  static const redis::LuaScript* script = new redis::LuaScript(std::string(kPlanPrologue) + R"lua(
local plan, limit = plan_limit(KEYS[3], 3)
if plan == nil then return redis.error_reply('UNAUTHENTICATED the account no longer exists') end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[1] ~= '' and redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  return {1, used, limit, plan}
end
if limit >= 0 and used >= limit then return {0, used, limit, plan} end
used = redis.call('INCR', KEYS[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
if ARGV[1] ~= '' then
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('PEXPIREAT', KEYS[2], ARGV[2])
end
return {1, used, limit, plan})lua");
  return *script;
}

std::vector<std::string> LimitArgs(const PlanLimits& l) {
  return {std::to_string(l.guest), std::to_string(l.free), std::to_string(l.pro),
          std::to_string(l.enterprise)};
}

// Keys outlive their window by a day so that a request retried just after
// midnight still finds its id.
std::string ExpireAt(const Window& w) { return Millis(w.end + absl::Hours(24)); }

Plan ToPlan(int64_t n) {
  return v1::Plan_IsValid(static_cast<int>(n)) ? static_cast<Plan>(n) : Plan::PLAN_UNSPECIFIED;
}

}  // namespace

const redis::LuaScript& RedisMeterStore::ConsumeViewScript() {
  // The session's liveness is checked here, in the account's slot, so the
  // caller may resolve it from an in-process copy (SessionCache): it must
  // still be in the account's session index (logout, revocation and account
  // deletion remove it there), and of the account's epoch (a password change
  // moves it; a session that is neither of that epoch nor the kept one is
  // refused as if it did not exist). The request id is remembered
  // bound to the session and the code (field "<sid>|<code>|<id>"): a retry
  // of the same page open is answered from it, the same id with another code
  // is a new view like any other.
  static const redis::LuaScript* script = new redis::LuaScript(std::string(kPlanPrologue) + R"lua(
local f = redis.call('HMGET', KEYS[3], 'plan', 'verified', 'epoch', 'kept_sid')
local plan, limit = limit_of(f, 4)
if plan == nil then return redis.error_reply('UNAUTHENTICATED the account no longer exists') end
if not redis.call('HGET', KEYS[4], ARGV[9]) or
   (ARGV[10] ~= '1' and tonumber(f[3] or '0') ~= tonumber(ARGV[8]) and f[4] ~= ARGV[9]) then
  return redis.error_reply('UNAUTHENTICATED the session has expired or was ended; sign in again')
end
local field = ARGV[9] .. '|' .. ARGV[1] .. '|' .. ARGV[2]
local used = redis.call('SCARD', KEYS[1])
local previous = redis.call('HGET', KEYS[2], field)
if previous then return {tonumber(previous), used, limit, plan, 1} end
local outcome = 0
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then
  outcome = 2
elseif limit < 0 or used < limit then
  redis.call('SADD', KEYS[1], ARGV[1])
  used = used + 1
  outcome = 1
end
redis.call('HSET', KEYS[2], field, outcome)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
redis.call('PEXPIREAT', KEYS[2], ARGV[3])
return {outcome, used, limit, plan, 0})lua");
  return *script;
}

RedisMeterStore::RedisMeterStore(redis::RedisClient* client)
    : client_(client), views_(client, &ConsumeViewScript()) {}

namespace {

redis::RedisClient::EvalCall ConsumeViewCall(const SessionRecord& session, const Window& window,
                                             const std::string& code, const std::string& request_id,
                                             const PlanLimits& limits) {
  const std::string& id = session.account_id;
  std::vector<std::string> args = {code, request_id, ExpireAt(window)};
  for (std::string& limit : LimitArgs(limits)) args.push_back(std::move(limit));
  args.push_back(std::to_string(session.epoch));
  args.push_back(session.session_id);
  args.push_back(session.guest ? "1" : "0");
  return {{keys::Views(id, window.label), keys::ViewRequests(id, window.label), keys::Account(id),
           keys::Sessions(id)},
          std::move(args)};
}

absl::StatusOr<ViewOutcome> ToViewOutcome(const absl::StatusOr<redis::RedisReply>& reply) {
  if (!reply.ok()) return StoreStatus(reply.status());
  const int64_t outcome = ElementInt(*reply, 0);
  ViewOutcome v;
  v.allowed = outcome != 0;
  v.already_viewed = outcome == 2;
  v.used = ElementInt(*reply, 1);
  v.limit = ElementInt(*reply, 2);
  v.plan = ToPlan(ElementInt(*reply, 3));
  v.replayed = ElementInt(*reply, 4) == 1;
  return v;
}

}  // namespace

absl::StatusOr<ViewOutcome> RedisMeterStore::ConsumeView(
    const SessionRecord& session, const Window& window, const std::string& code,
    const std::string& request_id, const PlanLimits& limits, absl::Time deadline) {
  const redis::RedisClient::EvalCall call =
      ConsumeViewCall(session, window, code, request_id, limits);
  const std::vector<absl::string_view> keys(call.keys.begin(), call.keys.end());
  const std::vector<absl::string_view> args(call.args.begin(), call.args.end());
  return ToViewOutcome(client_->Eval(ConsumeViewScript(), keys, args, deadline));
}

void RedisMeterStore::ConsumeViewAsync(const SessionRecord& session, const Window& window,
                                       const std::string& code, const std::string& request_id,
                                       const PlanLimits& limits, absl::Time deadline,
                                       ViewCallback done) {
  // The batcher drops `done` uncalled when it refuses; keep a handle to
  // answer the refusal here.
  auto shared = std::make_shared<ViewCallback>(std::move(done));
  const bool queued = views_.Submit(
      ConsumeViewCall(session, window, code, request_id, limits), deadline,
      [shared](absl::StatusOr<redis::RedisReply> reply) { (*shared)(ToViewOutcome(reply)); });
  if (!queued) (*shared)(common::BusyError("account"));
}

absl::StatusOr<ViewOutcome> RedisMeterStore::PeekViews(const std::string& account_id,
                                                       const Window& window,
                                                       const PlanLimits& limits,
                                                       absl::Time deadline) {
  const std::string views = keys::Views(account_id, window.label);
  const std::string account = keys::Account(account_id);
  const std::vector<std::string> l = LimitArgs(limits);
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(PeekScript(), {views, account}, {l[0], l[1], l[2], l[3]}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  ViewOutcome v;
  v.used = ElementInt(*reply, 0);
  v.limit = ElementInt(*reply, 1);
  v.plan = ToPlan(ElementInt(*reply, 2));
  v.allowed = v.limit < 0 || v.used < v.limit;
  return v;
}

absl::StatusOr<std::vector<std::string>> RedisMeterStore::ViewedCodes(const std::string& account_id,
                                                                      const Window& window,
                                                                      absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply =
      client_->Command({"SMEMBERS", keys::Views(account_id, window.label)}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  std::vector<std::string> codes;
  for (const redis::RedisReply& e : reply->elements()) codes.push_back(e.str());
  return codes;
}

absl::Status RedisMeterStore::AddViewedCodes(const std::string& account_id, const Window& window,
                                             const std::vector<std::string>& codes,
                                             absl::Time deadline) {
  if (codes.empty()) return absl::OkStatus();
  const std::string views = keys::Views(account_id, window.label);
  std::vector<absl::string_view> args;
  const std::string expire_at = ExpireAt(window);
  args.push_back(expire_at);
  for (const std::string& c : codes) args.push_back(c);
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(AddCodesScript(), {views}, args, deadline);
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::StatusOr<UseOutcome> RedisMeterStore::CountUse(
    const std::string& account_id, const std::string& feature, const Window& window,
    const std::string& request_id, const PlanLimits& limits, absl::Time deadline) {
  const std::string uses = keys::Uses(account_id, feature, window.label);
  const std::string requests = keys::UseRequests(account_id, feature, window.label);
  const std::string account = keys::Account(account_id);
  const std::string expire_at = ExpireAt(window);
  const std::vector<std::string> l = LimitArgs(limits);
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(CountUseScript(), {uses, requests, account},
                    {request_id, expire_at, l[0], l[1], l[2], l[3]}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  UseOutcome u;
  u.allowed = ElementInt(*reply, 0) == 1;
  u.used = ElementInt(*reply, 1);
  u.limit = ElementInt(*reply, 2);
  u.plan = ToPlan(ElementInt(*reply, 3));
  return u;
}

}  // namespace openencoder::account
