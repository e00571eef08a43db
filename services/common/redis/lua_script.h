#ifndef OPENENCODER_SERVICES_COMMON_REDIS_LUA_SCRIPT_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_LUA_SCRIPT_H_

// A Lua script run with RedisClient::Eval: its source and its SHA-1 name,
// computed once at construction so every call can use EVALSHA.
//
// Scripts follow docs/ENGINEERING.md: every key they touch is passed in
// KEYS[] (never built inside Lua), and all keys share one hash tag.
//
// Example:
//   static const LuaScript kIncrCapped(R"lua(
//     local v = redis.call('INCR', KEYS[1])
//     if v > tonumber(ARGV[1]) then
//       return redis.error_reply('RESOURCE_EXHAUSTED quota used up')
//     end
//     return v)lua");
//
// Immutable after construction; safe to share between threads, and meant to
// be a long-lived (e.g. function-local static) object.

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::redis {

class LuaScript {
 public:
  explicit LuaScript(std::string source);

  const std::string& source() const { return source_; }
  // Lower-case hex SHA-1 of source(), as EVALSHA expects.
  const std::string& sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_LUA_SCRIPT_H_
