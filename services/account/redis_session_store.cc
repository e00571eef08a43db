#include "services/account/redis_session_store.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"

namespace openencoder::account {
namespace {

using internal::Millis;
using internal::StoreStatus;

// KEYS[1] session; ARGV now_ms, touch granularity ms. Returns the fields as
// HGETALL does (last_ms updated), or nil when the session is gone.
const redis::LuaScript& TouchScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
local f = redis.call('HGETALL', KEYS[1])
if #f == 0 then return false end
local h = {}
for i = 1, #f, 2 do h[f[i]] = i + 1 end
local now = tonumber(ARGV[1])
local expires = tonumber(f[h['expires_ms']])
if now >= expires then
  redis.call('DEL', KEYS[1])
  return false
end
if now - tonumber(f[h['last_ms']]) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'last_ms', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], math.min(tonumber(f[h['idle_ms']]), expires - now))
  f[h['last_ms']] = ARGV[1]
end
return f)lua");
  return *script;
}

absl::Time TimeField(absl::flat_hash_map<std::string, std::string>& f, const char* name) {
  int64_t ms = 0;
  return absl::SimpleAtoi(f[name], &ms) ? absl::FromUnixMillis(ms) : absl::InfinitePast();
}

SessionRecord Parse(const redis::RedisReply& reply, const std::string& token_hash) {
  absl::flat_hash_map<std::string, std::string> f;
  const auto& e = reply.elements();
  for (size_t i = 0; i + 1 < e.size(); i += 2) f[e[i].str()] = e[i + 1].str();
  SessionRecord s;
  s.token_hash = token_hash;
  s.session_id = f["sid"];
  s.account_id = f["account"];
  s.guest = f["guest"] == "1";
  s.created_at = TimeField(f, "created_ms");
  s.last_seen_at = TimeField(f, "last_ms");
  s.expires_at = TimeField(f, "expires_ms");
  int64_t idle = 0;
  if (absl::SimpleAtoi(f["idle_ms"], &idle)) s.idle_timeout = absl::Milliseconds(idle);
  s.client_address = f["addr"];
  s.user_agent = f["ua"];
  if (!absl::SimpleAtoi(f["epoch"], &s.epoch)) s.epoch = 0;  // sessions from before epochs
  return s;
}

}  // namespace

absl::Status RedisSessionStore::Create(const SessionRecord& s, absl::Time now,
                                       absl::Time deadline) {
  const absl::Duration lifetime = s.expires_at - now;
  const absl::Duration first_ttl = std::min(s.idle_timeout, lifetime);
  if (first_ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("session would expire at once");
  }
  // Index first: a crash between the two writes leaves a dangling index
  // entry (pruned by List), never a session that ChangePassword cannot end.
  const std::string index = keys::Sessions(s.account_id);
  std::vector<redis::RedisCommand> index_writes = {
      {"HSET", index, s.session_id, s.token_hash},
      // The index lives as long as its newest session can.
      {"PEXPIRE", index, Millis(lifetime)}};
  absl::StatusOr<std::vector<redis::RedisReply>> r1 = client_->Pipeline(index_writes, deadline);
  if (!r1.ok()) return StoreStatus(r1.status());
  for (const redis::RedisReply& r : *r1) {
    if (r.is_error()) return absl::InternalError("Redis error: " + r.str());
  }
  const std::string key = keys::Session(s.token_hash);
  std::vector<redis::RedisCommand> session_writes = {{"HSET",       key,
                                                      "sid",        s.session_id,
                                                      "account",    s.account_id,
                                                      "guest",      s.guest ? "1" : "0",
                                                      "created_ms", Millis(s.created_at),
                                                      "last_ms",    Millis(s.last_seen_at),
                                                      "expires_ms", Millis(s.expires_at),
                                                      "idle_ms",    Millis(s.idle_timeout),
                                                      "addr",       s.client_address,
                                                      "ua",         s.user_agent,
                                                      "epoch",      std::to_string(s.epoch)},
                                                     {"PEXPIRE", key, Millis(first_ttl)}};
  absl::StatusOr<std::vector<redis::RedisReply>> r2 = client_->Pipeline(session_writes, deadline);
  if (!r2.ok()) return StoreStatus(r2.status());
  for (const redis::RedisReply& r : *r2) {
    if (r.is_error()) return absl::InternalError("Redis error: " + r.str());
  }
  return absl::OkStatus();
}

