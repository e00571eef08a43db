// The account service's domain metrics, counted at the RPC edge from what
// the logic decided (the per-RPC counts come from common's interceptor):
//
//   oe_account_views_total{plan,outcome}   outcome: allowed | re_view | denied | error
//   oe_account_guest_sessions_total{outcome}          created | refused | error
//   oe_account_logins_total{outcome}   success | bad_credentials | throttled | invalid | error
//   oe_account_throttled_total{what}   login | guest_session: attempts refused by a
//                                      per-address or per-account limit
//
// `plan` is guest | free | pro | enterprise | unspecified (| none on errors).
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_METRICS_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_METRICS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/account/metering.h"

namespace openencoder::account {

void RecordViewDecision(const absl::StatusOr<ViewDecision>& decision);
void RecordGuestSession(const absl::Status& status);
void RecordLogin(const absl::Status& status);

// `fn` (a handler body: absl::Time deadline -> absl::Status) that also hands
// its status to `record`, so that a handler is counted by wrapping it,
// without a line inside it:
//   auto body = [...](absl::Time deadline) { ...; return status; };
//   return RunOn(pool, context, Recorded(&RecordGuestSession, std::move(body)));
template <typename Record, typename Fn>
auto Recorded(Record record, Fn fn) {
  return [record = std::move(record), fn = std::move(fn)](absl::Time deadline) mutable {
    absl::Status status = fn(deadline);
    record(status);
    return status;
  };
}

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_METRICS_H_
