#include "services/account/account_config.h"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/account/email.h"
#include "services/common/secret_setting.h"
#include "services/common/settings.h"

ABSL_FLAG(std::string, views_per_month, "", "guest/free/pro/enterprise views a month");
ABSL_FLAG(std::string, feature_limits, "", "feature=g/f/p/e,... uses a day");
ABSL_FLAG(std::string, session_idle, "", "session idle timeout");
ABSL_FLAG(std::string, session_lifetime, "", "session absolute lifetime");
ABSL_FLAG(std::string, guest_lifetime, "", "guest session lifetime");
ABSL_FLAG(std::string, guests_per_address_per_day, "", "guest sessions per address per day");
ABSL_FLAG(std::string, registrations_per_address_per_day, "", "registrations per address per day");
ABSL_FLAG(std::string, login_failures_per_email, "", "failed logins per email per window");
ABSL_FLAG(std::string, login_failures_per_address, "", "failed logins per address per window");
ABSL_FLAG(std::string, login_failure_window, "", "failed-login counting window");
ABSL_FLAG(std::string, redis_call_timeout, "", "deadline of each Redis call");
ABSL_FLAG(std::string, request_budget, "", "deadline of calls that carry none");
ABSL_FLAG(std::string, admin_emails, "", "emails that get the admin role at registration");
ABSL_FLAG(std::string, common_passwords, "", "path of the common-password list");
ABSL_FLAG(std::string, argon2_opslimit, "", "argon2id passes (t)");
ABSL_FLAG(std::string, argon2_memlimit_kib, "", "argon2id memory in KiB (m)");
ABSL_FLAG(std::string, hash_workers, "", "threads for password hashing");

namespace openencoder::account {
namespace {

absl::Status Named(absl::string_view name, const absl::Status& s) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": ", s.message()));
}

// A secret, so from the environment or a mounted file only (flags show in `ps`).
absl::Status ReadBillingSettings(AccountConfig::BillingSettings& b) {
  using common::Setting;
  b.webhook_secret = Setting("", "OE_BILLING_WEBHOOK_SECRET", "");
  const std::string file = Setting("", "OE_BILLING_WEBHOOK_SECRET_FILE", "");
  if (b.webhook_secret.empty() && !file.empty()) {
    std::ifstream in(file);
    if (!in) {
      return absl::InvalidArgumentError(
          absl::StrCat("OE_BILLING_WEBHOOK_SECRET_FILE: cannot read ", file));
    }
    std::stringstream text;
    text << in.rdbuf();
    b.webhook_secret = std::string(absl::StripAsciiWhitespace(text.str()));
  }
  if (!b.webhook_secret.empty() && b.webhook_secret.size() < kMinBillingSecretLength) {
    return absl::InvalidArgumentError(absl::StrCat("OE_BILLING_WEBHOOK_SECRET must be at least ",
                                                   kMinBillingSecretLength, " characters"));
  }
  absl::StatusOr<absl::Duration> tolerance =
      common::DurationSetting("", "OE_BILLING_WEBHOOK_TOLERANCE", b.webhook_tolerance);
  if (!tolerance.ok()) return tolerance.status();
  if (*tolerance <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("OE_BILLING_WEBHOOK_TOLERANCE must be positive");
  }
  b.webhook_tolerance = *tolerance;
  absl::StatusOr<long long> per_minute =
      common::IntSetting("", "OE_BILLING_WEBHOOKS_PER_MINUTE", b.webhooks_per_minute);
  if (!per_minute.ok()) return per_minute.status();
  b.webhooks_per_minute = *per_minute;
  b.checkout_url = Setting("", "OE_BILLING_CHECKOUT_URL", "");
  b.portal_url = Setting("", "OE_BILLING_PORTAL_URL", "");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PlanLimits> ParsePlanLimits(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  if (parts.size() != 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not guest/free/pro/enterprise, e.g. 1/6/-1/-1"));
  }
  int64_t v[4];
  for (int i = 0; i < 4; ++i) {
    if (parts[i] == "unlimited") {
      v[i] = PlanLimits::kUnlimited;
    } else if (!absl::SimpleAtoi(parts[i], &v[i]) || v[i] < PlanLimits::kUnlimited) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", parts[i], "\" is not a count, -1 or unlimited"));
    }
  }
  return PlanLimits{v[0], v[1], v[2], v[3]};
}

