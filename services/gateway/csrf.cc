#include "services/gateway/csrf.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "services/common/secure_random.h"

namespace openencoder::gateway {
namespace {

bool OriginAllowed(absl::string_view origin, const CsrfInput& input) {
  if (absl::EqualsIgnoreCase(origin, input.self_origin)) return true;
  return std::any_of(input.allowed_origins.begin(), input.allowed_origins.end(),
                     [&](const std::string& o) { return absl::EqualsIgnoreCase(origin, o); });
}

// Equal length first, then a comparison whose time does not depend on where
// the strings differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool IsSafeMethod(absl::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

std::string OriginOf(absl::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos || scheme_end == 0) return "";
  size_t host_end = url.find_first_of("/?#", scheme_end + 3);
  absl::string_view origin = url.substr(0, host_end);
  if (origin.size() == scheme_end + 3) return "";
  return absl::AsciiStrToLower(origin);
}

absl::Status CheckCsrf(const CsrfInput& input) {
  if (IsSafeMethod(input.method)) return absl::OkStatus();
  if (input.sec_fetch_site == "cross-site") {
    return absl::PermissionDeniedError("Requests from other sites are not accepted.");
  }
  // "null" is what a sandboxed frame or a redirect across sites sends.
  if (!input.origin.empty()) {
    if (input.origin == "null" || !OriginAllowed(input.origin, input)) {
      return absl::PermissionDeniedError("Requests from other sites are not accepted.");
    }
  } else if (!input.referer.empty()) {
    std::string referer_origin = OriginOf(input.referer);
    if (referer_origin.empty() || !OriginAllowed(referer_origin, input)) {
      return absl::PermissionDeniedError("Requests from other sites are not accepted.");
    }
  }
  if (input.cookie_token.empty() || input.header_token.empty() ||
      !ConstantTimeEquals(input.cookie_token, input.header_token)) {
    return absl::PermissionDeniedError(
        "The form's security token is missing or out of date. Reload the page and try again.");
  }
  return absl::OkStatus();
}

std::string NewCsrfToken() {
  unsigned char bytes[32];
  common::SecureRandomBytes(bytes, sizeof(bytes));
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace openencoder::gateway
