// AccountStore on Redis. Record: hash oe:{a:<id>}:account (kind, email, name,
// plan, roles, created_ms, pw, verified, epoch, kept_sid). Pending email
// verifications: string oe:{a:<id>}:verify:<token-hash> -> email, with a TTL.
// Email index: string
// oe:{e:<email-hash>} -> account id, set once with SET NX.
// Thread-safe; the client must outlive the store.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_ACCOUNT_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_ACCOUNT_STORE_H_

#include "services/account/account_store.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

class RedisAccountStore final : public AccountStore {
 public:
  explicit RedisAccountStore(redis::RedisClient* client) : client_(client) {}

  absl::Status Create(const AccountRecord& account, absl::Duration ttl,
                      absl::Time deadline) override;
  absl::StatusOr<AccountRecord> Get(const std::string& account_id, absl::Time deadline) override;
  absl::StatusOr<bool> ClaimEmail(const std::string& email_hash, const std::string& account_id,
                                  absl::Time deadline) override;
  absl::StatusOr<std::string> FindByEmail(const std::string& email_hash,
                                          absl::Time deadline) override;
  absl::Status SetPasswordHash(const std::string& account_id, const std::string& password_hash,
                               absl::Time deadline) override;
  absl::StatusOr<std::vector<std::string>> ReplacePasswordAndRevokeOthers(
      const std::string& account_id, const std::string& expected_hash, const std::string& new_hash,
      const std::string& keep_session_id, absl::Time deadline) override;
  absl::Status PutVerification(const std::string& account_id, const std::string& token_hash,
                               const std::string& email, absl::Duration ttl,
                               absl::Time deadline) override;
  absl::StatusOr<bool> ConsumeVerification(const std::string& account_id,
                                           const std::string& token_hash,
                                           absl::Time deadline) override;
  absl::Status PutPasswordReset(const AccountRecord& account, const std::string& token_hash,
                                absl::Duration ttl, absl::Time deadline) override;
  absl::StatusOr<std::vector<std::string>> ConsumePasswordReset(const std::string& account_id,
                                                                const std::string& token_hash,
                                                                const std::string& new_hash,
                                                                absl::Time deadline) override;
  absl::Status MarkVerified(const std::string& account_id, absl::Time deadline) override;
  absl::Status SetPlanAndRoles(const std::string& account_id, std::optional<Plan> plan,
                               std::optional<std::vector<Role>> roles,
                               absl::Time deadline) override;
  absl::StatusOr<DeletedAccount> Delete(const std::string& account_id,
                                        const std::string& email_hash,
                                        const std::vector<std::string>& features, absl::Time now,
                                        absl::Time deadline) override;

 private:
  // SET key value PX ttl, with `entry` ("v:<hash>" verification, "r:<hash>"
  // reset) in the account's token index.
  absl::Status PutToken(const std::string& account_id, const std::string& key,
                        const std::string& entry, const std::string& value, absl::Duration ttl,
                        absl::Time deadline);
  // HSET on an existing record only, so a late write never resurrects a
  // deleted or expired account as a partial record.
  absl::Status UpdateExisting(const std::string& account_id,
                              const std::vector<std::string>& field_values, absl::Time deadline);

  redis::RedisClient* client_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_ACCOUNT_STORE_H_