absl::StatusOr<AccountConfig> AccountConfig::FromSettings() {
  AccountConfig c;
  using common::DurationSetting;
  using common::IntSetting;
  using common::SecretSetting;
  using common::Setting;

  std::string views =
      Setting(absl::GetFlag(FLAGS_views_per_month), "OE_ACCOUNT_VIEWS_PER_MONTH", "");
  if (!views.empty()) {
    absl::StatusOr<PlanLimits> l = ParsePlanLimits(views);
    if (!l.ok()) return Named("OE_ACCOUNT_VIEWS_PER_MONTH", l.status());
    c.views_per_month = *l;
  }
  std::string features =
      Setting(absl::GetFlag(FLAGS_feature_limits), "OE_ACCOUNT_FEATURE_LIMITS", "");
  if (!features.empty()) {
    c.feature_limits_per_day.clear();
    for (absl::string_view item : absl::StrSplit(features, ',', absl::SkipWhitespace())) {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, '=');
      absl::StatusOr<PlanLimits> l = ParsePlanLimits(kv.second);
      if (kv.first.empty() || !l.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("OE_ACCOUNT_FEATURE_LIMITS: \"", item, "\" is not feature=g/f/p/e"));
      }
      c.feature_limits_per_day[std::string(kv.first)] = *l;
    }
  }
  struct DurationItem {
    std::string flag;
    const char* env;
    absl::Duration* target;
  } durations[] = {
      {absl::GetFlag(FLAGS_session_idle), "OE_ACCOUNT_SESSION_IDLE", &c.session_idle},
      {absl::GetFlag(FLAGS_session_lifetime), "OE_ACCOUNT_SESSION_LIFETIME", &c.session_lifetime},
      {absl::GetFlag(FLAGS_guest_lifetime), "OE_ACCOUNT_GUEST_LIFETIME", &c.guest_lifetime},
      {absl::GetFlag(FLAGS_login_failure_window), "OE_ACCOUNT_LOGIN_FAILURE_WINDOW",
       &c.login_failure_window},
      {absl::GetFlag(FLAGS_redis_call_timeout), "OE_ACCOUNT_REDIS_CALL_TIMEOUT",
       &c.redis_call_timeout},
      {absl::GetFlag(FLAGS_request_budget), "OE_ACCOUNT_REQUEST_BUDGET", &c.request_budget},
  };
  for (DurationItem& d : durations) {
    absl::StatusOr<absl::Duration> v = DurationSetting(d.flag, d.env, *d.target);
    if (!v.ok()) return v.status();
    if (*v <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(d.env, " must be positive"));
    }
    *d.target = *v;
  }
  struct IntItem {
    std::string flag;
    const char* env;
    int64_t* target;
  } ints[] = {
      {absl::GetFlag(FLAGS_guests_per_address_per_day), "OE_ACCOUNT_GUESTS_PER_ADDRESS",
       &c.guests_per_address_per_day},
      {absl::GetFlag(FLAGS_registrations_per_address_per_day),
       "OE_ACCOUNT_REGISTRATIONS_PER_ADDRESS", &c.registrations_per_address_per_day},
      {absl::GetFlag(FLAGS_login_failures_per_email), "OE_ACCOUNT_LOGIN_FAILURES_PER_EMAIL",
       &c.login_failures_per_email},
      {absl::GetFlag(FLAGS_login_failures_per_address), "OE_ACCOUNT_LOGIN_FAILURES_PER_ADDRESS",
       &c.login_failures_per_address},
      {"", "OE_ACCOUNT_GUESTS_PER_DEVICE", &c.guests_per_device_per_day},
      {"", "OE_ACCOUNT_REGISTRATIONS_PER_DEVICE", &c.registrations_per_device_per_day},
      {"", "OE_ACCOUNT_LOGIN_FAILURES_PER_EMAIL_ALL_NETWORKS",
       &c.login_failures_per_email_all_networks},
      {"", "OE_ACCOUNT_RESETS_PER_EMAIL_PER_DAY", &c.resets_per_email_per_day},
      {"", "OE_ACCOUNT_RESETS_PER_ADDRESS_PER_DAY", &c.resets_per_address_per_day},
  };
  for (IntItem& i : ints) {
    absl::StatusOr<long long> v = IntSetting(i.flag, i.env, *i.target);
    if (!v.ok()) return v.status();
    *i.target = *v;
  }
  c.smtp_url = Setting("", "OE_SMTP_URL", "");
  c.mail_from = Setting("", "OE_ACCOUNT_MAIL_FROM", c.mail_from);
  c.verify_url_prefix = Setting("", "OE_ACCOUNT_VERIFY_URL", c.verify_url_prefix);
  c.reset_url_prefix = Setting("", "OE_ACCOUNT_RESET_URL", c.reset_url_prefix);
  c.operator_token = Setting("", "OE_ACCOUNT_OPERATOR_TOKEN", "");
  c.jobs_address = Setting("", "OE_JOBS_ADDR", c.jobs_address);
  c.assistant_address = Setting("", "OE_ASSISTANT_ADDR", c.assistant_address);
  for (auto [env, target] : {std::pair{"OE_ACCOUNT_ERASURE_TIMEOUT", &c.erasure_call_timeout},
                             std::pair{"OE_ACCOUNT_RESET_TTL", &c.reset_ttl}}) {
    absl::StatusOr<absl::Duration> d = DurationSetting("", env, *target);
    if (!d.ok()) return d.status();
    if (*d <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(env, " must be positive"));
    }
    *target = *d;
  }
  // 32 bytes as 64 hex digits, from the environment or a mounted Secret
  // (OE_ACCOUNT_MAIL_KEY_FILE); every replica needs the same one.
  absl::StatusOr<std::string> mail_key_setting = SecretSetting("OE_ACCOUNT_MAIL_KEY", 64);
  if (!mail_key_setting.ok()) return mail_key_setting.status();
  const std::string mail_key = *std::move(mail_key_setting);
  if (!mail_key.empty()) {
    std::string raw(32, '\0');
    size_t len = 0;
    if (mail_key.size() != 64 ||
        sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), mail_key.data(),
                       mail_key.size(), nullptr, &len, nullptr) != 0 ||
        len != 32) {
      return absl::InvalidArgumentError(
          "OE_ACCOUNT_MAIL_KEY must be 64 hex characters (32 random bytes, the same on every "
          "replica: `openssl rand -hex 32`)");
    }
    c.mail_key = raw;
  }
  absl::StatusOr<absl::Duration> verify_ttl =
      DurationSetting("", "OE_ACCOUNT_VERIFY_TTL", c.verification_ttl);
  if (!verify_ttl.ok()) return verify_ttl.status();
  if (*verify_ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("OE_ACCOUNT_VERIFY_TTL must be positive");
  }
  c.verification_ttl = *verify_ttl;
  absl::StatusOr<long long> verify_requests =
      IntSetting("", "OE_ACCOUNT_VERIFY_REQUESTS_PER_DAY", c.verification_requests_per_day);
  if (!verify_requests.ok()) return verify_requests.status();
  c.verification_requests_per_day = *verify_requests;
  absl::StatusOr<long long> ops =
      IntSetting(absl::GetFlag(FLAGS_argon2_opslimit), "OE_ARGON2_OPSLIMIT", c.hash_cost.opslimit);
  if (!ops.ok()) return ops.status();
  absl::StatusOr<long long> mem =
      IntSetting(absl::GetFlag(FLAGS_argon2_memlimit_kib), "OE_ARGON2_MEMLIMIT_KIB",
                 c.hash_cost.memlimit_bytes >> 10);
  if (!mem.ok()) return mem.status();
  c.hash_cost.opslimit = static_cast<uint64_t>(*ops);
  c.hash_cost.memlimit_bytes = static_cast<size_t>(*mem) << 10;
  const long long cores = std::max(1u, std::thread::hardware_concurrency());
  absl::StatusOr<long long> workers =
      IntSetting(absl::GetFlag(FLAGS_hash_workers), "OE_ACCOUNT_HASH_WORKERS", cores);
  if (!workers.ok()) return workers.status();
  c.hash_workers = static_cast<int>(std::max(1LL, *workers));
  absl::StatusOr<size_t> max_queued = common::MaxQueuedSetting("account");
  if (!max_queued.ok()) return max_queued.status();
  c.max_queued = *max_queued;

  for (absl::string_view raw :
       absl::StrSplit(Setting(absl::GetFlag(FLAGS_admin_emails), "OE_ADMIN_EMAILS", ""), ',',
                      absl::SkipWhitespace())) {
    absl::StatusOr<std::string> email = NormalizeEmail(raw);
    if (!email.ok()) return Named("OE_ADMIN_EMAILS", email.status());
    c.admin_emails.push_back(*email);
  }
  c.common_passwords_path = Setting(absl::GetFlag(FLAGS_common_passwords), "OE_COMMON_PASSWORDS",
                                    c.common_passwords_path);
  if (absl::Status s = ReadBillingSettings(c.billing); !s.ok()) return s;
  return c;
}

}  // namespace openencoder::account
