#include "services/common/redis/redis_errors.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace openencoder::redis {
namespace {

struct CodeName {
  absl::string_view name;
  absl::StatusCode code;
};

// Only codes a domain operation may legitimately report. UNAVAILABLE,
// INTERNAL and DEADLINE_EXCEEDED are deliberately absent: those describe the
// infrastructure, and a script claiming them would blur real outages.
constexpr CodeName kDomainCodes[] = {
    {"NOT_FOUND", absl::StatusCode::kNotFound},
    {"ALREADY_EXISTS", absl::StatusCode::kAlreadyExists},
    {"FAILED_PRECONDITION", absl::StatusCode::kFailedPrecondition},
    {"ABORTED", absl::StatusCode::kAborted},
    {"OUT_OF_RANGE", absl::StatusCode::kOutOfRange},
    {"INVALID_ARGUMENT", absl::StatusCode::kInvalidArgument},
    {"PERMISSION_DENIED", absl::StatusCode::kPermissionDenied},
    {"RESOURCE_EXHAUSTED", absl::StatusCode::kResourceExhausted},
    {"UNAUTHENTICATED", absl::StatusCode::kUnauthenticated},
};

constexpr CodeName kRedisCodes[] = {
    {"LOADING", absl::StatusCode::kUnavailable},
    {"BUSY", absl::StatusCode::kUnavailable},
    {"MASTERDOWN", absl::StatusCode::kUnavailable},
    {"TRYAGAIN", absl::StatusCode::kUnavailable},
    {"CLUSTERDOWN", absl::StatusCode::kUnavailable},
    {"READONLY", absl::StatusCode::kUnavailable},
    {"MOVED", absl::StatusCode::kUnavailable},
    {"ASK", absl::StatusCode::kUnavailable},
    {"OOM", absl::StatusCode::kResourceExhausted},
    {"NOAUTH", absl::StatusCode::kPermissionDenied},
    {"WRONGPASS", absl::StatusCode::kPermissionDenied},
    {"NOPERM", absl::StatusCode::kPermissionDenied},
};

absl::string_view FirstWord(absl::string_view text) { return text.substr(0, text.find(' ')); }

}  // namespace

absl::Status ErrorReplyToStatus(absl::string_view error_text, bool allow_domain_errors) {
  const absl::string_view word = FirstWord(error_text);
  if (allow_domain_errors) {
    for (const CodeName& entry : kDomainCodes) {
      if (word == entry.name) {
        absl::string_view message = error_text.substr(word.size());
        absl::ConsumePrefix(&message, " ");
        return absl::Status(entry.code, message);
      }
    }
  }
  absl::StatusCode code = absl::StatusCode::kInternal;
  for (const CodeName& entry : kRedisCodes) {
    if (word == entry.name) code = entry.code;
  }
  return absl::Status(code, absl::StrCat("Redis error: ", error_text));
}

}  // namespace openencoder::redis
