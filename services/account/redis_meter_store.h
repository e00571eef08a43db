// MeterStore on Redis, one Lua script per call over one account's keys:
//   oe:{a:<id>}:views:<YYYY-MM>        set of codes opened this month
//   oe:{a:<id>}:viewreq:<YYYY-MM>      hash request id -> outcome
//   oe:{a:<id>}:use:<feature>:<day>    counter of feature uses
//   oe:{a:<id>}:usereq:<feature>:<day> set of request ids counted
//   oe:{a:<id>}:account                read for the plan
// Window keys expire a day after their window ends (PEXPIREAT).
// Thread-safe; the client must outlive the store.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_METER_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_METER_STORE_H_

#include "services/account/meter_store.h"
#include "services/common/redis/eval_batcher.h"
#include "services/common/redis/lua_script.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

class RedisMeterStore final : public MeterStore {
 public:
  explicit RedisMeterStore(redis::RedisClient* client);

  // The ConsumeView script, for benchmarks that run it with redis-benchmark.
  // KEYS: views, viewreq, account, the account's session index. ARGV: code, request id, expire-at
  // ms, the limits of the guest, free, pro and enterprise plans (-1: none), the session's epoch,
  // its session id, "1" for a guest session (no epoch). Returns {outcome (0 denied, 1 new, 2
  // already viewed), used, limit, plan, replayed (0/1)}; an UNAUTHENTICATED error for a session
  // that is not in the index or was revoked by a password change.
  static const redis::LuaScript& ConsumeViewScript();

  absl::StatusOr<ViewOutcome> ConsumeView(const SessionRecord& session, const Window& window,
                                          const std::string& code, const std::string& request_id,
                                          const PlanLimits& limits, absl::Time deadline) override;
  // Concurrent calls share one pipeline (redis::EvalBatcher).
  void ConsumeViewAsync(const SessionRecord& session, const Window& window, const std::string& code,
                        const std::string& request_id, const PlanLimits& limits,
                        absl::Time deadline, ViewCallback done) override;
  absl::StatusOr<ViewOutcome> PeekViews(const std::string& account_id, const Window& window,
                                        const PlanLimits& limits, absl::Time deadline) override;
  absl::StatusOr<std::vector<std::string>> ViewedCodes(const std::string& account_id,
                                                       const Window& window,
                                                       absl::Time deadline) override;
  absl::Status AddViewedCodes(const std::string& account_id, const Window& window,
                              const std::vector<std::string>& codes, absl::Time deadline) override;
  absl::StatusOr<UseOutcome> CountUse(const std::string& account_id, const std::string& feature,
                                      const Window& window, const std::string& request_id,
                                      const PlanLimits& limits, absl::Time deadline) override;

 private:
  redis::RedisClient* client_;
  redis::EvalBatcher views_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_METER_STORE_H_
