#include "services/account/account_metrics.h"

#include <string>

#include "services/common/metrics.h"

namespace openencoder::account {
namespace {

std::string PlanLabel(Plan plan) {
  switch (plan) {
    case Plan::PLAN_GUEST:
      return "guest";
    case Plan::PLAN_FREE:
      return "free";
    case Plan::PLAN_PRO:
      return "pro";
    case Plan::PLAN_ENTERPRISE:
      return "enterprise";
    default:
      return "unspecified";
  }
}

void Throttled(const char* what) {
  static auto& throttled = common::Counters(
      "oe_account_throttled_total", "Attempts refused by a rate limit, by what was attempted");
  throttled.Add({{"what", what}}).Increment();
}

}  // namespace

void RecordViewDecision(const absl::StatusOr<ViewDecision>& decision) {
  static auto& views = common::Counters(
      "oe_account_views_total", "Metered code-page views by plan and outcome (ConsumeView)");
  if (!decision.ok()) {
    views.Add({{"plan", "none"}, {"outcome", "error"}}).Increment();
    return;
  }
  const char* outcome = !decision->allowed         ? "denied"
                        : decision->already_viewed ? "re_view"
                                                   : "allowed";
  views.Add({{"plan", PlanLabel(decision->quota.plan)}, {"outcome", outcome}}).Increment();
}

void RecordGuestSession(const absl::Status& status) {
  static auto& guests =
      common::Counters("oe_account_guest_sessions_total", "Guest sessions asked for, by outcome");
  const bool refused = absl::IsResourceExhausted(status);
  if (refused) Throttled("guest_session");
  guests.Add({{"outcome", status.ok() ? "created" : refused ? "refused" : "error"}}).Increment();
}

void RecordLogin(const absl::Status& status) {
  static auto& logins = common::Counters("oe_account_logins_total", "Sign-ins by outcome");
  const char* outcome = "error";
  if (status.ok()) {
    outcome = "success";
  } else if (absl::IsUnauthenticated(status)) {
    outcome = "bad_credentials";
  } else if (absl::IsResourceExhausted(status)) {
    outcome = "throttled";
    Throttled("login");
  } else if (absl::IsInvalidArgument(status)) {
    outcome = "invalid";
  }
  logins.Add({{"outcome", outcome}}).Increment();
}

}  // namespace openencoder::account
