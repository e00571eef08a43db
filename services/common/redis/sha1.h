#ifndef OPENENCODER_SERVICES_COMMON_REDIS_SHA1_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_SHA1_H_

// SHA-1 as Redis uses it to name Lua scripts (EVALSHA). Not for security:
// SHA-1 is broken for that; it is only the name Redis gives a script body.

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::redis {

// Lower-case hexadecimal SHA-1 of `data` (40 characters), the same text
// Redis returns from SCRIPT LOAD. Pure; thread-safe.
std::string Sha1Hex(absl::string_view data);

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_SHA1_H_
