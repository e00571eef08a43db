// SessionStore on Redis. Session: hash oe:{s:<token-hash>} (account, sid,
// guest, created_ms, last_ms, expires_ms, idle_ms, addr, ua) whose key
// expires after the idle timeout or at the absolute end of life, whichever is
// first. Index: hash oe:{a:<account>}:sessions, session id -> token hash.
//
// Touch writes (and so costs an AOF fsync) only when the last-seen time is
// older than `touch_granularity`; the idle timeout is therefore accurate to
// that granularity, and validating a busy session is a read.
// Thread-safe; the client must outlive the store.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_SESSION_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_SESSION_STORE_H_

#include "services/account/session_store.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

class RedisSessionStore final : public SessionStore {
 public:
  RedisSessionStore(redis::RedisClient* client, absl::Duration touch_granularity)
      : client_(client), touch_granularity_(touch_granularity) {}

  absl::Status Create(const SessionRecord& session, absl::Time now, absl::Time deadline) override;
  absl::StatusOr<SessionRecord> Touch(const std::string& token_hash, absl::Time now,
                                      absl::Time deadline, bool check_epoch) override;
  absl::Status Delete(const SessionRecord& session, absl::Time deadline) override;
  absl::StatusOr<std::vector<SessionRecord>> List(const std::string& account_id,
                                                  absl::Time deadline) override;

 private:
  redis::RedisClient* client_;
  absl::Duration touch_granularity_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_SESSION_STORE_H_