absl::StatusOr<SessionRecord> RedisSessionStore::Touch(const std::string& token_hash,
                                                       absl::Time now, absl::Time deadline,
                                                       bool check_epoch) {
  const std::string key = keys::Session(token_hash);
  const std::string now_ms = Millis(now);
  const std::string granularity_ms = Millis(touch_granularity_);
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(TouchScript(), {key}, {now_ms, granularity_ms}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  if (!reply->is_array()) return absl::NotFoundError("no such session");
  SessionRecord s = Parse(*reply, token_hash);
  // Guests have no password, so no epoch ever changes.
  if (s.guest || !check_epoch) return s;
  // A password change revokes other sessions by moving the account's epoch
  // (one script on the account's slot; this session lives in another slot).
  absl::StatusOr<redis::RedisReply> account =
      client_->Command({"HMGET", keys::Account(s.account_id), "epoch", "kept_sid"}, deadline);
  if (!account.ok()) return StoreStatus(account.status());
  const auto& e = account->elements();
  int64_t epoch = 0;
  if (e.size() == 2 && e[0].is_string() && !absl::SimpleAtoi(e[0].str(), &epoch)) epoch = 0;
  const bool kept = e.size() == 2 && e[1].is_string() && e[1].str() == s.session_id;
  if (s.epoch != epoch && !kept) {
    // Revoked; deleting the record is housekeeping (the check above decides).
    (void)client_->Command({"DEL", key}, deadline);
    return absl::NotFoundError("no such session");
  }
  return s;
}

absl::Status RedisSessionStore::Delete(const SessionRecord& s, absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> r1 =
      client_->Command({"DEL", keys::Session(s.token_hash)}, deadline);
  if (!r1.ok()) return StoreStatus(r1.status());
  absl::StatusOr<redis::RedisReply> r2 =
      client_->Command({"HDEL", keys::Sessions(s.account_id), s.session_id}, deadline);
  return r2.ok() ? absl::OkStatus() : StoreStatus(r2.status());
}

absl::StatusOr<std::vector<SessionRecord>> RedisSessionStore::List(const std::string& account_id,
                                                                   absl::Time deadline) {
  const std::string index = keys::Sessions(account_id);
  absl::StatusOr<redis::RedisReply> entries = client_->Command({"HGETALL", index}, deadline);
  if (!entries.ok()) return StoreStatus(entries.status());
  const auto& e = entries->elements();
  std::vector<redis::RedisCommand> reads;
  std::vector<std::pair<std::string, std::string>> ids;  // session id, token hash
  for (size_t i = 0; i + 1 < e.size(); i += 2) {
    ids.emplace_back(e[i].str(), e[i + 1].str());
    reads.push_back({"HGETALL", keys::Session(e[i + 1].str())});
  }
  absl::StatusOr<std::vector<redis::RedisReply>> sessions = client_->Pipeline(reads, deadline);
  if (!sessions.ok()) return StoreStatus(sessions.status());
  std::vector<SessionRecord> live;
  std::vector<std::string> dead = {"HDEL", index};
  for (size_t i = 0; i < ids.size(); ++i) {
    const redis::RedisReply& r = (*sessions)[i];
    if (r.is_array() && !r.elements().empty()) {
      live.push_back(Parse(r, ids[i].second));
    } else {
      dead.push_back(ids[i].first);
    }
  }
  if (dead.size() > 2) {
    std::vector<absl::string_view> args(dead.begin(), dead.end());
    // Pruning is housekeeping: the list is right without it.
    (void)client_->Command(args, deadline);
  }
  std::sort(live.begin(), live.end(), [](const SessionRecord& a, const SessionRecord& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.session_id < b.session_id;
  });
  return live;
}

}  // namespace openencoder::account
