// Plain records the account logic and its stores exchange. Plans and roles
// reuse the proto enums so that there is one list of them.
#ifndef OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_TYPES_H_
#define OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "openencoder/account/v1/account_service.pb.h"

namespace openencoder::account {

using Plan = ::openencoder::account::v1::Plan;
using Role = ::openencoder::account::v1::Role;

// Monthly or daily allowance per plan; kUnlimited means no cap.
struct PlanLimits {
  static constexpr int64_t kUnlimited = -1;
  int64_t guest = 0;
  int64_t free = 0;
  int64_t pro = kUnlimited;
  int64_t enterprise = kUnlimited;

  int64_t For(Plan plan) const;
};

struct AccountRecord {
  std::string id;
  bool guest = false;
  std::string email;  // normalised; empty for guests
  std::string display_name;
  Plan plan = Plan::PLAN_UNSPECIFIED;
  std::vector<Role> roles;
  absl::Time created_at;
  std::string password_hash;  // argon2id encoded; empty for guests
  bool email_verified = false;
  // Sessions issued with another epoch are revoked, except the one whose id
  // is `kept_session_id` (the session that changed the password last).
  int64_t session_epoch = 0;
  std::string kept_session_id;

  bool HasRole(Role role) const;
};

struct SessionRecord {
  std::string session_id;  // public
  std::string token_hash;  // storage key; never shown
  std::string account_id;
  bool guest = false;
  absl::Time created_at;
  absl::Time last_seen_at;
  absl::Time expires_at;  // absolute end of life
  absl::Duration idle_timeout;
  std::string client_address;
  std::string user_agent;
  int64_t epoch = 0;  // the account's session_epoch at issue
};

// A session just created: the only moment the token exists in clear.
struct IssuedSession {
  std::string token;
  SessionRecord record;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_ACCOUNT_TYPES_H_
