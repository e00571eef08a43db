// Every setting of the account service. FromSettings reads each from its
// flag, else its environment variable, else the default below.
//
//   --views_per_month  OE_ACCOUNT_VIEWS_PER_MONTH  "guest/free/pro/enterprise", default "1/6/-1/-1"
//   --feature_limits   OE_ACCOUNT_FEATURE_LIMITS   "feature=g/f/p/e,...", per UTC day,
//                                                  default "assistant.ask=3/20/-1/-1"
//   --session_idle     OE_ACCOUNT_SESSION_IDLE     default 7d (168h)
//   --session_lifetime OE_ACCOUNT_SESSION_LIFETIME default 30d (720h)
//   --guest_lifetime   OE_ACCOUNT_GUEST_LIFETIME   default 40d (960h); also the guest idle timeout
//   "Address" limits count per network: IPv4 /24, IPv6 /64 (client_network.h).
//   --guests_per_address_per_day        OE_ACCOUNT_GUESTS_PER_ADDRESS         default 250
//                                       (a 50-person office behind one NAT address)
//   --registrations_per_address_per_day OE_ACCOUNT_REGISTRATIONS_PER_ADDRESS  default 20
//   OE_ACCOUNT_GUESTS_PER_DEVICE, OE_ACCOUNT_REGISTRATIONS_PER_DEVICE  per gateway device
//                                       cookie and day, default 3 and 3
//   --login_failures_per_email   OE_ACCOUNT_LOGIN_FAILURES_PER_EMAIL   default 5, per email
//                                and network: strangers elsewhere cannot lock the owner out
//   OE_ACCOUNT_LOGIN_FAILURES_PER_EMAIL_ALL_NETWORKS               default 100, per email
//   --login_failures_per_address OE_ACCOUNT_LOGIN_FAILURES_PER_ADDRESS default 50, per network
//   (every attempt is counted before the password is checked; a success forgives
//   the email's failures from that network; ChangePassword counts per account)
//   --login_failure_window       OE_ACCOUNT_LOGIN_FAILURE_WINDOW       default 15m
//   --redis_call_timeout  OE_ACCOUNT_REDIS_CALL_TIMEOUT  default 250ms (each Redis call)
//   --request_budget      OE_ACCOUNT_REQUEST_BUDGET      default 2s (calls without a deadline)
//   --admin_emails        OE_ADMIN_EMAILS                comma separated; they get ROLE_ADMIN
//                                                        when the owner verifies the email
//   OE_ACCOUNT_OPERATOR_TOKEN   secret for the operator RPCs (scripts/oe-admin); unset:
//                               they answer PERMISSION_DENIED
//   --common_passwords    OE_COMMON_PASSWORDS            default data/account/common_passwords.txt
//   --argon2_opslimit     OE_ARGON2_OPSLIMIT             default 2
//   --argon2_memlimit_kib OE_ARGON2_MEMLIMIT_KIB         default 19456 (19 MiB)
//   --hash_workers        OE_ACCOUNT_HASH_WORKERS        default: hardware threads
//   OE_ACCOUNT_MAX_QUEUED       calls waiting per worker pool (Redis, hashing) before
//                               new ones get RESOURCE_EXHAUSTED; default 256, 0: no bound
// Email verification and mail (environment only, like the assistant's):
//   OE_SMTP_URL                 relay, e.g. smtp://127.0.0.1:2525; unset: mails are only
//                               logged ("not sent: no SMTP configured", never the link)
//   OE_ACCOUNT_MAIL_FROM        default "OpenEncoder <accounts@openencoder.local>"
//   OE_ACCOUNT_MAIL_KEY         64 hex characters: seals queued mail bodies in Redis so
//                               pending mails survive a restart (else a per-process key)
//   OE_ACCOUNT_VERIFY_URL       link prefix the token is appended to, default
//                               http://localhost:8080/verify-email.html?token=
//   OE_ACCOUNT_VERIFY_TTL       default 24h
//   OE_ACCOUNT_VERIFY_REQUESTS_PER_DAY  RequestEmailVerification per account, default 5
//   OE_ACCOUNT_RESET_URL        password-reset link prefix, default
//                               http://localhost:8080/reset-password.html?token=
//   OE_ACCOUNT_RESET_TTL        default 30m
//   OE_ACCOUNT_RESETS_PER_EMAIL_PER_DAY    default 5
//   OE_ACCOUNT_RESETS_PER_ADDRESS_PER_DAY  default 50 (per network)
// Account erasure (erasure_outbox.h): where DeleteAccount's erasures are delivered
//   OE_JOBS_ADDR                the jobs service, default 127.0.0.1:50054
//   OE_ASSISTANT_ADDR           the assistant, default 127.0.0.1:50055
//   OE_ACCOUNT_ERASURE_TIMEOUT  deadline of each EraseAccountData call, default 30s
// Billing (environment only; services/account/billing.h):
//   OE_BILLING_WEBHOOK_SECRET   the provider's webhook signing secret ("whsec_..."), at
//                               least 24 characters; or OE_BILLING_WEBHOOK_SECRET_FILE, a
//                               file holding it. Unset: every webhook is refused
//   OE_BILLING_WEBHOOK_TOLERANCE  accepted age of a signature, default 300s
//   OE_BILLING_WEBHOOKS_PER_MINUTE  webhook posts per client network, default 600
//   OE_BILLING_CHECKOUT_URL     the hosted checkout (a Stripe Payment Link); unset: the
//                               pricing page says online payment is not set up
//   OE_BILLING_PORTAL_URL       the provider's customer portal (manage, cancel); optional
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_CONFIG_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_CONFIG_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/account/account_types.h"
#include "services/account/password_hasher.h"
#include "services/common/settings.h"
#include "services/common/worker_pool.h"

