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

// The port each service listens on by default, for the addresses the other
// services call it at unless told otherwise (their *_config.h): one
// statement per service instead of one per caller. Each main.cc passes the
// same number to InitServerProcess as a literal, because the deploy manifest
// check (tests/deploy/manifest_check.py) reads the listen port from there;
// keep the two equal. Deployments set OE_<SERVICE>_LISTEN and
// OE_<SERVICE>_ADDR instead; the defaults serve one machine (scripts/run).
inline constexpr int kCataloguePort = 50051;
inline constexpr int kSearchPort = 50052;
inline constexpr int kAccountPort = 50053;
inline constexpr int kJobsPort = 50054;
inline constexpr int kAssistantPort = 50055;

// "127.0.0.1:<port>": the default address of a service on this machine.
std::string LocalAddress(int port);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_SETTINGS_H_
