// Small helpers shared by the redis_*_store implementations.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/redis/lua_script.h"
#include "services/common/redis/redis_reply.h"

namespace openencoder::account::internal {

// The client reports a passed deadline as DEADLINE_EXCEEDED; to our callers
// both that and a dead connection mean "the store did not answer", which the
// API promises as UNAVAILABLE.
absl::Status StoreStatus(absl::Status status);

// An integer reply, or a string reply holding a decimal integer.
absl::StatusOr<int64_t> ReplyInt(const redis::RedisReply& reply);

// The reply's array element `i` as an integer (0 when absent or malformed:
// used only on replies our own scripts produce).
int64_t ElementInt(const redis::RedisReply& reply, size_t i);

inline std::string Millis(absl::Time t) { return std::to_string(absl::ToUnixMillis(t)); }
inline std::string Millis(absl::Duration d) { return std::to_string(absl::ToInt64Milliseconds(d)); }

// The leased outboxes' scripts (mail_outbox.cc, erasure_outbox.cc): an
// outbox is a sorted set of entry ids by due time (KEYS[1]) and one hash per
// entry (KEYS[2]) with `attempts` and `lease_ms`; ARGV[1] is the entry id.
// Claim (ARGV[2] now ms, ARGV[3] lease end ms): the entry's fields, or nil
// when it is gone (dropped from the set) or leased by another worker.
const redis::LuaScript& OutboxClaimScript();
// Done: the entry and its place in the set are gone.
const redis::LuaScript& OutboxDoneScript();
// Retry (ARGV[2] retry at ms): the lease is released, the entry due then.
const redis::LuaScript& OutboxRetryScript();

}  // namespace openencoder::account::internal

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_
