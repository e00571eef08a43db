// A bounded in-process copy of recently resolved sessions, for the metering
// path only. ConsumeView resolves a session on every code page; the copy
// saves that Redis round trip (half of the account's Redis work per page).
//
// It is safe only where the caller proves the session is still alive in its
// own store step: the metering script checks, in the account's slot, that
// the session is still in the account's index (logout and revocation remove
// it there) and of the account's epoch (a password change moves it). What
// the copy supplies (account, session id, guest, epoch) never changes for a
// session. An entry is kept at most until the next last-seen update is due
// (touch granularity), and never past the session's idle or absolute end, so
// the copy never hides an expiry and idle timers keep moving as before.
//
// Thread-safe. Sharded so that concurrent pages do not contend on one lock.
#ifndef OPENENCODER_SERVICES_ACCOUNT_SESSION_CACHE_H_
#define OPENENCODER_SERVICES_ACCOUNT_SESSION_CACHE_H_

#include <array>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/account/account_types.h"

namespace openencoder::account {

class SessionCache {
 public:
  // At most about `capacity` entries (0: keeps nothing).
  explicit SessionCache(size_t capacity);

  // The copy of the session with this token hash while it is fresh at `now`.
  std::optional<SessionRecord> Find(const std::string& token_hash, absl::Time now);
  // Keeps `session` (as just read from the store at `now`) until the earliest
  // of now + `refresh`, its idle end and its absolute end. The client address
  // and user agent are not kept: the meter does not need them.
  void Put(const SessionRecord& session, absl::Time now, absl::Duration refresh);
  void Erase(const std::string& token_hash);

 private:
  struct Entry {
    SessionRecord session;
    absl::Time fresh_until;
  };
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Entry> entries ABSL_GUARDED_BY(mu);
  };
  static constexpr size_t kShards = 16;

  Shard& ShardOf(const std::string& token_hash);

  const size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_SESSION_CACHE_H_
