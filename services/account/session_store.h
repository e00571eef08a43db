// Where sessions live, keyed by the hash of their token, plus each account's
// index of its sessions. Implemented by RedisSessionStore.
//
// Errors common to every method: UNAVAILABLE when the store cannot be reached
// in time.
#ifndef OPENENCODER_SERVICES_ACCOUNT_SESSION_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_SESSION_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/account/account_types.h"

namespace openencoder::account {

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Stores `session` (adds it to the account's index first, so a crash never
  // leaves a live session that ChangePassword cannot find).
  virtual absl::Status Create(const SessionRecord& session, absl::Time now,
                              absl::Time deadline) = 0;
  // The live session with this token hash, after moving its last-seen time
  // to `now` and restarting its idle timer. NOT_FOUND when unknown, idle too
  // long, past its absolute lifetime, ended, or revoked by a password change
  // (its epoch is not the account's and it is not the account's kept session).
  // With `check_epoch` false the last check is left to the caller, which
  // must make it in its own step on the account's keys (ConsumeView does,
  // inside its script: one Redis round trip fewer per metered view).
  virtual absl::StatusOr<SessionRecord> Touch(const std::string& token_hash, absl::Time now,
                                              absl::Time deadline, bool check_epoch) = 0;
  // Ends a session. OK when it was already gone.
  virtual absl::Status Delete(const SessionRecord& session, absl::Time deadline) = 0;
  // The account's live sessions (dead index entries are pruned on the way).
  virtual absl::StatusOr<std::vector<SessionRecord>> List(const std::string& account_id,
                                                          absl::Time deadline) = 0;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_SESSION_STORE_H_
