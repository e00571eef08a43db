#include "services/account/account_manager.h"

#include <sodium.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/account/client_network.h"
#include "services/account/email.h"
#include "services/account/retry_after.h"
#include "services/account/session_tokens.h"
#include "services/account/time_windows.h"
#include "services/common/log.h"

namespace openencoder::account {
namespace {

constexpr char kBadCredentials[] = "email or password is incorrect";
constexpr int kMaxDisplayName = 100;

// Roles that act for others or see their data: they need an address the
// account proved it reads (CaseConsultant answers, job-posting approval,
// plans and roles of others).
bool NeedsVerifiedEmail(Role r) { return r == Role::ROLE_ADMIN || r == Role::ROLE_CONSULTANT; }

}  // namespace

absl::StatusOr<std::string> NormalizeDisplayName(absl::string_view raw) {
  absl::string_view name = absl::StripAsciiWhitespace(raw);
  if (name.empty()) return absl::InvalidArgumentError("display name is required");
  int characters = 0;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) {
      return absl::InvalidArgumentError("display name may not contain control characters");
    }
    if ((c & 0xC0) != 0x80) ++characters;
  }
  if (characters > kMaxDisplayName) {
    return absl::InvalidArgumentError(
        absl::StrCat("display name must have at most ", kMaxDisplayName, " characters"));
  }
  return std::string(name);
}

absl::Status AccountManager::CountPerDay(absl::string_view kind, const ClientInfo& client,
                                         int64_t network_cap, int64_t device_cap,
                                         absl::string_view what, absl::Time now,
                                         absl::Time deadline) {
  const Window day = DayWindow(now);
  absl::StatusOr<CounterState> n =
      limits_->Increment(absl::StrCat(kind, ":n:", ClientNetwork(client.address), ":", day.label),
                         day.end - now, deadline);
  if (!n.ok()) return n.status();
  if (n->count > network_cap) {
    return ResourceExhaustedRetryAfter(absl::StrCat(what, " from this network today"),
                                       day.end - now);
  }
  if (client.device_id.empty()) return absl::OkStatus();
  absl::StatusOr<CounterState> d =
      limits_->Increment(absl::StrCat(kind, ":d:", TokenHash(client.device_id), ":", day.label),
                         day.end - now, deadline);
  if (!d.ok()) return d.status();
  if (d->count > device_cap) {
    return ResourceExhaustedRetryAfter(absl::StrCat(what, " from this browser today"),
                                       day.end - now);
  }
  return absl::OkStatus();
}

absl::Status AccountManager::CountAttempt(absl::Span<const Throttle> throttles,
                                          absl::Time deadline) {
  for (const Throttle& t : throttles) {
    absl::StatusOr<CounterState> n =
        limits_->Increment(t.bucket, config_->login_failure_window, deadline);
    if (!n.ok()) return n.status();
    if (n->count > t.limit) return ResourceExhaustedRetryAfter(t.what, n->resets_in);
  }
  return absl::OkStatus();
}

absl::Status AccountManager::CarryOverGuest(absl::string_view guest_token,
                                            const std::string& account_id, absl::Time now,
                                            absl::Time deadline) {
  if (guest_token.empty()) return absl::OkStatus();
  absl::StatusOr<SessionRecord> guest = sessions_->Resolve(guest_token, now, deadline);
  if (absl::IsUnauthenticated(guest.status())) return absl::OkStatus();
  if (!guest.ok()) return guest.status();
  if (!guest->guest) return absl::OkStatus();
  const Window month = MonthWindow(now);
  absl::StatusOr<std::vector<std::string>> codes =
      meter_->ViewedCodes(guest->account_id, month, deadline);
  if (!codes.ok()) return codes.status();
  absl::Status added = meter_->AddViewedCodes(account_id, month, *codes, deadline);
  if (!added.ok()) return added;
  // The guest's views now count on the account; ending the guest session
  // keeps the browser from spending the guest allowance a second time.
  return sessions_->store()->Delete(*guest, deadline);
}

