// RESOURCE_EXHAUSTED statuses that say when to retry, in the message (for
// people) and as a payload (for the RPC edge, which copies it into the
// "retry-after-ms" trailer the gateway turns into Retry-After).
#ifndef OPENENCODER_SERVICES_COMMON_RETRY_AFTER_H_
#define OPENENCODER_SERVICES_COMMON_RETRY_AFTER_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::common {

inline constexpr char kRetryAfterPayload[] = "type.openencoder.dev/retry-after-ms";

// "<what>; try again in N seconds", with the delay attached as a payload.
absl::Status ResourceExhaustedRetryAfter(absl::string_view what, absl::Duration retry_after);

// `status` with `retry_after` attached, its message kept (for messages that
// say "retry in a moment" rather than a number).
absl::Status WithRetryAfter(absl::Status status, absl::Duration retry_after);

// The delay attached by ResourceExhaustedRetryAfter, if any.
std::optional<absl::Duration> RetryAfterOf(const absl::Status& status);

// How long a caller refused by a full queue is told to wait: a queue drains
// in well under a second when the overload is a burst.
inline constexpr absl::Duration kBusyRetryAfter = absl::Seconds(1);

// RESOURCE_EXHAUSTED for a full queue of `service` ("the account service is
// busy; retry in a moment"), with kBusyRetryAfter.
absl::Status BusyError(absl::string_view service);

// The trailer the delay travels in, in whole milliseconds.
inline constexpr char kRetryAfterTrailer[] = "retry-after-ms";

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_RETRY_AFTER_H_
