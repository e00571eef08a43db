// LimitStore on Redis: one counter key oe:{t:<bucket>} per bucket, expiring
// at the end of its window. Thread-safe; the client must outlive the store.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_LIMIT_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_LIMIT_STORE_H_

#include "services/account/limit_store.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

class RedisLimitStore final : public LimitStore {
 public:
  explicit RedisLimitStore(redis::RedisClient* client) : client_(client) {}

  absl::StatusOr<CounterState> Get(const std::string& bucket, absl::Time deadline) override;
  absl::StatusOr<CounterState> Increment(const std::string& bucket, absl::Duration window,
                                         absl::Time deadline) override;
  absl::Status Reset(const std::string& bucket, absl::Time deadline) override;
  absl::Status Decrement(const std::string& bucket, absl::Time deadline) override;

 private:
  redis::RedisClient* client_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_LIMIT_STORE_H_
