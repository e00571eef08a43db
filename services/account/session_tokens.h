// Session tokens and the ids derived from them. A token is 256 random bits
// (libsodium randombytes_buf), base64url without padding; the server stores
// only TokenHash(token). Tokens must never be logged.
#ifndef OPENENCODER_SERVICES_ACCOUNT_SESSION_TOKENS_H_
#define OPENENCODER_SERVICES_ACCOUNT_SESSION_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::account {

// 32 random bytes as 43 base64url characters. Requires sodium_init().
std::string NewSessionToken();

// BLAKE2b-256 (crypto_generichash) of `token`, as 64 hex characters. Used as
// the storage key, so a leaked database does not yield usable tokens.
std::string TokenHash(absl::string_view token);

// 128 random bits as 32 hex characters: account ids, public session ids.
std::string NewRandomId();

// BLAKE2b-256 hex of a normalised email: the email index key holds no
// address in clear.
std::string EmailHash(absl::string_view normalized_email);

// Cheap shape check before any lookup: 43 base64url characters.
bool LooksLikeSessionToken(absl::string_view token);

// An email verification token: "<account id>.<256 random bits, base64url>"
// (32 hex + '.' + 43 characters, URL-safe). The account id names the hash
// tag the token's hash is stored under; the random part is the secret.
std::string NewVerificationToken(absl::string_view account_id);

// The account id of a well-formed verification token; INVALID_ARGUMENT for
// anything else (checked before any lookup).
absl::StatusOr<std::string> VerificationTokenAccount(absl::string_view token);

// BLAKE2b-256 hex of a verification token, in its own hash domain (a
// verification token can never be presented as a session token hash).
std::string VerificationTokenHash(absl::string_view token);

// BLAKE2b-256 hex of a password-reset token (same shape as a verification
// token, made by NewVerificationToken), in a hash domain of its own: a
// verification link can never reset a password.
std::string ResetTokenHash(absl::string_view token);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_SESSION_TOKENS_H_
