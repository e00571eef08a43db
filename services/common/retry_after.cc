#include "services/common/retry_after.h"

#include <cmath>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace openencoder::common {

absl::Status ResourceExhaustedRetryAfter(absl::string_view what, absl::Duration retry_after) {
  // Round up: "try again in 0 seconds" would invite an immediate retry.
  const int64_t seconds =
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(retry_after))));
  return WithRetryAfter(
      absl::ResourceExhaustedError(absl::StrCat(what, "; try again in ", seconds, " seconds")),
      retry_after);
}

absl::Status WithRetryAfter(absl::Status status, absl::Duration retry_after) {
  status.SetPayload(kRetryAfterPayload,
                    absl::Cord(std::to_string(absl::ToInt64Milliseconds(retry_after))));
  return status;
}

absl::Status BusyError(absl::string_view service) {
  return WithRetryAfter(absl::ResourceExhaustedError(
                            absl::StrCat("the ", service, " service is busy; retry in a moment")),
                        kBusyRetryAfter);
}

std::optional<absl::Duration> RetryAfterOf(const absl::Status& status) {
  auto payload = status.GetPayload(kRetryAfterPayload);
  int64_t ms = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &ms)) return std::nullopt;
  return absl::Milliseconds(ms);
}

}  // namespace openencoder::common
