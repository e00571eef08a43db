// Issues and resolves session tokens on top of a SessionStore. Shared by the
// identity logic (AccountManager) and the meter (Metering).
// Thread-safe; the store must outlive the manager.
#ifndef OPENENCODER_SERVICES_ACCOUNT_SESSION_MANAGER_H_
#define OPENENCODER_SERVICES_ACCOUNT_SESSION_MANAGER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/account/account_types.h"
#include "services/account/session_cache.h"
#include "services/account/session_store.h"

namespace openencoder::account {

struct ClientInfo {
  std::string address;
  std::string user_agent;
  // The browser's device id from the gateway's signed first-party cookie
  // ("" when unknown): guest sessions and registrations are also capped per
  // device. Never stored in clear with the session.
  std::string device_id;
};

class SessionManager {
 public:
  SessionManager(SessionStore* store, absl::Duration idle, absl::Duration lifetime,
                 absl::Duration guest_lifetime)
      : store_(store), idle_(idle), lifetime_(lifetime), guest_lifetime_(guest_lifetime) {}

  // A new session for `account_id`; the token in the result is the only
  // copy in clear. Guests' idle timeout equals their lifetime. `epoch` is
  // the account's session epoch as read when the credentials were checked,
  // so a login racing a password change gets a session that is already
  // revoked rather than one that outlives the change.
  absl::StatusOr<IssuedSession> Issue(const std::string& account_id, bool guest,
                                      const ClientInfo& client, absl::Time now, absl::Time deadline,
                                      int64_t epoch = 0);

  // The live session of `token`, its idle timer restarted. UNAUTHENTICATED
  // (missing, malformed, unknown, expired or ended) with a message telling
  // the person to sign in again; UNAVAILABLE from the store. With
  // `check_epoch` false the caller checks the password-change epoch itself
  // (see SessionStore::Touch).
  absl::StatusOr<SessionRecord> Resolve(absl::string_view token, absl::Time now,
                                        absl::Time deadline, bool check_epoch = true);

  // Like Resolve without the epoch check, but may answer from `cache` (see
  // set_meter_cache) without asking the store whether the session was ended
  // since. Only for a caller whose own store step proves the session alive
  // (ConsumeView's script: the account's session index and epoch); such a
  // caller reports a refusal with Forget.
  absl::StatusOr<SessionRecord> ResolveForMeter(absl::string_view token, absl::Time now,
                                                absl::Time deadline);
  // The copy ResolveForMeter would answer from now, without any store call;
  // nullopt when there is none (or the token is malformed).
  std::optional<SessionRecord> CachedForMeter(absl::string_view token, absl::Time now);
  // Drops the cached copy of `token`'s session (the store refused it).
  void Forget(absl::string_view token);

  // The copy ResolveForMeter may use; entries live at most `refresh` (the
  // store's touch granularity, so last-seen updates are not delayed).
  // nullptr: none. `cache` must outlive the manager.
  void set_meter_cache(SessionCache* cache, absl::Duration refresh) {
    cache_ = cache;
    cache_refresh_ = refresh;
  }

  SessionStore* store() { return store_; }

 private:
  SessionStore* store_;
  absl::Duration idle_;
  absl::Duration lifetime_;
  absl::Duration guest_lifetime_;
  SessionCache* cache_ = nullptr;
  absl::Duration cache_refresh_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_SESSION_MANAGER_H_
