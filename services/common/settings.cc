#include "services/common/settings.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace openencoder::common {

std::string Setting(absl::string_view flag_value, const char* env_name,
                    absl::string_view fallback) {
  if (!flag_value.empty()) return std::string(flag_value);
  if (env_name != nullptr) {
    const char* env = std::getenv(env_name);
    if (env != nullptr && *env != '\0') return env;
  }
  return std::string(fallback);
}

absl::StatusOr<absl::Duration> DurationSetting(absl::string_view flag_value, const char* env_name,
                                               absl::Duration fallback) {
  std::string text = Setting(flag_value, env_name, "");
  if (text.empty()) return fallback;
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(env_name, ": \"", text, "\" is not a duration such as 250ms or 5s"));
  }
  return d;
}

absl::StatusOr<long long> IntSetting(absl::string_view flag_value, const char* env_name,
                                     long long fallback) {
  std::string text = Setting(flag_value, env_name, "");
  if (text.empty()) return fallback;
  long long v = 0;
  if (!absl::SimpleAtoi(text, &v) || v < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(env_name, ": \"", text, "\" is not a non-negative whole number"));
  }
  return v;
}

std::string LocalAddress(int port) { return absl::StrCat("127.0.0.1:", port); }

}  // namespace openencoder::common
