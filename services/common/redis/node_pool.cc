#include "services/common/redis/node_pool.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/redis/redis_metrics.h"

namespace openencoder::redis::internal {

NodePool::NodePool(RedisOptions options)
    : options_(std::move(options)), address_(options_.Address()) {
  absl::MutexLock lock(&mu_);
  idle_.reserve(options_.pool_size);
  for (int i = 0; i < options_.pool_size; ++i) {
    idle_.push_back(std::make_unique<RedisConnection>(options_));
  }
}

absl::StatusOr<std::vector<RedisReply>> NodePool::Execute(absl::Span<const ArgvView> commands,
                                                          absl::Time deadline) {
  auto has_idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !idle_.empty(); };
  mu_.Lock();
  // Counted apart from the common case, which takes the lock just once.
  if (idle_.empty()) {
    mu_.Unlock();
    RecordPoolWait();
    if (!mu_.LockWhenWithDeadline(absl::Condition(&has_idle), deadline)) {
      mu_.Unlock();
      RecordPoolWaitTimeout();
      return absl::DeadlineExceededError(
          absl::StrCat("deadline passed waiting for a free connection to Redis at ", address_,
                       " (pool_size ", options_.pool_size, ")"));
    }
  }
  std::unique_ptr<RedisConnection> connection = std::move(idle_.back());
  idle_.pop_back();
  mu_.Unlock();

  absl::StatusOr<std::vector<RedisReply>> replies = connection->Execute(commands, deadline);

  absl::MutexLock lock(&mu_);
  // LIFO: the most recently used socket is the likeliest to be alive.
  idle_.push_back(std::move(connection));
  return replies;
}

}  // namespace openencoder::redis::internal
