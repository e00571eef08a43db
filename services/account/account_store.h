// Where account records and the email index live. Implemented by
// RedisAccountStore; every call is bounded by `deadline`.
//
// Errors common to every method: UNAVAILABLE when the store cannot be reached
// in time (the write may or may not have happened).
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/account/account_types.h"

namespace openencoder::account {

// What Delete removed that the caller still has to clean up elsewhere (in
// other Redis slots).
struct DeletedAccount {
  std::vector<std::string> session_token_hashes;
  std::string billing_customer;  // the provider's customer id, if any
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Writes a new record. `ttl` > 0 makes it expire (guest accounts).
  virtual absl::Status Create(const AccountRecord& account, absl::Duration ttl,
                              absl::Time deadline) = 0;
  // NOT_FOUND when there is no such account.
  virtual absl::StatusOr<AccountRecord> Get(const std::string& account_id, absl::Time deadline) = 0;
  // Points the email index at `account_id` unless it already points at an
  // account. True when this call claimed it.
  virtual absl::StatusOr<bool> ClaimEmail(const std::string& email_hash,
                                          const std::string& account_id, absl::Time deadline) = 0;
  // The account that owns the email; NOT_FOUND when none does.
  virtual absl::StatusOr<std::string> FindByEmail(const std::string& email_hash,
                                                  absl::Time deadline) = 0;
  virtual absl::Status SetPasswordHash(const std::string& account_id,
                                       const std::string& password_hash, absl::Time deadline) = 0;
  // The one atomic step of a password change (one script on the account's
  // keys): replaces the hash if it still is `expected_hash` (ABORTED
  // otherwise), starts a new session epoch that only `keep_session_id`
  // survives, and removes every other session from the account's index.
  // Returns the token hashes removed from the index; deleting those session
  // records afterwards is housekeeping (they are already invalid).
  // NOT_FOUND when there is no such account.
  virtual absl::StatusOr<std::vector<std::string>> ReplacePasswordAndRevokeOthers(
      const std::string& account_id, const std::string& expected_hash, const std::string& new_hash,
      const std::string& keep_session_id, absl::Time deadline) = 0;
  // Stores a verification token's hash for `ttl`, bound to `email`.
  virtual absl::Status PutVerification(const std::string& account_id, const std::string& token_hash,
                                       const std::string& email, absl::Duration ttl,
                                       absl::Time deadline) = 0;
  // Atomically: if the token exists and the account still has the email it
  // was sent to, marks the account verified and deletes the token. False
  // when the token is unknown, expired or used (then nothing changes).
  virtual absl::StatusOr<bool> ConsumeVerification(const std::string& account_id,
                                                   const std::string& token_hash,
                                                   absl::Time deadline) = 0;
  // Stores a password-reset token's hash for `ttl`, bound to the account's
  // email and its current session epoch (a later password change voids it).
  virtual absl::Status PutPasswordReset(const AccountRecord& account, const std::string& token_hash,
                                        absl::Duration ttl, absl::Time deadline) = 0;
  // The one atomic step of a reset: if the token exists, the account still
  // has the email and the epoch it was issued for, deletes the token, sets
  // `new_hash`, marks the email verified, starts a new session epoch that no
  // session survives and empties the sessions index. Returns the removed
  // sessions' token hashes; NOT_FOUND when the token is unknown, expired,
  // used or voided (then nothing changes).
  virtual absl::StatusOr<std::vector<std::string>> ConsumePasswordReset(
      const std::string& account_id, const std::string& token_hash, const std::string& new_hash,
      absl::Time deadline) = 0;
  // Marks the account's email verified. NOT_FOUND when there is no such account.
  virtual absl::Status MarkVerified(const std::string& account_id, absl::Time deadline) = 0;
  // Changes what is given. NOT_FOUND when there is no such account.
  virtual absl::Status SetPlanAndRoles(const std::string& account_id, std::optional<Plan> plan,
                                       std::optional<std::vector<Role>> roles,
                                       absl::Time deadline) = 0;
  // Deletes the account and everything kept under its id in one atomic
  // step: the record (email, name, password hash), the sessions index, the
  // billing record, and the view and question history of the windows still
  // alive at `now` (older ones have expired) for `features`. Then releases
  // the email claim if it points at this account. FAILED_PRECONDITION (and
  // nothing changes) while a paid subscription runs that is not set to end;
  // NOT_FOUND when there is no such account.
  virtual absl::StatusOr<DeletedAccount> Delete(const std::string& account_id,
                                                const std::string& email_hash,
                                                const std::vector<std::string>& features,
                                                absl::Time now, absl::Time deadline) = 0;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_STORE_H_
