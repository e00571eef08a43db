#include "services/common/secret_setting.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace openencoder::common {
namespace {

const char* NonEmptyEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value != nullptr && *value != '\0' ? value : nullptr;
}

}  // namespace

absl::StatusOr<std::string> SecretSetting(const char* name, size_t min_bytes) {
  const std::string file_setting = absl::StrCat(name, "_FILE");
  const char* inline_value = NonEmptyEnv(name);
  const char* file = NonEmptyEnv(file_setting);
  if (inline_value != nullptr && file != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("both ", name, " and ", file_setting, " are set; set one"));
  }
  std::string value;
  if (inline_value != nullptr) {
    value = inline_value;
  } else if (file != nullptr) {
    std::ifstream in(file, std::ios::binary);
    if (!in.is_open()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_setting, ": cannot read ", file, " (is the Secret mounted?)"));
    }
    value.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (absl::EndsWith(value, "\n")) value.pop_back();
    if (absl::EndsWith(value, "\r")) value.pop_back();
    if (value.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(file_setting, ": ", file, " is empty"));
    }
  } else {
    return std::string();
  }
  if (value.size() < min_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " is ", value.size(), " bytes; it must be at least ", min_bytes,
        " (the same on every replica; make one with `head -c 32 /dev/urandom | base64`)"));
  }
  return value;
}

}  // namespace openencoder::common
