// Small helpers shared by the redis_*_store implementations.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
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

}  // namespace openencoder::account::internal

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_STORE_UTIL_H_
