#include "services/account/redis_store_util.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/redis/lua_script.h"
#include "services/common/store_status.h"

namespace openencoder::account::internal {

absl::Status StoreStatus(absl::Status status) {
  return common::StoreStatus(std::move(status), "account store");
}

absl::StatusOr<int64_t> ReplyInt(const redis::RedisReply& reply) {
  if (reply.is_integer()) return reply.integer();
  int64_t v = 0;
  if (reply.is_string() && absl::SimpleAtoi(reply.str(), &v)) return v;
  return absl::InternalError(
      absl::StrCat("expected an integer from Redis, got ", reply.DebugString()));
}

int64_t ElementInt(const redis::RedisReply& reply, size_t i) {
  if (!reply.is_array() || i >= reply.elements().size()) return 0;
  absl::StatusOr<int64_t> v = ReplyInt(reply.elements()[i]);
  return v.ok() ? *v : 0;
}

// KEYS[1] outbox, KEYS[2] mail. ARGV[1] mail id, ARGV[2] now ms, ARGV[3]
// lease end ms. Returns the mail's fields, or nil when it is gone (dropped
// from the outbox) or leased by another sender.
namespace {

const redis::LuaScript& OutboxClaimScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return false
end
if tonumber(redis.call('HGET', KEYS[2], 'lease_ms') or '0') > tonumber(ARGV[2]) then
  return false
end
redis.call('HSET', KEYS[2], 'lease_ms', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return redis.call('HGETALL', KEYS[2]))lua");
  return *s;
}

// KEYS[1] outbox, KEYS[2] mail. ARGV[1] mail id. Sent or given up: gone.
const redis::LuaScript& OutboxDoneScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1)lua");
  return *s;
}

// KEYS[1] outbox, KEYS[2] mail. ARGV[1] mail id, ARGV[2] retry at ms.
const redis::LuaScript& OutboxRetryScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[2], 'lease_ms', '0')
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1)lua");
  return *s;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> OutboxDue(redis::RedisClient* redis,
                                                   const std::string& outbox, absl::Time now,
                                                   int limit, absl::Duration timeout) {
  absl::StatusOr<redis::RedisReply> due = redis->Command(
      {"ZRANGEBYSCORE", outbox, "-inf", Millis(now), "LIMIT", "0", std::to_string(limit)},
      now + timeout);
  if (!due.ok()) return due.status();
  std::vector<std::string> ids;
  for (const redis::RedisReply& entry : due->elements()) ids.push_back(entry.str());
  return ids;
}

std::optional<absl::flat_hash_map<std::string, std::string>> OutboxClaim(
    redis::RedisClient* redis, const std::string& outbox, const std::string& entry,
    const std::string& id, absl::Time now, absl::Time lease_end, absl::Duration timeout) {
  absl::StatusOr<redis::RedisReply> claimed = redis->Eval(
      OutboxClaimScript(), {outbox, entry}, {id, Millis(now), Millis(lease_end)}, now + timeout);
  if (!claimed.ok() || !claimed->is_array()) return std::nullopt;
  absl::flat_hash_map<std::string, std::string> fields;
  const auto& e = claimed->elements();
  for (size_t i = 0; i + 1 < e.size(); i += 2) fields[e[i].str()] = e[i + 1].str();
  return fields;
}

void OutboxDone(redis::RedisClient* redis, const std::string& outbox, const std::string& entry,
                const std::string& id, absl::Duration timeout) {
  (void)redis->Eval(OutboxDoneScript(), {outbox, entry}, {id}, absl::Now() + timeout);
}

void OutboxRetry(redis::RedisClient* redis, const std::string& outbox, const std::string& entry,
                 const std::string& id, absl::Time retry_at, absl::Duration timeout) {
  (void)redis->Eval(OutboxRetryScript(), {outbox, entry}, {id, Millis(retry_at)},
                    absl::Now() + timeout);
}

}  // namespace openencoder::account::internal
