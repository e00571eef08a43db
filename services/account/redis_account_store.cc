#include "services/account/redis_account_store.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"

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

absl::Status RedisAccountStore::PutVerification(const std::string& account_id,
                                                const std::string& token_hash,
                                                const std::string& email, absl::Duration ttl,
                                                absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply = client_->Command(
      {"SET", keys::Verification(account_id, token_hash), email, "PX", Millis(ttl)}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  if (reply->is_error()) return absl::InternalError("Redis error: " + reply->str());
  return absl::OkStatus();
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
  absl::StatusOr<redis::RedisReply> reply =
      client_->Command({"SET", keys::PasswordReset(account.id, token_hash),
                        absl::StrCat(account.email, "|", account.session_epoch), "PX", Millis(ttl)},
                       deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  if (reply->is_error()) return absl::InternalError("Redis error: " + reply->str());
  return absl::OkStatus();
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

}  // namespace openencoder::account
