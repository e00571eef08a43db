// Email addresses as account keys: one normal form so that "Ann@Example.com "
// and "ann@example.com" are the same account.
#ifndef OPENENCODER_SERVICES_ACCOUNT_EMAIL_H_
#define OPENENCODER_SERVICES_ACCOUNT_EMAIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::account {

// Trims ASCII whitespace, lowercases, and validates the result: at most 254
// characters, exactly one '@', a local part of 1..64 printable ASCII
// characters without spaces, quotes or angle brackets, and a domain of at
// least two dot-separated labels of [a-z0-9-] (no label starting or ending
// with '-'). Internationalised addresses are not accepted yet.
//
// Errors: INVALID_ARGUMENT with a message a person can act on (never echoing
// the address, which is personal data that ends up in logs).
// Pure; thread-safe.
absl::StatusOr<std::string> NormalizeEmail(absl::string_view raw);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_EMAIL_H_
