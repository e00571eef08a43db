#include "services/account/redis_account_store.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"
#include "services/account/time_windows.h"

namespace openencoder::account {
namespace {

using internal::Millis;
using internal::StoreStatus;

const redis::LuaScript& UpdateExistingScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('NOT_FOUND no such account')
end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return 1)lua");
  return *script;
}

// KEYS[1] account, KEYS[2] sessions index. ARGV[1] expected password hash,
// ARGV[2] new hash, ARGV[3] session id to keep. The only writer of a password
// change: the new hash, the new epoch (which invalidates every other session
// at once, see RedisSessionStore::Touch) and the index cleanup commit
// together or not at all. Returns the removed sessions' token hashes.
const redis::LuaScript& ReplacePasswordScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('NOT_FOUND no such account')
end
if redis.call('HGET', KEYS[1], 'pw') ~= ARGV[1] then
  return redis.error_reply('ABORTED the password was changed meanwhile')
end
redis.call('HSET', KEYS[1], 'pw', ARGV[2], 'kept_sid', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'epoch', 1)
local index = redis.call('HGETALL', KEYS[2])
local removed = {}
for i = 1, #index, 2 do
  if index[i] ~= ARGV[3] then
    redis.call('HDEL', KEYS[2], index[i])
    removed[#removed + 1] = index[i + 1]
  end
end
return removed)lua");
  return *script;
}

// KEYS[1] verification token, KEYS[2] account. Returns 1 when the account
// was marked verified by this call, 0 when the token is unknown, expired or
// used. GET and DEL in one script: two concurrent calls cannot both see it.
const redis::LuaScript& ConsumeVerificationScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
local email = redis.call('GET', KEYS[1])
if not email then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('HGET', KEYS[2], 'email') ~= email then return 0 end
redis.call('HSET', KEYS[2], 'verified', '1')
return 1)lua");
  return *script;
}

// KEYS[1] reset token, KEYS[2] account, KEYS[3] sessions index. ARGV[1]
// new password hash. GET and DEL in one script with the password write and
// the revocation: a token works once, and never half.
const redis::LuaScript& ConsumeResetScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
local bound = redis.call('GET', KEYS[1])
if not bound then return redis.error_reply('NOT_FOUND reset token') end
redis.call('DEL', KEYS[1])
local a = redis.call('HMGET', KEYS[2], 'email', 'epoch')
if a[1] == false or bound ~= a[1] .. '|' .. (a[2] or '0') then
  return redis.error_reply('NOT_FOUND reset token')
end
redis.call('HSET', KEYS[2], 'pw', ARGV[1], 'verified', '1', 'kept_sid', '')
redis.call('HINCRBY', KEYS[2], 'epoch', 1)
local index = redis.call('HGETALL', KEYS[3])
redis.call('DEL', KEYS[3])
local removed = {}
for i = 2, #index, 2 do removed[#removed + 1] = index[i] end
return removed)lua");
  return *script;
}

// KEYS[1] account, KEYS[2] sessions index, KEYS[3] billing, KEYS[4..]
// view and question history. Refuses while a paid subscription runs that
// is not set to end (the provider would go on charging a person we no
// longer know). Returns {customer id, token hash...}.
const redis::LuaScript& DeleteAccountScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('NOT_FOUND no such account')
end
local b = redis.call('HMGET', KEYS[3], 'status', 'cancel_at_period_end', 'customer')
if (b[1] == 'active' or b[1] == 'trialing' or b[1] == 'past_due') and b[2] ~= '1' then
  return redis.error_reply('FAILED_PRECONDITION your Pro subscription is still running: cancel it first, then delete the account')
end
local out = {b[3] or ''}
local index = redis.call('HGETALL', KEYS[2])
for i = 2, #index, 2 do out[#out + 1] = index[i] end
redis.call('DEL', unpack(KEYS))
return out)lua");
  return *script;
}

// KEYS[1] email claim; ARGV[1] account id. Releases the claim only if it
// is this account's (a squatter's deletion must not free the owner's email).
const redis::LuaScript& ReleaseEmailScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0)lua");
  return *script;
}

std::string RolesText(const std::vector<Role>& roles) {
  std::vector<int> numbers(roles.begin(), roles.end());
  return absl::StrJoin(numbers, ",");
}

std::vector<Role> ParseRoles(absl::string_view text) {
  std::vector<Role> roles;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int n = 0;
    if (absl::SimpleAtoi(part, &n) && v1::Role_IsValid(n)) roles.push_back(static_cast<Role>(n));
  }
  return roles;
}

}  // namespace

