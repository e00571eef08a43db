#include "services/account/account_types.h"

#include <algorithm>

namespace openencoder::account {

int64_t PlanLimits::For(Plan plan) const {
  switch (plan) {
    case Plan::PLAN_GUEST:
      return guest;
    case Plan::PLAN_FREE:
      return free;
    case Plan::PLAN_PRO:
      return pro;
    case Plan::PLAN_ENTERPRISE:
      return enterprise;
    default:
      return 0;  // an unknown plan gets nothing rather than everything
  }
}

bool AccountRecord::HasRole(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace openencoder::account
