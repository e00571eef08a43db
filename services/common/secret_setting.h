// Secrets (keys, HMAC secrets) as settings: from the environment variable
// NAME, or from the file named by NAME_FILE (a Kubernetes Secret or compose
// file mounted read-only), never from a flag (flags show in `ps`). Every
// replica must be given the same value, so deploy files take them from one
// Secret (deploy/README.md).
//
// Example:
//   absl::StatusOr<std::string> secret =
//       common::SecretSetting("OE_INBOUND_MAIL_SECRET", /*min_bytes=*/32);
//   if (!secret.ok()) Fail(secret.status().message());  // refuses to start
//   if (secret->empty()) ...  // unset
#ifndef OPENENCODER_SERVICES_COMMON_SECRET_SETTING_H_
#define OPENENCODER_SERVICES_COMMON_SECRET_SETTING_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace openencoder::common {

// The secret NAME: $NAME, else the contents of the file $NAME_FILE with one
// trailing newline dropped, else "" (unset). INVALID_ARGUMENT, with a message
// that names the setting and says how to make a good one, when both are set,
// the file cannot be read or is empty, or the value is shorter than
// `min_bytes`.
absl::StatusOr<std::string> SecretSetting(const char* name, size_t min_bytes);

// The minimum length of a shared secret (HMAC keys): 32 bytes.
inline constexpr size_t kMinSecretBytes = 32;

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_SECRET_SETTING_H_