absl::Status RedisAccountStore::Create(const AccountRecord& a, absl::Duration ttl,
                                       absl::Time deadline) {
  const std::string key = keys::Account(a.id);
  std::vector<redis::RedisCommand> commands;
  commands.push_back({"MULTI"});
  commands.push_back({"HSET", key, "kind", a.guest ? "guest" : "user", "email", a.email, "name",
                      a.display_name, "plan", std::to_string(a.plan), "roles", RolesText(a.roles),
                      "created_ms", Millis(a.created_at), "pw", a.password_hash, "verified",
                      a.email_verified ? "1" : "0"});
  if (ttl > absl::ZeroDuration()) commands.push_back({"PEXPIRE", key, Millis(ttl)});
  commands.push_back({"EXEC"});
  absl::StatusOr<std::vector<redis::RedisReply>> replies = client_->Pipeline(commands, deadline);
  if (!replies.ok()) return StoreStatus(replies.status());
  const redis::RedisReply& exec = replies->back();
  if (!exec.is_array()) {
    return absl::InternalError("Redis did not commit the new account: " + exec.DebugString());
  }
  return absl::OkStatus();
}

absl::StatusOr<AccountRecord> RedisAccountStore::Get(const std::string& account_id,
                                                     absl::Time deadline) {
  const std::string key = keys::Account(account_id);
  absl::StatusOr<redis::RedisReply> reply = client_->Command({"HGETALL", key}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  const auto& e = reply->elements();
  if (e.empty()) return absl::NotFoundError("no such account");
  absl::flat_hash_map<std::string, std::string> f;
  for (size_t i = 0; i + 1 < e.size(); i += 2) f[e[i].str()] = e[i + 1].str();
  AccountRecord a;
  a.id = account_id;
  a.guest = f["kind"] == "guest";
  a.email = f["email"];
  a.display_name = f["name"];
  int plan = 0;
  if (absl::SimpleAtoi(f["plan"], &plan) && v1::Plan_IsValid(plan))
    a.plan = static_cast<Plan>(plan);
  a.roles = ParseRoles(f["roles"]);
  int64_t created = 0;
  if (absl::SimpleAtoi(f["created_ms"], &created)) a.created_at = absl::FromUnixMillis(created);
  a.password_hash = f["pw"];
  a.email_verified = f["verified"] == "1";
  if (!absl::SimpleAtoi(f["epoch"], &a.session_epoch)) a.session_epoch = 0;
  a.kept_session_id = f["kept_sid"];
  return a;
}

absl::StatusOr<bool> RedisAccountStore::ClaimEmail(const std::string& email_hash,
                                                   const std::string& account_id,
                                                   absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply =
      client_->Command({"SET", keys::Email(email_hash), account_id, "NX"}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  return reply->is_status();  // "OK" when set, nil when taken
}

absl::StatusOr<std::string> RedisAccountStore::FindByEmail(const std::string& email_hash,
                                                           absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply =
      client_->Command({"GET", keys::Email(email_hash)}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  if (!reply->is_string()) return absl::NotFoundError("no account has this email");
  return reply->str();
}

absl::Status RedisAccountStore::UpdateExisting(const std::string& account_id,
                                               const std::vector<std::string>& field_values,
                                               absl::Time deadline) {
  const std::string key = keys::Account(account_id);
  std::vector<absl::string_view> args(field_values.begin(), field_values.end());
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(UpdateExistingScript(), {key}, args, deadline);
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::Status RedisAccountStore::SetPasswordHash(const std::string& account_id,
                                                const std::string& password_hash,
                                                absl::Time deadline) {
  return UpdateExisting(account_id, {"pw", password_hash}, deadline);
}

absl::StatusOr<std::vector<std::string>> RedisAccountStore::ReplacePasswordAndRevokeOthers(
    const std::string& account_id, const std::string& expected_hash, const std::string& new_hash,
    const std::string& keep_session_id, absl::Time deadline) {
  const std::string account = keys::Account(account_id);
  const std::string index = keys::Sessions(account_id);
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(ReplacePasswordScript(), {account, index},
                    {expected_hash, new_hash, keep_session_id}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  std::vector<std::string> removed;
  for (const redis::RedisReply& e : reply->elements()) removed.push_back(e.str());
  return removed;
}

absl::Status RedisAccountStore::PutToken(const std::string& account_id, const std::string& key,
                                         const std::string& entry, const std::string& value,
                                         absl::Duration ttl, absl::Time deadline) {
  // The token and its entry in the account's token index commit together;
  // the index lives as long as its longest-lived token (NX sets the first
  // expiry, GT only ever lengthens it).
  const std::string index = keys::TokenIndex(account_id);
  const std::string ms = Millis(ttl);
  absl::StatusOr<std::vector<redis::RedisReply>> replies =
      client_->Pipeline({{"MULTI"},
                         {"SET", key, value, "PX", ms},
                         {"SADD", index, entry},
                         {"PEXPIRE", index, ms, "NX"},
                         {"PEXPIRE", index, ms, "GT"},
                         {"EXEC"}},
                        deadline);
  if (!replies.ok()) return StoreStatus(replies.status());
  if (!replies->back().is_array()) {
    return absl::InternalError("Redis did not store the token: " + replies->back().DebugString());
  }
  return absl::OkStatus();
}

absl::Status RedisAccountStore::PutVerification(const std::string& account_id,
                                                const std::string& token_hash,
                                                const std::string& email, absl::Duration ttl,
                                                absl::Time deadline) {
  return PutToken(account_id, keys::Verification(account_id, token_hash),
                  absl::StrCat("v:", token_hash), email, ttl, deadline);
}

absl::StatusOr<bool> RedisAccountStore::ConsumeVerification(const std::string& account_id,
                                                            const std::string& token_hash,
                                                            absl::Time deadline) {
  const std::string token_key = keys::Verification(account_id, token_hash);
  const std::string account = keys::Account(account_id);
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(ConsumeVerificationScript(), {token_key, account}, {}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  absl::StatusOr<int64_t> n = internal::ReplyInt(*reply);
  if (!n.ok()) return n.status();
  return *n == 1;
}

absl::Status RedisAccountStore::PutPasswordReset(const AccountRecord& account,
                                                 const std::string& token_hash, absl::Duration ttl,
                                                 absl::Time deadline) {
  return PutToken(account.id, keys::PasswordReset(account.id, token_hash),
                  absl::StrCat("r:", token_hash),
                  absl::StrCat(account.email, "|", account.session_epoch), ttl, deadline);
}

absl::StatusOr<std::vector<std::string>> RedisAccountStore::ConsumePasswordReset(
    const std::string& account_id, const std::string& token_hash, const std::string& new_hash,
    absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(ConsumeResetScript(),
                    {keys::PasswordReset(account_id, token_hash), keys::Account(account_id),
                     keys::Sessions(account_id)},
                    {new_hash}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  std::vector<std::string> removed;
  for (const redis::RedisReply& e : reply->elements()) removed.push_back(e.str());
  return removed;
}

absl::Status RedisAccountStore::MarkVerified(const std::string& account_id, absl::Time deadline) {
  return UpdateExisting(account_id, {"verified", "1"}, deadline);
}

absl::Status RedisAccountStore::SetPlanAndRoles(const std::string& account_id,
                                                std::optional<Plan> plan,
                                                std::optional<std::vector<Role>> roles,
                                                absl::Time deadline) {
  std::vector<std::string> fv;
  if (plan.has_value()) {
    fv.push_back("plan");
    fv.push_back(std::to_string(*plan));
  }
  if (roles.has_value()) {
    fv.push_back("roles");
    fv.push_back(RolesText(*roles));
  }
  return UpdateExisting(account_id, fv, deadline);
}

absl::StatusOr<DeletedAccount> RedisAccountStore::Delete(const std::string& account_id,
                                                         const std::string& email_hash,
                                                         const std::vector<std::string>& features,
                                                         absl::Time now, absl::Time deadline) {
  std::vector<std::string> key_names = {keys::Account(account_id), keys::Sessions(account_id),
                                        keys::Billing(account_id), keys::TokenIndex(account_id)};
  // Pending verification and reset tokens hold the email address.
  absl::StatusOr<redis::RedisReply> tokens =
      client_->Command({"SMEMBERS", keys::TokenIndex(account_id)}, deadline);
  if (!tokens.ok()) return StoreStatus(tokens.status());
  for (const redis::RedisReply& t : tokens->elements()) {
    const std::string& entry = t.str();
    if (entry.size() < 3) continue;
    const std::string hash = entry.substr(2);
    key_names.push_back(entry[0] == 'v' ? keys::Verification(account_id, hash)
                                        : keys::PasswordReset(account_id, hash));
  }
  // History keys outlive their window by a day (redis_meter_store.cc), so
  // this window and the one before hold everything still stored.
  for (const Window& month :
       {MonthWindow(now), MonthWindow(MonthWindow(now).start - absl::Hours(1))}) {
    key_names.push_back(keys::Views(account_id, month.label));
    key_names.push_back(keys::ViewRequests(account_id, month.label));
  }
  for (const Window& day : {DayWindow(now), DayWindow(now - absl::Hours(24))}) {
    for (const std::string& feature : features) {
      key_names.push_back(keys::Uses(account_id, feature, day.label));
      key_names.push_back(keys::UseRequests(account_id, feature, day.label));
    }
  }
  std::vector<absl::string_view> key_views(key_names.begin(), key_names.end());
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(DeleteAccountScript(), key_views, {}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  DeletedAccount deleted;
  const auto& e = reply->elements();
  if (!e.empty()) deleted.billing_customer = e[0].str();
  for (size_t i = 1; i < e.size(); ++i) deleted.session_token_hashes.push_back(e[i].str());
  const std::string email_key = keys::Email(email_hash);
  absl::StatusOr<redis::RedisReply> released =
      client_->Eval(ReleaseEmailScript(), {email_key}, {account_id}, deadline);
  if (!released.ok()) return StoreStatus(released.status());
  return deleted;
}

}  // namespace openencoder::account
