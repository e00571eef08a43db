#include "services/account/account_manager.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/account/email.h"
#include "services/account/retry_after.h"
#include "services/account/session_tokens.h"
#include "services/account/time_windows.h"
#include "services/common/log.h"

namespace openencoder::account {
namespace {

constexpr char kBadCredentials[] = "email or password is incorrect";
constexpr int kMaxDisplayName = 100;

std::string AddressBucket(absl::string_view address) {
  return address.empty() ? std::string("-") : std::string(address.substr(0, 64));
}

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

absl::Status AccountManager::CountPerAddress(absl::string_view kind, const std::string& address,
                                             int64_t cap, absl::string_view what, absl::Time now,
                                             absl::Time deadline) {
  const Window day = DayWindow(now);
  absl::StatusOr<CounterState> n = limits_->Increment(
      absl::StrCat(kind, ":", AddressBucket(address), ":", day.label), day.end - now, deadline);
  if (!n.ok()) return n.status();
  if (n->count > cap) return ResourceExhaustedRetryAfter(what, day.end - now);
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
  if (absl::Status s =
          CountPerAddress("reg", in.client.address, config_->registrations_per_address_per_day,
                          "too many registrations from this address today", now, deadline);
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
  if (*claimed) {
    const bool admin = std::find(config_->admin_emails.begin(), config_->admin_emails.end(),
                                 *email) != config_->admin_emails.end();
    if (admin) {
      account.roles.push_back(Role::ROLE_ADMIN);
      if (absl::Status s =
              accounts_->SetPlanAndRoles(account.id, std::nullopt, account.roles, deadline);
          !s.ok()) {
        return s;
      }
    }
  } else {
    // Same answer as for a new email; the account is not attached to the
    // address, so nobody can log in to it with the email; the owner was
    // told by mail above.
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
  const std::string email_bucket = absl::StrCat("login:e:", EmailHash(*email));
  const std::string address_bucket = absl::StrCat("login:a:", AddressBucket(in.client.address));
  absl::StatusOr<CounterState> by_email = limits_->Get(email_bucket, deadline);
  if (!by_email.ok()) return by_email.status();
  if (by_email->count >= config_->login_failures_per_email) {
    return ResourceExhaustedRetryAfter("too many failed sign-in attempts for this account",
                                       by_email->resets_in);
  }
  absl::StatusOr<CounterState> by_address = limits_->Get(address_bucket, deadline);
  if (!by_address.ok()) return by_address.status();
  if (by_address->count >= config_->login_failures_per_address) {
    return ResourceExhaustedRetryAfter("too many failed sign-in attempts from this address",
                                       by_address->resets_in);
  }

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
  if (!verified) {
    absl::StatusOr<CounterState> e =
        limits_->Increment(email_bucket, config_->login_failure_window, deadline);
    if (!e.ok()) return e.status();
    absl::StatusOr<CounterState> a =
        limits_->Increment(address_bucket, config_->login_failure_window, deadline);
    if (!a.ok()) return a.status();
    return absl::UnauthenticatedError(kBadCredentials);
  }
  // A success forgives earlier failures for the account (not for the address).
  if (absl::Status s = limits_->Reset(email_bucket, deadline); !s.ok()) return s;
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
  if (!hasher_->Verify(id->account.password_hash, current)) {
    return absl::PermissionDeniedError("the current password is incorrect");
  }
  absl::StatusOr<std::string> hash = hasher_->Hash(replacement);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<std::vector<std::string>> revoked = accounts_->ReplacePasswordAndRevokeOthers(
      id->account.id, id->account.password_hash, *hash, id->session.session_id, deadline);
  if (!revoked.ok()) return revoked.status();
  // Housekeeping only: the new epoch already refuses these sessions, so a
  // crash or a Redis error here leaves records that expire on their own.
  int ended = 0;
  for (const std::string& token_hash : *revoked) {
    SessionRecord s;
    s.token_hash = token_hash;
    s.account_id = id->account.id;
    (void)sessions_->store()->Delete(s, deadline);
    ++ended;
  }
  return ended;
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
  return absl::OkStatus();
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
  if (absl::Status s = CountPerAddress("guest", client.address, config_->guests_per_address_per_day,
                                       "too many guest sessions from this address today; "
                                       "register for a free account",
                                       now, deadline);
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
