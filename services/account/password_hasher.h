// Password hashing with argon2id (libsodium crypto_pwhash_str,
// crypto_pwhash_ALG_ARGON2ID13). Hashes are self-describing strings
// ("$argon2id$v=19$m=...,t=...,p=1$..."), so raising the cost later only
// needs NeedsRehash on the next successful login.
//
// Each Hash/Verify takes tens of milliseconds and `memlimit_bytes` of memory:
// call it from a worker pool, never from a gRPC callback thread.
#ifndef OPENENCODER_SERVICES_ACCOUNT_PASSWORD_HASHER_H_
#define OPENENCODER_SERVICES_ACCOUNT_PASSWORD_HASHER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::account {

struct HashCost {
  // OWASP's minimum for argon2id is m=19 MiB, t=2, p=1 (libsodium uses p=1).
  uint64_t opslimit = 2;
  size_t memlimit_bytes = size_t{19} << 20;
};

class PasswordHasher {
 public:
  // INVALID_ARGUMENT if the cost is below OWASP's minimum and
  // `allow_weak_for_tests` is false; INTERNAL if libsodium cannot start.
  static absl::StatusOr<PasswordHasher> Create(HashCost cost, bool allow_weak_for_tests = false);

  // The encoded hash. INTERNAL when out of memory.
  absl::StatusOr<std::string> Hash(absl::string_view password) const;

  // True iff `encoded` is a valid hash of `password`. Takes about as long for
  // a wrong password as for a right one.
  bool Verify(absl::string_view encoded, absl::string_view password) const;

  // Runs one verification against a hash of a random password with this
  // cost, so that a login for an unknown email costs the same time as one for
  // a known email. Always false.
  bool VerifyDummy(absl::string_view password) const;

  // True when `encoded` was made with other parameters than this hasher's.
  bool NeedsRehash(absl::string_view encoded) const;

  const HashCost& cost() const { return cost_; }

 private:
  PasswordHasher(HashCost cost, std::string dummy_hash)
      : cost_(cost), dummy_hash_(std::move(dummy_hash)) {}

  HashCost cost_;
  std::string dummy_hash_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_PASSWORD_HASHER_H_
