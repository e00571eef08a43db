#include "services/account/redis_limit_store.h"

#include "services/account/redis_keys.h"
#include "services/account/redis_store_util.h"

namespace openencoder::account {
namespace {

using internal::ElementInt;
using internal::Millis;
using internal::StoreStatus;

// KEYS[1] counter; ARGV[1] window ms. Returns {count, pttl}.
const redis::LuaScript& IncrementScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl})lua");
  return *script;
}

const redis::LuaScript& GetScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1])})lua");
  return *script;
}

const redis::LuaScript& DecrementScript() {
  static const redis::LuaScript* script = new redis::LuaScript(R"lua(
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0)lua");
  return *script;
}

CounterState ToState(const redis::RedisReply& reply) {
  CounterState s;
  s.count = ElementInt(reply, 0);
  const int64_t ttl = ElementInt(reply, 1);
  s.resets_in = ttl > 0 ? absl::Milliseconds(ttl) : absl::ZeroDuration();
  return s;
}

}  // namespace

absl::StatusOr<CounterState> RedisLimitStore::Get(const std::string& bucket, absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(GetScript(), {keys::Limit(bucket)}, {}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  return ToState(*reply);
}

absl::StatusOr<CounterState> RedisLimitStore::Increment(const std::string& bucket,
                                                        absl::Duration window,
                                                        absl::Time deadline) {
  const std::string window_ms = Millis(window);
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(IncrementScript(), {keys::Limit(bucket)}, {window_ms}, deadline);
  if (!reply.ok()) return StoreStatus(reply.status());
  return ToState(*reply);
}

absl::Status RedisLimitStore::Reset(const std::string& bucket, absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply =
      client_->Command({"DEL", keys::Limit(bucket)}, deadline);
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

absl::Status RedisLimitStore::Decrement(const std::string& bucket, absl::Time deadline) {
  absl::StatusOr<redis::RedisReply> reply =
      client_->Eval(DecrementScript(), {keys::Limit(bucket)}, {}, deadline);
  return reply.ok() ? absl::OkStatus() : StoreStatus(reply.status());
}

}  // namespace openencoder::account
