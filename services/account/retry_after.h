// RESOURCE_EXHAUSTED statuses that say when to retry, in the message (for
// people) and as a payload (for the RPC edge, which copies it into the
// "retry-after-ms" trailer).
#ifndef OPENENCODER_SERVICES_ACCOUNT_RETRY_AFTER_H_
#define OPENENCODER_SERVICES_ACCOUNT_RETRY_AFTER_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::account {

inline constexpr char kRetryAfterPayload[] = "type.openencoder.dev/retry-after-ms";

// "<what>; try again in N seconds", with the delay attached as a payload.
absl::Status ResourceExhaustedRetryAfter(absl::string_view what, absl::Duration retry_after);

// The delay attached by ResourceExhaustedRetryAfter, if any.
std::optional<absl::Duration> RetryAfterOf(const absl::Status& status);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_RETRY_AFTER_H_
