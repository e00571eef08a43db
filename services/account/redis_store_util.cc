#include "services/account/redis_store_util.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace openencoder::account::internal {

absl::Status StoreStatus(absl::Status status) {
  if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    return absl::UnavailableError(
        absl::StrCat("the account store did not answer in time: ", status.message()));
  }
  return status;
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
