#include "services/account/redis_store_util.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

}  // namespace openencoder::account::internal
