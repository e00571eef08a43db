#ifndef OPENENCODER_SERVICES_COMMON_REDIS_COMMAND_KEYS_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_COMMAND_KEYS_H_

// Which argument of a Redis command is the key a cluster routes it by.
// Part of the public contract of RedisClient::Command in cluster mode.
//
// Rules (command names are case-insensitive):
//   - keyless commands (PING, ECHO, INFO, TIME, DBSIZE, FLUSHALL, FLUSHDB,
//     KEYS, SCAN, RANDOMKEY, MULTI, EXEC, DISCARD, and admin commands such as
//     CONFIG, CLIENT, CLUSTER, SCRIPT, FUNCTION, COMMAND, SLOWLOG, ROLE,
//     WAIT, PUBLISH, ...): no key;
//   - EVAL/EVALSHA/EVAL_RO/EVALSHA_RO/FCALL/FCALL_RO: the first key after
//     numkeys, none if numkeys is 0;
//   - XREAD/XREADGROUP: the first key after STREAMS;
//   - OBJECT/MEMORY/XINFO/XGROUP <subcommand> <key>: args[2];
//   - every other command: args[1] (GET, SET, INCR, HSET, ZADD, DEL, MGET,
//     BLPOP, ...). For commands taking several keys only this first one is
//     routed; Redis itself rejects keys in other slots with CROSSSLOT.
// For anything else (a command whose key is elsewhere), use
// RedisClient::CommandForKey, which names the routing key explicitly.
//
// Pure function; thread-safe.

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace openencoder::redis {

// The routing key of `args` (a full command, name first), or nullopt if the
// command has none. The view points into `args`.
std::optional<absl::string_view> RoutingKey(absl::Span<const absl::string_view> args);

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_COMMAND_KEYS_H_
