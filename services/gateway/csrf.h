// Cross-site request forgery checks for state-changing requests, as a pure
// function of the request's headers.
//
// Two independent defences, both required for POST/PUT/PATCH/DELETE:
//  1. Origin: a browser names the page that sent the request in Origin (or,
//     failing that, Referer) and says Sec-Fetch-Site. A request from another
//     site is refused. Requests naming no origin at all (curl, scripts) pass
//     this step: they cannot carry a victim's cookies without a browser.
//  2. Double submit: the X-CSRF-Token header must equal the oe_csrf cookie.
//     Another site can make the browser send the cookie but cannot read it,
//     so it cannot write the header.
// SameSite=Lax on the session cookie is a third layer, not relied upon.
#ifndef OPENENCODER_SERVICES_GATEWAY_CSRF_H_
#define OPENENCODER_SERVICES_GATEWAY_CSRF_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace openencoder::gateway {

inline constexpr char kCsrfHeader[] = "x-csrf-token";

struct CsrfInput {
  std::string method;        // "POST"
  std::string cookie_token;  // oe_csrf cookie, "" when absent
  std::string header_token;  // X-CSRF-Token, "" when absent
  std::string origin;        // Origin header
  std::string referer;       // Referer header
  std::string sec_fetch_site;
  std::string self_origin;  // this gateway as the browser sees it: "http://127.0.0.1:8080"
  std::vector<std::string> allowed_origins;  // more origins that may call us
};

// GET, HEAD and OPTIONS change nothing and are never checked.
bool IsSafeMethod(absl::string_view method);

// OK, or PERMISSION_DENIED with a message for people.
absl::Status CheckCsrf(const CsrfInput& input);

// "scheme://host[:port]" of an absolute URL, or "" when it is not one.
std::string OriginOf(absl::string_view url);

// 32 random bytes (libsodium) as 64 hex characters.
std::string NewCsrfToken();

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_CSRF_H_
