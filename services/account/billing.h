// The paid plan, bought the way payment providers sell subscriptions: the
// browser is sent to the provider's hosted checkout (a Stripe Payment Link,
// OE_BILLING_CHECKOUT_URL, with our account id as client_reference_id);
// the provider then tells us what happened through signed webhooks, which
// set the plan here. Cancelling happens in the provider's customer portal
// (OE_BILLING_PORTAL_URL); a subscription set to cancel at the period end
// keeps Pro until the provider's customer.subscription.deleted at that end.
//
// Redis: the account's billing hash (keys::Billing, in the account's slot),
// the customer -> account index and one key per applied event id (kept 30
// days, longer than the provider retries). An event is claimed before it is
// applied and released if applying fails, so a provider retry applies it
// then, and a repeat of an applied event changes nothing.
//
// Thread-safe; everything passed in must outlive the object.
#ifndef OPENENCODER_SERVICES_ACCOUNT_BILLING_H_
#define OPENENCODER_SERVICES_ACCOUNT_BILLING_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/account/account_config.h"
#include "services/account/account_manager.h"
#include "services/account/limit_store.h"
#include "services/account/stripe_webhook.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

struct BillingView {
  Plan plan = Plan::PLAN_UNSPECIFIED;
  std::string status = "none";
  bool cancel_at_period_end = false;
  std::optional<absl::Time> current_period_end;
  std::optional<absl::Time> payment_failed_at;
  bool provider_configured = false;
  std::string manage_url;
};

struct WebhookOutcome {
  std::string event_id;
  bool duplicate = false;
  bool ignored = false;
};

class Billing {
 public:
  Billing(const AccountConfig* config, AccountManager* accounts, LimitStore* limits,
          redis::RedisClient* redis)
      : config_(config), accounts_(accounts), limits_(limits), redis_(redis) {}

  // UNAUTHENTICATED (no account session), UNAVAILABLE.
  absl::StatusOr<BillingView> Get(absl::string_view token, absl::Time deadline);
  // The hosted checkout URL for the caller. FAILED_PRECONDITION (no
  // provider configured; already paid), UNAUTHENTICATED, UNAVAILABLE.
  absl::StatusOr<std::string> StartCheckout(absl::string_view token, absl::Time deadline);
  // See HandleBillingWebhook in the proto for the effects and errors.
  absl::StatusOr<WebhookOutcome> HandleWebhook(absl::string_view payload,
                                               absl::string_view signature_header,
                                               absl::string_view client_address, absl::Time now,
                                               absl::Time deadline);
  // Forgets the provider's customer id (account deletion).
  void ForgetCustomer(const std::string& customer, absl::Time deadline);

 private:
  // Applies one verified event; `ignored` when it names no account of ours
  // or is older than the state it would overwrite.
  absl::StatusOr<bool> Apply(const BillingEvent& e, absl::Time deadline);
  absl::StatusOr<std::string> AccountOfCustomer(const std::string& customer, absl::Time deadline);

  const AccountConfig* config_;
  AccountManager* accounts_;
  LimitStore* limits_;
  redis::RedisClient* redis_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_BILLING_H_
