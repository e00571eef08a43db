// Who is calling: the jobs service asks the account service (ValidateSession)
// and works with the answer as a plain Caller value, so that the logic never
// sees gRPC and unit tests can use a table of tokens.
#ifndef OPENENCODER_SERVICES_JOBS_IDENTITY_CLIENT_H_
#define OPENENCODER_SERVICES_JOBS_IDENTITY_CLIENT_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::jobs {

enum class Role { kCoder, kEmployer, kAdmin };

// A signed-in account (guests are not callers: they get UNAUTHENTICATED).
struct Caller {
  std::string account_id;
  absl::flat_hash_set<Role> roles;

  bool Has(Role role) const { return roles.contains(role); }
};

class IdentityClient {
 public:
  virtual ~IdentityClient() = default;

  // The account behind `session_token`.
  // Errors: UNAUTHENTICATED (empty, unknown, expired or guest session),
  // UNAVAILABLE (the account service did not answer in time).
  // Thread-safe.
  virtual absl::StatusOr<Caller> Validate(absl::string_view session_token) = 0;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_IDENTITY_CLIENT_H_
