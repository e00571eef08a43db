// Settings come from flags first, then the environment, then a default, so
// the same binary runs from the command line, the local runner, compose and
// Kubernetes (which prefer environment variables).
#ifndef OPENENCODER_SERVICES_COMMON_SETTINGS_H_
#define OPENENCODER_SERVICES_COMMON_SETTINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::common {

// `flag_value` if non-empty, else the environment variable `env_name` if set
// and non-empty, else `fallback`.
std::string Setting(absl::string_view flag_value, const char* env_name, absl::string_view fallback);

// Same, for a duration written as absl::ParseDuration accepts ("250ms", "5s").
// INVALID_ARGUMENT names the setting when the text does not parse.
absl::StatusOr<absl::Duration> DurationSetting(absl::string_view flag_value, const char* env_name,
                                               absl::Duration fallback);

// Same, for a non-negative integer.
absl::StatusOr<long long> IntSetting(absl::string_view flag_value, const char* env_name,
                                     long long fallback);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_SETTINGS_H_
