// Who someone is: registration, login, sessions, passwords, plans. Plain
// logic over the store interfaces; knows nothing of gRPC.
//
// Enumeration resistance: Register answers an already registered email
// exactly like a new one (an account not attached to the email); Login runs
// one argon2id verification whether or not the email is known and answers
// both failures with the same status and message; throttling counts per
// email hash, known or not.
//
// Register, Login and ChangePassword hash passwords (tens of ms of CPU):
// call them from a worker pool. Thread-safe; everything passed to the
// constructor must outlive the manager. `deadline` bounds each store call.
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_MANAGER_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_MANAGER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/account/account_config.h"
#include "services/account/account_store.h"
#include "services/account/limit_store.h"
#include "services/account/mail_outbox.h"
#include "services/account/meter_store.h"
#include "services/account/password_hasher.h"
#include "services/account/password_policy.h"
#include "services/account/session_manager.h"

namespace openencoder::account {

struct RegisterInput {
  std::string email;
  std::string password;
  std::string display_name;
  Role role = Role::ROLE_UNSPECIFIED;
  std::string guest_session_token;  // optional
  ClientInfo client;
};

struct LoginInput {
  std::string email;
  std::string password;
  std::string guest_session_token;  // optional
  ClientInfo client;
};

struct SignedIn {
  AccountRecord account;
  IssuedSession session;
};

struct Identity {
  SessionRecord session;
  AccountRecord account;
};

struct SessionList {
  std::vector<SessionRecord> sessions;
  std::string current_session_id;
};

class AccountManager {
 public:
  AccountManager(const AccountConfig* config, const PasswordPolicy* policy,
                 const PasswordHasher* hasher, AccountStore* accounts, SessionManager* sessions,
                 MeterStore* meter, LimitStore* limits)
      : config_(config),
        policy_(policy),
        hasher_(hasher),
        accounts_(accounts),
        sessions_(sessions),
        meter_(meter),
        limits_(limits) {}

  // INVALID_ARGUMENT (email, password policy, display name, role),
  // RESOURCE_EXHAUSTED (registrations per address per day), UNAVAILABLE.
  absl::StatusOr<SignedIn> Register(const RegisterInput& in, absl::Time deadline);
  // UNAUTHENTICATED "email or password is incorrect" for an unknown email
  // and a wrong password alike; RESOURCE_EXHAUSTED with a retry delay when
  // too many failures for the email or the address; INVALID_ARGUMENT for a
  // malformed email; UNAVAILABLE.
  absl::StatusOr<SignedIn> Login(const LoginInput& in, absl::Time deadline);
  // OK also for unknown or ended sessions.
  absl::Status Logout(absl::string_view token, absl::Time deadline);
  // UNAUTHENTICATED also for guest sessions.
  absl::StatusOr<AccountRecord> GetAccount(absl::string_view token, absl::Time deadline);
  // The number of other sessions ended. UNAUTHENTICATED, PERMISSION_DENIED
  // (current password wrong), INVALID_ARGUMENT (new password), ABORTED
  // (changed concurrently; nothing done). The change itself is one script
  // (AccountStore::ReplacePasswordAndRevokeOthers); what follows it only
  // deletes records that are already invalid.
  absl::StatusOr<int> ChangePassword(absl::string_view token, absl::string_view current,
                                     absl::string_view replacement, absl::Time deadline);
  // Queues verification mail for the caller's account (see the proto).
  // UNAUTHENTICATED, FAILED_PRECONDITION (already verified),
  // RESOURCE_EXHAUSTED, UNAVAILABLE.
  absl::Status RequestEmailVerification(absl::string_view token, absl::Time deadline);
  // INVALID_ARGUMENT (malformed), NOT_FOUND (unknown, expired or used),
  // UNAVAILABLE. Never logs the token.
  absl::Status VerifyEmail(absl::string_view token, absl::Time deadline);
  // Where verification mail goes; without one, tokens are still stored but
  // nothing is mailed. Set before serving; must outlive the manager.
  void set_mail_outbox(MailOutbox* outbox) { mail_ = outbox; }

  // Newest first.
  absl::StatusOr<SessionList> ListSessions(absl::string_view token, absl::Time deadline);
  // NOT_FOUND when `session_id` is not a live session of the caller.
  absl::Status RevokeSession(absl::string_view token, absl::string_view session_id,
                             absl::Time deadline);
  // For other services: the session and its account (guest or not).
  absl::StatusOr<Identity> Validate(absl::string_view token, absl::Time deadline);
  // INVALID_ARGUMENT (no address), RESOURCE_EXHAUSTED (cap per address per day).
  absl::StatusOr<IssuedSession> CreateGuest(const ClientInfo& client, absl::Time deadline);
  // PERMISSION_DENIED unless the caller has ROLE_ADMIN; NOT_FOUND;
  // INVALID_ARGUMENT. PLAN_UNSPECIFIED and empty roles leave them unchanged.
  absl::StatusOr<AccountRecord> SetPlan(absl::string_view token, const std::string& account_id,
                                        Plan plan, const std::vector<Role>& roles,
                                        absl::Time deadline);

 private:
  // Counts one event in a daily per-address bucket; RESOURCE_EXHAUSTED when
  // over `cap`.
  absl::Status CountPerAddress(absl::string_view kind, const std::string& address, int64_t cap,
                               absl::string_view what, absl::Time now, absl::Time deadline);
  // Copies the guest's views of this month into `account_id` (a set union,
  // so repeating it after a crash neither loses nor double counts) and ends
  // the guest session. An unknown or non-guest token is ignored.
  absl::Status CarryOverGuest(absl::string_view guest_token, const std::string& account_id,
                              absl::Time now, absl::Time deadline);
  absl::StatusOr<Identity> RequireAccount(absl::string_view token, absl::Time deadline);
  // To the owner of the email: a new single-use verification link (token
  // hash stored first, then the mail queued). To an account that does not
  // own its email: a notice to the owner instead, with nothing that could
  // verify the account.
  absl::Status QueueVerificationMail(const AccountRecord& account, bool owns_email,
                                     absl::Time deadline);

  const AccountConfig* config_;
  const PasswordPolicy* policy_;
  const PasswordHasher* hasher_;
  AccountStore* accounts_;
  SessionManager* sessions_;
  MeterStore* meter_;
  LimitStore* limits_;
  MailOutbox* mail_ = nullptr;
};

// Trims and checks a display name: 1..100 characters, no control characters.
absl::StatusOr<std::string> NormalizeDisplayName(absl::string_view raw);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_MANAGER_H_
