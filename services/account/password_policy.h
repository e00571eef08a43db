// What a password must satisfy before it is hashed: 8 to 128 characters and
// not one of the common passwords kept in data/account/common_passwords.txt.
#ifndef OPENENCODER_SERVICES_ACCOUNT_PASSWORD_POLICY_H_
#define OPENENCODER_SERVICES_ACCOUNT_PASSWORD_POLICY_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::account {

class PasswordPolicy {
 public:
  static constexpr int kMinCharacters = 8;
  static constexpr int kMaxCharacters = 128;

  // Reads one password per line (lowercase; blank lines and lines starting
  // with '#' are skipped). Errors: NOT_FOUND/INTERNAL naming the path.
  static absl::StatusOr<PasswordPolicy> FromFile(const std::string& path);

  // A policy with the given list (lowercased), for tests.
  explicit PasswordPolicy(absl::flat_hash_set<std::string> common);

  // OK, or INVALID_ARGUMENT saying what to change. Characters are Unicode
  // code points of the UTF-8 text; the comparison with the list ignores case.
  // Thread-safe (const).
  absl::Status Check(absl::string_view password) const;

  size_t common_count() const { return common_.size(); }

 private:
  absl::flat_hash_set<std::string> common_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_PASSWORD_POLICY_H_
