// HMAC-SHA256 signatures over "<timestamp>.<body>", hex-encoded: the scheme
// of Stripe's webhooks and of our inbound-mail posts, so the account service's
// billing webhook and the gateway's inbound mail share one implementation.
#ifndef OPENENCODER_SERVICES_COMMON_SIGNED_BODY_H_
#define OPENENCODER_SERVICES_COMMON_SIGNED_BODY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::common {

// hex(HMAC-SHA256(secret, timestamp + "." + body)), lowercase.
std::string SignTimestampedBody(absl::string_view secret, absl::string_view timestamp,
                                absl::string_view body);

// Whether two hex signatures are equal (case-insensitive), in time that does
// not depend on where they differ.
bool SameSignature(absl::string_view given_hex, absl::string_view expected_hex);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_SIGNED_BODY_H_