namespace openencoder::account {

struct AccountConfig {
  PlanLimits views_per_month{1, 6, PlanLimits::kUnlimited, PlanLimits::kUnlimited};
  absl::flat_hash_map<std::string, PlanLimits> feature_limits_per_day{
      {"assistant.ask", PlanLimits{3, 20, PlanLimits::kUnlimited, PlanLimits::kUnlimited}}};
  absl::Duration session_idle = absl::Hours(24 * 7);
  absl::Duration session_lifetime = absl::Hours(24 * 30);
  absl::Duration guest_lifetime = absl::Hours(24 * 40);
  // Last-seen updates closer together than this are skipped (see
  // RedisSessionStore): validation stays a read for busy sessions.
  absl::Duration touch_granularity = absl::Minutes(1);
  // Sessions ConsumeView keeps resolved in process, each at most
  // touch_granularity (SessionCache; 0: none). About 200 bytes each.
  size_t meter_session_cache_entries = 65536;
  int64_t guests_per_address_per_day = 250;  // per network
  int64_t registrations_per_address_per_day = 20;
  int64_t guests_per_device_per_day = 3;
  int64_t registrations_per_device_per_day = 3;
  int64_t login_failures_per_email = 5;  // per email and network
  int64_t login_failures_per_email_all_networks = 100;
  int64_t login_failures_per_address = 50;
  absl::Duration login_failure_window = absl::Minutes(15);
  absl::Duration redis_call_timeout = absl::Milliseconds(250);
  absl::Duration request_budget = absl::Seconds(2);
  std::vector<std::string> admin_emails;  // normalised
  std::string common_passwords_path = "data/account/common_passwords.txt";
  HashCost hash_cost;
  int hash_workers = 2;
  size_t max_queued = common::kDefaultMaxQueued;
  std::string smtp_url;  // empty: no SMTP
  std::string mail_from = "OpenEncoder <accounts@openencoder.local>";
  std::string mail_key;  // 32 raw bytes or empty
  std::string verify_url_prefix = "http://localhost:8080/verify-email.html?token=";
  absl::Duration verification_ttl = absl::Hours(24);
  int64_t verification_requests_per_day = 5;
  std::string operator_token;  // empty: operator RPCs refused
  std::string jobs_address = common::LocalAddress(common::kJobsPort);
  std::string assistant_address = common::LocalAddress(common::kAssistantPort);
  absl::Duration erasure_call_timeout = absl::Seconds(30);
  std::string reset_url_prefix = "http://localhost:8080/reset-password.html?token=";
  absl::Duration reset_ttl = absl::Minutes(30);
  int64_t resets_per_email_per_day = 5;
  int64_t resets_per_address_per_day = 50;

  struct BillingSettings {
    std::string webhook_secret;  // empty: webhooks refused
    absl::Duration webhook_tolerance = absl::Seconds(300);
    int64_t webhooks_per_minute = 600;
    std::string checkout_url;  // empty: no provider configured
    std::string portal_url;
  } billing;

  // Reads flags and environment as listed above. INVALID_ARGUMENT names the
  // setting that does not parse.
  static absl::StatusOr<AccountConfig> FromSettings();
};

// "1/6/-1/-1" -> limits; -1 or "unlimited" means no cap.
// Shortest webhook secret accepted at start-up (Stripe's are 38 characters).
inline constexpr size_t kMinBillingSecretLength = 24;

absl::StatusOr<PlanLimits> ParsePlanLimits(absl::string_view text);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_CONFIG_H_
