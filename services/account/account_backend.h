// Everything the account service is made of, wired once for main() and for
// in-process tests: the Redis client, the Redis stores, the logic and the
// gRPC service. Owns all of it; destroy it only after the server is shut down.
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_BACKEND_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_BACKEND_H_

#include <memory>

#include "absl/status/statusor.h"
#include "services/account/account_config.h"
#include "services/account/account_manager.h"
#include "services/account/account_service.h"
#include "services/account/billing.h"
#include "services/account/erasure_outbox.h"
#include "services/account/mail_outbox.h"
#include "services/account/metering.h"
#include "services/account/password_hasher.h"
#include "services/account/password_policy.h"
#include "services/account/redis_account_store.h"
#include "services/account/redis_limit_store.h"
#include "services/account/redis_meter_store.h"
#include "services/account/redis_session_store.h"
#include "services/account/session_manager.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

class AccountBackend {
 public:
  // `redis` gets its command and connect timeouts capped at
  // config.redis_call_timeout. Errors: INVALID_ARGUMENT (options, hash cost).
  // Mail goes through `mail_sender` when given (tests), else through SMTP
  // at config.smtp_url, else (no SMTP configured) it is only logged. The
  // outbox worker runs from Create until the backend is destroyed.
  static absl::StatusOr<std::unique_ptr<AccountBackend>> Create(
      AccountConfig config, PasswordPolicy policy, PasswordHasher hasher, redis::RedisOptions redis,
      std::unique_ptr<common::mail::MailSender> mail_sender = nullptr,
      MailOutboxOptions mail_options = {});

  AccountServiceImpl* service() { return service_.get(); }
  AccountManager* accounts() { return accounts_.get(); }
  Metering* metering() { return metering_.get(); }
  redis::RedisClient* redis() { return redis_.get(); }
  MailOutbox* mail_outbox() { return mail_outbox_.get(); }
  ErasureOutbox* erasure_outbox() { return erasure_outbox_.get(); }
  // Starts delivering account erasures to jobs and the assistant at these
  // targets (main: the config's addresses; tests: servers started after the
  // account service), as `client_identity` (empty: the process's own).
  // Call once.
  void StartErasureDelivery(const std::string& jobs_targets, const std::string& assistant_targets,
                            const std::string& client_identity = "");
  const AccountConfig& config() const { return config_; }

 private:
  AccountBackend(AccountConfig config, PasswordPolicy policy, PasswordHasher hasher)
      : config_(std::move(config)), policy_(std::move(policy)), hasher_(std::move(hasher)) {}

  AccountConfig config_;
  PasswordPolicy policy_;
  PasswordHasher hasher_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<RedisAccountStore> account_store_;
  std::unique_ptr<RedisSessionStore> session_store_;
  std::unique_ptr<RedisMeterStore> meter_store_;
  std::unique_ptr<RedisLimitStore> limit_store_;
  std::unique_ptr<common::mail::MailSender> mail_sender_;
  std::unique_ptr<MailOutbox> mail_outbox_;  // after the sender: stops first
  std::unique_ptr<AccountDataEraser> eraser_;
  std::unique_ptr<ErasureOutbox> erasure_outbox_;  // after the eraser: stops first
  std::unique_ptr<SessionCache> session_cache_;
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<AccountManager> accounts_;
  std::unique_ptr<Metering> metering_;
  std::unique_ptr<Billing> billing_;
  std::unique_ptr<AccountServiceImpl> service_;  // last: its pool joins first
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_BACKEND_H_
