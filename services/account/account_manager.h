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
#include "absl/types/span.h"
#include "services/account/account_config.h"
#include "services/account/account_store.h"
#include "services/account/erasure_outbox.h"
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
  // Mails a reset link to the owner of `email` (see the proto). OK whether
  // or not the email is registered; INVALID_ARGUMENT (malformed email),
  // RESOURCE_EXHAUSTED (per network), UNAVAILABLE.
  absl::Status RequestPasswordReset(absl::string_view email, const ClientInfo& client,
                                    absl::Time deadline);
  // The number of sessions ended. INVALID_ARGUMENT (malformed token, new
  // password), NOT_FOUND (unknown, expired, used or voided), UNAVAILABLE.
  absl::StatusOr<int> ResetPassword(absl::string_view token, absl::string_view new_password,
                                    absl::Time deadline);
  // Operator calls by email (see the proto): PERMISSION_DENIED (operator
  // token), INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION (a power that
  // needs a verified email). Roles are read, changed and written back: two
  // operators changing one account's roles at once may lose one change.
  absl::StatusOr<AccountRecord> OperatorGet(absl::string_view operator_token,
                                            absl::string_view email, absl::Time deadline);
  absl::StatusOr<AccountRecord> OperatorSetRole(absl::string_view operator_token,
                                                absl::string_view email, Role role, bool grant,
                                                absl::Time deadline);
  absl::StatusOr<AccountRecord> OperatorVerifyEmail(absl::string_view operator_token,
                                                    absl::string_view email, absl::Time deadline);
  absl::StatusOr<AccountRecord> OperatorSetPlan(absl::string_view operator_token,
                                                absl::string_view email, Plan plan,
                                                absl::Time deadline);
  // Queues verification mail for the caller's account (see the proto).
  // UNAUTHENTICATED, FAILED_PRECONDITION (already verified),
  // RESOURCE_EXHAUSTED, UNAVAILABLE.
  absl::Status RequestEmailVerification(absl::string_view token, absl::Time deadline);
  // INVALID_ARGUMENT (malformed), NOT_FOUND (unknown, expired or used),
  // UNAVAILABLE. Never logs the token.
  absl::Status VerifyEmail(absl::string_view token, absl::Time deadline);
  // Where verification mail goes; without one, tokens are still stored but
  // nothing is mailed. Set before serving; must outlive the manager.
  void set_mail_outbox(common::mail::MailQueue* outbox) { mail_ = outbox; }
  // Where DeleteAccount queues the erasure owed by jobs and the assistant
  // (erasure_outbox.h). Without one, DeleteAccount answers
  // FAILED_PRECONDITION and deletes nothing: a deletion that left the
  // person's applications and questions behind would break its promise.
  // Set before serving; must outlive the manager.
  void set_erasure_queue(ErasureQueue* queue) { erasure_ = queue; }

  // Deletes the caller's account once `password` is confirmed (throttled
  // like ChangePassword); see AccountStore::Delete for what goes. First
  // queues, durably, the erasure of the person's data in jobs and the
  // assistant (an error there deletes nothing). Returns
  // the provider's customer id of the account ("" when none), for the
  // caller to forget too. UNAUTHENTICATED, PERMISSION_DENIED (password),
  // FAILED_PRECONDITION (a running subscription), RESOURCE_EXHAUSTED,
  // UNAVAILABLE.
  absl::StatusOr<std::string> DeleteAccount(absl::string_view token, absl::string_view password,
                                            absl::Time deadline);

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
  // Counts one event in daily buckets for the client's network and (when
  // known) device; RESOURCE_EXHAUSTED when either is over its cap.
  absl::Status CountPerDay(absl::string_view kind, const ClientInfo& client, int64_t network_cap,
                           int64_t device_cap, absl::string_view what, absl::Time now,
                           absl::Time deadline);
  struct Throttle {
    std::string bucket;
    int64_t limit;
    const char* what;
  };
  // Counts one attempt in each bucket (window: login_failure_window) and
  // refuses with RESOURCE_EXHAUSTED + retry-after once one is over its
  // limit: the count and the check are one step, so concurrent attempts
  // cannot exceed it.
  absl::Status CountAttempt(absl::Span<const Throttle> throttles, absl::Time deadline);
  // The account's password is `password`, checked at most
  // login_failures_per_email times per window (RESOURCE_EXHAUSTED
  // `too_many`; PERMISSION_DENIED `wrong`). ChangePassword and DeleteAccount.
  absl::Status ConfirmPassword(const AccountRecord& account, absl::string_view password,
                               absl::string_view too_many, absl::string_view wrong,
                               absl::Time deadline);
  // Deletes session records after their index entries are gone (housekeeping).
  int DeleteSessionRecords(const std::string& account_id,
                           const std::vector<std::string>& token_hashes, absl::Time deadline);
  // Adds ROLE_ADMIN to a verified account whose email is in OE_ADMIN_EMAILS.
  absl::Status GrantConfiguredAdmin(const std::string& account_id, absl::Time deadline);
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
  common::mail::MailQueue* mail_ = nullptr;
  ErasureQueue* erasure_ = nullptr;
};

// Trims and checks a display name: 1..100 characters, no control characters.
absl::StatusOr<std::string> NormalizeDisplayName(absl::string_view raw);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_MANAGER_H_
