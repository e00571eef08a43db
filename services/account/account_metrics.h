// The account service's domain metrics, counted at the RPC edge from what
// the logic decided (the per-RPC counts come from common's interceptor):
//
//   oe_account_views_total{plan,outcome}   outcome: allowed | re_view | denied | error
//   oe_account_guest_sessions_total{outcome}          created | refused | error
//   oe_account_logins_total{outcome}   success | bad_credentials | throttled | invalid | error
//   oe_account_throttled_total{what}   login | guest_session | feature: attempts refused
//                                      by a per-address, per-account or per-day limit
//
// `plan` is guest | free | pro | enterprise | unspecified (| none on errors).
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_METRICS_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_METRICS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/account/metering.h"

namespace openencoder::account {

void RecordViewDecision(const absl::StatusOr<ViewDecision>& decision);
void RecordGuestSession(const absl::Status& status);
void RecordLogin(const absl::Status& status);
// A CheckRate answer: counted as throttled when not allowed.
void RecordRateCheck(const absl::StatusOr<RateDecision>& decision);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_METRICS_H_
