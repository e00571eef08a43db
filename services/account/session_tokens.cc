#include "services/account/session_tokens.h"

#include <sodium.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace openencoder::account {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

std::string Blake2bHex(absl::string_view domain, absl::string_view text) {
  unsigned char digest[32];
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, sizeof digest);
  // A domain prefix keeps token hashes and email hashes apart.
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(domain.data()),
                            domain.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(text.data()),
                            text.size());
  crypto_generichash_final(&state, digest, sizeof digest);
  return Hex(digest, sizeof digest);
}

}  // namespace

std::string NewSessionToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  const size_t len =
      sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(len - 1);  // drop the NUL
  return out;
}

std::string TokenHash(absl::string_view token) { return Blake2bHex("oe-session\n", token); }

std::string EmailHash(absl::string_view normalized_email) {
  return Blake2bHex("oe-email\n", normalized_email);
}

std::string NewRandomId() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  return Hex(bytes, sizeof bytes);
}

bool LooksLikeSessionToken(absl::string_view token) {
  if (token.size() != 43) return false;
  for (char c : token) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string NewVerificationToken(absl::string_view account_id) {
  return absl::StrCat(account_id, ".", NewSessionToken());
}

absl::StatusOr<std::string> VerificationTokenAccount(absl::string_view token) {
  constexpr size_t kIdLength = 32;
  if (token.size() != kIdLength + 1 + 43 || token[kIdLength] != '.') {
    return absl::InvalidArgumentError("the verification token is malformed");
  }
  for (char c : token.substr(0, kIdLength)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return absl::InvalidArgumentError("the verification token is malformed");
    }
  }
  if (!LooksLikeSessionToken(token.substr(kIdLength + 1))) {
    return absl::InvalidArgumentError("the verification token is malformed");
  }
  return std::string(token.substr(0, kIdLength));
}

std::string VerificationTokenHash(absl::string_view token) {
  return Blake2bHex("oe-verify-email\n", token);
}

std::string ResetTokenHash(absl::string_view token) {
  return Blake2bHex("oe-reset-password\n", token);
}

}  // namespace openencoder::account