absl::StatusOr<SignedIn> AccountManager::Register(const RegisterInput& in, absl::Time deadline) {
  absl::StatusOr<std::string> email = NormalizeEmail(in.email);
  if (!email.ok()) return email.status();
  if (absl::Status s = policy_->Check(in.password); !s.ok()) return s;
  absl::StatusOr<std::string> name = NormalizeDisplayName(in.display_name);
  if (!name.ok()) return name.status();
  if (in.role != Role::ROLE_CODER && in.role != Role::ROLE_EMPLOYER) {
    return absl::InvalidArgumentError("role must be ROLE_CODER or ROLE_EMPLOYER");
  }
  const absl::Time now = absl::Now();
  // Per network and per device, whether or not the address is taken, so
  // that the answer cannot tell the two apart.
  if (absl::Status s = CountPerDay("reg", in.client, config_->registrations_per_address_per_day,
                                   config_->registrations_per_device_per_day,
                                   "too many registrations", now, deadline);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> hash = hasher_->Hash(in.password);
  if (!hash.ok()) return hash.status();

  AccountRecord account;
  account.id = NewRandomId();
  account.email = *email;
  account.display_name = *std::move(name);
  account.plan = Plan::PLAN_FREE;
  account.roles = {in.role};
  account.created_at = now;
  account.password_hash = *std::move(hash);
  // Views first, record second, email last: a crash at any point leaves at
  // worst an orphan that expires or is never reachable, never a half
  // account reachable by email.
  if (absl::Status s = CarryOverGuest(in.guest_session_token, account.id, now, deadline); !s.ok()) {
    return s;
  }
  if (absl::Status s = accounts_->Create(account, absl::ZeroDuration(), deadline); !s.ok()) {
    return s;
  }
  absl::StatusOr<bool> claimed = accounts_->ClaimEmail(EmailHash(*email), account.id, deadline);
  if (!claimed.ok()) return claimed.status();
  // A failed mail does not fail the registration (the account exists; the
  // user can ask for another link), so it is logged, never returned.
  if (absl::Status m = QueueVerificationMail(account, *claimed, deadline); !m.ok()) {
    common::LogWarning("verification mail not queued",
                       {{"account_id", account.id}, {"error", m.ToString()}});
  }
  // An address in OE_ADMIN_EMAILS becomes an admin only when its owner
  // opens the verification link (VerifyEmail), never here.
  if (!*claimed) {
    // Same answer as for a new email; the account is not attached to the
    // address, so nobody can log in to it with the email, and it can never
    // be verified, so it keeps the guest's allowance; the owner was told by
    // mail above.
    common::LogInfo("registration for an email that is already registered",
                    {{"account_id", account.id}});
  }
  absl::StatusOr<IssuedSession> session =
      sessions_->Issue(account.id, false, in.client, now, deadline);
  if (!session.ok()) return session.status();
  return SignedIn{std::move(account), *std::move(session)};
}

absl::StatusOr<SignedIn> AccountManager::Login(const LoginInput& in, absl::Time deadline) {
  absl::StatusOr<std::string> email = NormalizeEmail(in.email);
  if (!email.ok()) return email.status();
  const absl::Time now = absl::Now();
  // Every attempt is counted before the password is checked, in the same
  // step as the check (INCR, then compare): concurrent attempts cannot slip
  // past the limit between a read and a write. The per-email limit counts
  // per network too, so strangers elsewhere cannot lock the owner out with
  // a few wrong passwords; a much larger limit over all networks still
  // stops a distributed guess.
  const std::string network = ClientNetwork(in.client.address);
  const std::string email_hash = EmailHash(*email);
  const std::string email_bucket = absl::StrCat("login:e:", email_hash, ":", network);
  const Throttle throttles[] = {
      {email_bucket, config_->login_failures_per_email,
       "too many failed sign-in attempts for this account from this network"},
      {absl::StrCat("login:e:", email_hash), config_->login_failures_per_email_all_networks,
       "too many failed sign-in attempts for this account"},
      {absl::StrCat("login:a:", network), config_->login_failures_per_address,
       "too many failed sign-in attempts from this network"}};
  if (absl::Status s = CountAttempt(throttles, deadline); !s.ok()) return s;

  absl::StatusOr<std::string> id = accounts_->FindByEmail(EmailHash(*email), deadline);
  if (!id.ok() && !absl::IsNotFound(id.status())) return id.status();
  // The same store reads for a known and an unknown email, so that only the
  // (equal) hash verification dominates the time either way.
  absl::StatusOr<AccountRecord> account =
      accounts_->Get(id.ok() ? *id : std::string(32, '0'), deadline);
  if (!account.ok() && !absl::IsNotFound(account.status())) return account.status();
  const bool verified = account.ok() && !account->guest
                            ? hasher_->Verify(account->password_hash, in.password)
                            : hasher_->VerifyDummy(in.password);
  if (!verified) return absl::UnauthenticatedError(kBadCredentials);
  // A success forgives the account's attempts from this network, and is
  // not an attempt the other limits should count (an office signing in
  // every morning); earlier failures stay counted there.
  if (absl::Status s = limits_->Reset(email_bucket, deadline); !s.ok()) return s;
  for (size_t i = 1; i < std::size(throttles); ++i) {
    if (absl::Status s = limits_->Decrement(throttles[i].bucket, deadline); !s.ok()) return s;
  }
  if (hasher_->NeedsRehash(account->password_hash)) {
    absl::StatusOr<std::string> rehashed = hasher_->Hash(in.password);
    if (rehashed.ok() && accounts_->SetPasswordHash(account->id, *rehashed, deadline).ok()) {
      account->password_hash = *std::move(rehashed);
    }  // else: the old hash still works; the next login tries again
  }
  if (absl::Status s = CarryOverGuest(in.guest_session_token, account->id, now, deadline);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<IssuedSession> session =
      sessions_->Issue(account->id, false, in.client, now, deadline, account->session_epoch);
  if (!session.ok()) return session.status();
  return SignedIn{*std::move(account), *std::move(session)};
}

absl::Status AccountManager::Logout(absl::string_view token, absl::Time deadline) {
  absl::StatusOr<SessionRecord> s = sessions_->Resolve(token, absl::Now(), deadline);
  if (absl::IsUnauthenticated(s.status())) return absl::OkStatus();
  if (!s.ok()) return s.status();
  return sessions_->store()->Delete(*s, deadline);
}

absl::StatusOr<Identity> AccountManager::Validate(absl::string_view token, absl::Time deadline) {
  absl::StatusOr<SessionRecord> s = sessions_->Resolve(token, absl::Now(), deadline);
  if (!s.ok()) return s.status();
  absl::StatusOr<AccountRecord> a = accounts_->Get(s->account_id, deadline);
  if (absl::IsNotFound(a.status())) {
    return absl::UnauthenticatedError("the account of this session no longer exists");
  }
  if (!a.ok()) return a.status();
  if (!a->email_verified) {
    // Stored roles may predate this rule (or be set by an operator before
    // the owner verified): they take effect only once the email is verified.
    a->roles.erase(std::remove_if(a->roles.begin(), a->roles.end(), NeedsVerifiedEmail),
                   a->roles.end());
  }
  return Identity{*std::move(s), *std::move(a)};
}

absl::StatusOr<Identity> AccountManager::RequireAccount(absl::string_view token,
                                                        absl::Time deadline) {
  absl::StatusOr<Identity> id = Validate(token, deadline);
  if (id.ok() && id->account.guest) {
    return absl::UnauthenticatedError("a guest session has no account; sign in or register");
  }
  return id;
}

absl::StatusOr<AccountRecord> AccountManager::GetAccount(absl::string_view token,
                                                         absl::Time deadline) {
  absl::StatusOr<Identity> id = RequireAccount(token, deadline);
  if (!id.ok()) return id.status();
  return std::move(id->account);
}

absl::StatusOr<int> AccountManager::ChangePassword(absl::string_view token,
                                                   absl::string_view current,
                                                   absl::string_view replacement,
                                                   absl::Time deadline) {
  absl::StatusOr<Identity> id = RequireAccount(token, deadline);
  if (!id.ok()) return id.status();
  if (absl::Status s = policy_->Check(replacement); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("new ", s.message()));
  }
  if (absl::Status s =
          ConfirmPassword(id->account, current, "too many attempts to change the password",
                          "the current password is incorrect", deadline);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> hash = hasher_->Hash(replacement);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<std::vector<std::string>> revoked = accounts_->ReplacePasswordAndRevokeOthers(
      id->account.id, id->account.password_hash, *hash, id->session.session_id, deadline);
  if (!revoked.ok()) return revoked.status();
  return DeleteSessionRecords(id->account.id, *revoked, deadline);
}

absl::Status AccountManager::ConfirmPassword(const AccountRecord& account,
                                             absl::string_view password, absl::string_view too_many,
                                             absl::string_view wrong, absl::Time deadline) {
  // Counted before the check, like logins: a stolen session cannot be used
  // to guess the password at argon2id speed.
  const std::string what(too_many);
  const Throttle throttle[] = {
      {absl::StrCat("chpw:", account.id), config_->login_failures_per_email, what.c_str()}};
  if (absl::Status s = CountAttempt(throttle, deadline); !s.ok()) return s;
  if (!hasher_->Verify(account.password_hash, password)) {
    return absl::PermissionDeniedError(wrong);
  }
  (void)limits_->Reset(throttle[0].bucket, deadline);  // forgiven; failing this only throttles
  return absl::OkStatus();
}

absl::StatusOr<std::string> AccountManager::DeleteAccount(absl::string_view token,
                                                          absl::string_view password,
                                                          absl::Time deadline) {
  absl::StatusOr<Identity> id = RequireAccount(token, deadline);
  if (!id.ok()) return id.status();
  if (absl::Status s =
          ConfirmPassword(id->account, password, "too many wrong passwords; try again later",
                          "the password is incorrect", deadline);
      !s.ok()) {
    return s;
  }
  if (erasure_ == nullptr) {
    return absl::FailedPreconditionError(
        "account deletion is not available: the erasure of job and assistant data is not set up");
  }
  // Queued before anything is deleted, so that no crash can leave a deleted
  // account whose data elsewhere is never erased. Only a verified address
  // is the person's own: mailed questions from an unverified one may be
  // someone else's.
  ErasureRequest erasure{id->account.id, id->account.email_verified ? id->account.email : "", ""};
  if (absl::Status s = erasure_->Enqueue(erasure, deadline); !s.ok()) return s;
  std::vector<std::string> features;
  for (const auto& [feature, limits] : config_->feature_limits_per_day) features.push_back(feature);
  absl::StatusOr<DeletedAccount> deleted = accounts_->Delete(
      id->account.id, EmailHash(id->account.email), features, absl::Now(), deadline);
  if (!deleted.ok()) return deleted.status();
  DeleteSessionRecords(id->account.id, deleted->session_token_hashes, deadline);
  return deleted->billing_customer;
}

int AccountManager::DeleteSessionRecords(const std::string& account_id,
                                         const std::vector<std::string>& token_hashes,
                                         absl::Time deadline) {
  // Housekeeping only: the new epoch already refuses these sessions, so a
  // crash or a Redis error here leaves records that expire on their own.
  for (const std::string& token_hash : token_hashes) {
    SessionRecord s;
    s.token_hash = token_hash;
    s.account_id = account_id;
    (void)sessions_->store()->Delete(s, deadline);
  }
  return static_cast<int>(token_hashes.size());
}

absl::Status AccountManager::RequestPasswordReset(absl::string_view raw_email,
                                                  const ClientInfo& client, absl::Time deadline) {
  absl::StatusOr<std::string> email = NormalizeEmail(raw_email);
  if (!email.ok()) return email.status();
  const absl::Time now = absl::Now();
  const Window day = DayWindow(now);
  // Per network first: the only limit the caller may see, as it says
  // nothing about the address.
  absl::StatusOr<CounterState> n =
      limits_->Increment(absl::StrCat("reset:n:", ClientNetwork(client.address), ":", day.label),
                         day.end - now, deadline);
  if (!n.ok()) return n.status();
  if (n->count > config_->resets_per_address_per_day) {
    return ResourceExhaustedRetryAfter("too many password resets from this network today",
                                       day.end - now);
  }
  // The same reads and writes whether or not the email is registered; what
  // differs (a token and a mail) happens after the answer is decided.
  const std::string email_hash = EmailHash(*email);
  absl::StatusOr<CounterState> e = limits_->Increment(
      absl::StrCat("reset:e:", email_hash, ":", day.label), day.end - now, deadline);
  if (!e.ok()) return e.status();
  absl::StatusOr<std::string> id = accounts_->FindByEmail(email_hash, deadline);
  if (!id.ok() && !absl::IsNotFound(id.status())) return id.status();
  absl::StatusOr<AccountRecord> account =
      accounts_->Get(id.ok() ? *id : std::string(32, '0'), deadline);
  if (!account.ok() && !absl::IsNotFound(account.status())) return account.status();
  if (e->count > config_->resets_per_email_per_day || !account.ok() || account->guest) {
    return absl::OkStatus();  // silently nothing: the answer must not differ
  }
  const std::string token = NewVerificationToken(account->id);
  if (absl::Status s = accounts_->PutPasswordReset(*account, ResetTokenHash(token),
                                                   config_->reset_ttl, deadline);
      !s.ok()) {
    return s;
  }
  if (mail_ == nullptr) return absl::OkStatus();
  QueuedMail mail;
  mail.to = account->email;
  mail.subject = "Reset your OpenEncoder password";
  mail.body = absl::StrCat(
      "Hello ", account->display_name,
      ",\n\nsomeone (we hope you) asked to reset the password of your OpenEncoder account. "
      "To choose a new password, open this link:\n\n",
      config_->reset_url_prefix, token, "\n\nThe link works once and expires in ",
      absl::FormatDuration(config_->reset_ttl),
      ". Resetting signs out every session of the account. If you did not ask, ignore this "
      "message; your password stays as it is.\n");
  absl::StatusOr<std::string> queued = mail_->Enqueue(mail, deadline);
  if (!queued.ok()) {
    common::LogWarning("password reset mail not queued",
                       {{"account_id", account->id}, {"error", queued.status().ToString()}});
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AccountManager::ResetPassword(absl::string_view token,
                                                  absl::string_view new_password,
                                                  absl::Time deadline) {
  if (token.empty()) return absl::InvalidArgumentError("token is required");
  absl::StatusOr<std::string> account_id = VerificationTokenAccount(token);
  if (!account_id.ok()) return absl::InvalidArgumentError("the reset token is malformed");
  if (absl::Status s = policy_->Check(new_password); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("new ", s.message()));
  }
  absl::StatusOr<std::string> hash = hasher_->Hash(new_password);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<std::vector<std::string>> revoked =
      accounts_->ConsumePasswordReset(*account_id, ResetTokenHash(token), *hash, deadline);
  if (absl::IsNotFound(revoked.status())) {
    return absl::NotFoundError(
        "this reset link is unknown, has expired or was already used; ask for a new one");
  }
  if (!revoked.ok()) return revoked.status();
  // The reset proved the mailbox: an address in OE_ADMIN_EMAILS is now
  // verified like any other.
  if (absl::Status s = GrantConfiguredAdmin(*account_id, deadline); !s.ok()) {
    common::LogWarning("admin role not granted after reset",
                       {{"account_id", *account_id}, {"error", s.ToString()}});
  }
  return DeleteSessionRecords(*account_id, *revoked, deadline);
}

absl::StatusOr<AccountRecord> AccountManager::OperatorGet(absl::string_view operator_token,
                                                          absl::string_view raw_email,
                                                          absl::Time deadline) {
  if (config_->operator_token.empty() || operator_token.size() != config_->operator_token.size() ||
      sodium_memcmp(operator_token.data(), config_->operator_token.data(), operator_token.size()) !=
          0) {
    return absl::PermissionDeniedError(
        "operator calls need the server's OE_ACCOUNT_OPERATOR_TOKEN (set it on the account "
        "service and pass it to oe-admin)");
  }
  absl::StatusOr<std::string> email = NormalizeEmail(raw_email);
  if (!email.ok()) return email.status();
  absl::StatusOr<std::string> id = accounts_->FindByEmail(EmailHash(*email), deadline);
  if (absl::IsNotFound(id.status())) return absl::NotFoundError("no account owns this email");
  if (!id.ok()) return id.status();
  absl::StatusOr<AccountRecord> a = accounts_->Get(*id, deadline);
  if (absl::IsNotFound(a.status())) return absl::NotFoundError("no account owns this email");
  return a;
}

absl::StatusOr<AccountRecord> AccountManager::OperatorSetRole(absl::string_view operator_token,
                                                              absl::string_view email, Role role,
                                                              bool grant, absl::Time deadline) {
  absl::StatusOr<AccountRecord> a = OperatorGet(operator_token, email, deadline);
  if (!a.ok()) return a.status();
  if (role == Role::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
    return absl::InvalidArgumentError("role must be coder, employer, consultant or admin");
  }
  std::vector<Role> roles = a->roles;
  roles.erase(std::remove(roles.begin(), roles.end(), role), roles.end());
  if (grant) {
    if (NeedsVerifiedEmail(role) && !a->email_verified) {
      return absl::FailedPreconditionError(
          "this role needs a verified email; the owner must open the verification link first");
    }
    roles.push_back(role);
  }
  if (absl::Status s = accounts_->SetPlanAndRoles(a->id, std::nullopt, roles, deadline); !s.ok()) {
    return s;
  }
  a->roles = std::move(roles);
  return a;
}

absl::StatusOr<AccountRecord> AccountManager::OperatorVerifyEmail(absl::string_view operator_token,
                                                                  absl::string_view email,
                                                                  absl::Time deadline) {
  absl::StatusOr<AccountRecord> a = OperatorGet(operator_token, email, deadline);
  if (!a.ok()) return a.status();
  if (!a->email_verified) {
    if (absl::Status s = accounts_->MarkVerified(a->id, deadline); !s.ok()) return s;
    a->email_verified = true;
  }
  if (absl::Status s = GrantConfiguredAdmin(a->id, deadline); !s.ok()) return s;
  return accounts_->Get(a->id, deadline);
}

absl::StatusOr<AccountRecord> AccountManager::OperatorSetPlan(absl::string_view operator_token,
                                                              absl::string_view email, Plan plan,
                                                              absl::Time deadline) {
  absl::StatusOr<AccountRecord> a = OperatorGet(operator_token, email, deadline);
  if (!a.ok()) return a.status();
  if (plan != Plan::PLAN_FREE && plan != Plan::PLAN_PRO && plan != Plan::PLAN_ENTERPRISE) {
    return absl::InvalidArgumentError("plan must be free, pro or enterprise");
  }
  if (absl::Status s = accounts_->SetPlanAndRoles(a->id, plan, std::nullopt, deadline); !s.ok()) {
    return s;
  }
  a->plan = plan;
  return a;
}

absl::Status AccountManager::QueueVerificationMail(const AccountRecord& account, bool owns_email,
                                                   absl::Time deadline) {
  QueuedMail mail;
  mail.to = account.email;
  if (!owns_email) {
    mail.subject = "Someone tried to register with your email address";
    mail.body = absl::StrCat(
        "Hello,\n\nsomeone tried to create an OpenEncoder account with this email address, "
        "which already has an account. Nothing was changed. If this was you, sign in instead "
        "(or reset your password).\n\nIf it was not you, you can ignore this message.\n");
  } else {
    const std::string token = NewVerificationToken(account.id);
    if (absl::Status s =
            accounts_->PutVerification(account.id, VerificationTokenHash(token), account.email,
                                       config_->verification_ttl, deadline);
        !s.ok()) {
      return s;
    }
    mail.subject = "Confirm your email address for OpenEncoder";
    mail.body =
        absl::StrCat("Hello ", account.display_name,
                     ",\n\nplease confirm your email address by opening this link:\n\n",
                     config_->verify_url_prefix, token, "\n\nThe link works once and expires in ",
                     absl::FormatDuration(config_->verification_ttl),
                     ". If you did not create an account, ignore this message.\n");
  }
  if (mail_ == nullptr) return absl::OkStatus();
  absl::StatusOr<std::string> queued = mail_->Enqueue(mail, deadline);
  return queued.status();
}

absl::Status AccountManager::RequestEmailVerification(absl::string_view token,
                                                      absl::Time deadline) {
  absl::StatusOr<Identity> id = RequireAccount(token, deadline);
  if (!id.ok()) return id.status();
  if (id->account.email_verified) {
    return absl::FailedPreconditionError("the email address is already verified");
  }
  const absl::Time now = absl::Now();
  const Window day = DayWindow(now);
  absl::StatusOr<CounterState> n = limits_->Increment(
      absl::StrCat("verify:", id->account.id, ":", day.label), day.end - now, deadline);
  if (!n.ok()) return n.status();
  if (n->count > config_->verification_requests_per_day) {
    return ResourceExhaustedRetryAfter("too many verification mails today", day.end - now);
  }
  absl::StatusOr<std::string> owner =
      accounts_->FindByEmail(EmailHash(id->account.email), deadline);
  if (!owner.ok() && !absl::IsNotFound(owner.status())) return owner.status();
  return QueueVerificationMail(id->account, owner.ok() && *owner == id->account.id, deadline);
}

absl::Status AccountManager::VerifyEmail(absl::string_view token, absl::Time deadline) {
  if (token.empty()) return absl::InvalidArgumentError("token is required");
  absl::StatusOr<std::string> account_id = VerificationTokenAccount(token);
  if (!account_id.ok()) return account_id.status();
  absl::StatusOr<bool> used =
      accounts_->ConsumeVerification(*account_id, VerificationTokenHash(token), deadline);
  if (!used.ok()) return used.status();
  if (!*used) {
    return absl::NotFoundError(
        "this verification link is unknown, has expired or was already used; "
        "ask for a new one from your account page");
  }
  return GrantConfiguredAdmin(*account_id, deadline);
}

absl::Status AccountManager::GrantConfiguredAdmin(const std::string& account_id,
                                                  absl::Time deadline) {
  absl::StatusOr<AccountRecord> a = accounts_->Get(account_id, deadline);
  if (!a.ok()) return a.status();
  const bool listed = std::find(config_->admin_emails.begin(), config_->admin_emails.end(),
                                a->email) != config_->admin_emails.end();
  if (!listed || !a->email_verified || a->HasRole(Role::ROLE_ADMIN)) return absl::OkStatus();
  a->roles.push_back(Role::ROLE_ADMIN);
  return accounts_->SetPlanAndRoles(account_id, std::nullopt, a->roles, deadline);
}

absl::StatusOr<SessionList> AccountManager::ListSessions(absl::string_view token,
                                                         absl::Time deadline) {
  absl::StatusOr<Identity> id = RequireAccount(token, deadline);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::vector<SessionRecord>> all =
      sessions_->store()->List(id->account.id, deadline);
  if (!all.ok()) return all.status();
  return SessionList{*std::move(all), id->session.session_id};
}

absl::Status AccountManager::RevokeSession(absl::string_view token, absl::string_view session_id,
                                           absl::Time deadline) {
  if (session_id.empty()) return absl::InvalidArgumentError("session_id is required");
  absl::StatusOr<Identity> id = RequireAccount(token, deadline);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::vector<SessionRecord>> all =
      sessions_->store()->List(id->account.id, deadline);
  if (!all.ok()) return all.status();
  for (const SessionRecord& s : *all) {
    if (s.session_id == session_id) return sessions_->store()->Delete(s, deadline);
  }
  return absl::NotFoundError("no live session with this id belongs to your account");
}

absl::StatusOr<IssuedSession> AccountManager::CreateGuest(const ClientInfo& client,
                                                          absl::Time deadline) {
  if (client.address.empty()) {
    return absl::InvalidArgumentError("client_address is required for guest sessions");
  }
  const absl::Time now = absl::Now();
  if (absl::Status s =
          CountPerDay("guest", client, config_->guests_per_address_per_day,
                      config_->guests_per_device_per_day, "too many guest sessions", now, deadline);
      !s.ok()) {
    return s;
  }
  AccountRecord guest;
  guest.id = NewRandomId();
  guest.guest = true;
  guest.plan = Plan::PLAN_GUEST;
  guest.created_at = now;
  // The record lives a day longer than its session, so a view counted just
  // before the session expires still finds the plan.
  if (absl::Status s =
          accounts_->Create(guest, config_->guest_lifetime + absl::Hours(24), deadline);
      !s.ok()) {
    return s;
  }
  return sessions_->Issue(guest.id, true, client, now, deadline);
}

absl::StatusOr<AccountRecord> AccountManager::SetPlan(absl::string_view token,
                                                      const std::string& account_id, Plan plan,
                                                      const std::vector<Role>& roles,
                                                      absl::Time deadline) {
  absl::StatusOr<Identity> caller = RequireAccount(token, deadline);
  if (!caller.ok()) return caller.status();
  if (!caller->account.HasRole(Role::ROLE_ADMIN)) {
    return absl::PermissionDeniedError("only administrators may change plans and roles");
  }
  if (account_id.empty()) return absl::InvalidArgumentError("account_id is required");
  if (plan == Plan::PLAN_GUEST || !v1::Plan_IsValid(plan)) {
    return absl::InvalidArgumentError(
        "plan must be PLAN_FREE, PLAN_PRO or PLAN_ENTERPRISE (or unspecified to keep it)");
  }
  for (Role r : roles) {
    if (r == Role::ROLE_UNSPECIFIED || !v1::Role_IsValid(r)) {
      return absl::InvalidArgumentError(
          "roles must be ROLE_CODER, ROLE_EMPLOYER, "
          "ROLE_CONSULTANT or ROLE_ADMIN");
    }
  }
  absl::StatusOr<AccountRecord> target = accounts_->Get(account_id, deadline);
  if (absl::IsNotFound(target.status()) || (target.ok() && target->guest)) {
    return absl::NotFoundError("no account with this id");
  }
  if (!target.ok()) return target.status();
  std::optional<Plan> new_plan;
  if (plan != Plan::PLAN_UNSPECIFIED) new_plan = plan;
  std::optional<std::vector<Role>> new_roles;
  if (!roles.empty()) new_roles = roles;
  if (absl::Status s = accounts_->SetPlanAndRoles(account_id, new_plan, new_roles, deadline);
      !s.ok()) {
    return s;
  }
  return accounts_->Get(account_id, deadline);
}

}  // namespace openencoder::account
