#include "services/account/password_hasher.h"

#include <sodium.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace openencoder::account {
namespace {

constexpr HashCost kOwaspMinimum{};

std::string RandomPassword() {
  unsigned char bytes[24];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

absl::StatusOr<std::string> HashWith(const HashCost& cost, absl::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit,
                            cost.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::InternalError("password hashing ran out of memory");
  }
  return std::string(out);
}

}  // namespace

absl::StatusOr<PasswordHasher> PasswordHasher::Create(HashCost cost, bool allow_weak_for_tests) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to start");
  if (!allow_weak_for_tests && (cost.opslimit < kOwaspMinimum.opslimit ||
                                cost.memlimit_bytes < kOwaspMinimum.memlimit_bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("argon2id cost below OWASP's minimum (t>=2, m>=19 MiB): t=", cost.opslimit,
                     " m=", cost.memlimit_bytes >> 10, " KiB"));
  }
  if (cost.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      cost.memlimit_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN) {
    return absl::InvalidArgumentError("argon2id cost below libsodium's minimum");
  }
  absl::StatusOr<std::string> dummy = HashWith(cost, RandomPassword());
  if (!dummy.ok()) return dummy.status();
  return PasswordHasher(cost, *std::move(dummy));
}

absl::StatusOr<std::string> PasswordHasher::Hash(absl::string_view password) const {
  return HashWith(cost_, password);
}

bool PasswordHasher::Verify(absl::string_view encoded, absl::string_view password) const {
  // crypto_pwhash_str_verify needs a NUL-terminated string.
  const std::string hash(encoded);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::VerifyDummy(absl::string_view password) const {
  Verify(dummy_hash_, password);
  return false;
}

bool PasswordHasher::NeedsRehash(absl::string_view encoded) const {
  const std::string hash(encoded);
  // Returns 1 for other parameters and -1 for a string of another algorithm;
  // both mean "hash again".
  return crypto_pwhash_str_needs_rehash(hash.c_str(), cost_.opslimit, cost_.memlimit_bytes) != 0;
}

}  // namespace openencoder::account
