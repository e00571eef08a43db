#include "services/common/signed_body.h"

#include <sodium.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace openencoder::common {

std::string SignTimestampedBody(absl::string_view secret, absl::string_view timestamp,
                                absl::string_view body) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  const std::string prefix = absl::StrCat(timestamp, ".");
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(sizeof mac * 2);
  for (unsigned char b : mac) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

bool SameSignature(absl::string_view given_hex, absl::string_view expected_hex) {
  const std::string given = absl::AsciiStrToLower(given_hex);
  return given.size() == expected_hex.size() &&
         sodium_memcmp(given.data(), expected_hex.data(), expected_hex.size()) == 0;
}

}  // namespace openencoder::common
