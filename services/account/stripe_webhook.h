// The payment provider's webhook format, in Stripe's scheme, as pure
// functions (no I/O) so that unit tests pin it down.
//
// Signature: the header `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`
// where each v1 is HMAC-SHA256 over "<t>.<raw body>" keyed with the
// endpoint's signing secret. Several v1 values appear while the provider
// rolls the secret; any one matching is enough. Other schemes (v0) are
// ignored. The timestamp must be within `tolerance` of now either way, so a
// captured post cannot be replayed later; comparisons are constant-time.
#ifndef OPENENCODER_SERVICES_ACCOUNT_STRIPE_WEBHOOK_H_
#define OPENENCODER_SERVICES_ACCOUNT_STRIPE_WEBHOOK_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::account {

// INVALID_ARGUMENT naming what is wrong (no header, no timestamp, stale,
// no matching signature); FAILED_PRECONDITION when `secret` is empty.
absl::Status VerifyStripeSignature(absl::string_view secret, absl::string_view header,
                                   absl::string_view payload, absl::Time now,
                                   absl::Duration tolerance);

// The header a provider would send for `payload` at `t` (tests and tools).
std::string StripeSignatureHeader(absl::string_view secret, absl::Time t,
                                  absl::string_view payload);

// The fields of an event we act on. Missing fields stay empty.
struct BillingEvent {
  std::string id;    // "evt_..."
  std::string type;  // "checkout.session.completed"...
  absl::Time created = absl::UnixEpoch();
  // data.object: a Checkout Session, a Subscription or an Invoice.
  std::string client_reference_id;  // checkout: our account id
  std::string customer;             // "cus_..."
  std::string subscription;         // checkout and invoice: "sub_..."; subscription: its id
  std::string status;               // subscription status
  bool cancel_at_period_end = false;
  std::optional<absl::Time> current_period_end;
};

// INVALID_ARGUMENT when `payload` is not a JSON event with an id and a type.
absl::StatusOr<BillingEvent> ParseBillingEvent(absl::string_view payload);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_STRIPE_WEBHOOK_H_
