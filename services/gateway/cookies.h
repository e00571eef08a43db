// The gateway's two cookies and their attributes, as pure functions.
//
//   oe_session  the session token. HttpOnly (scripts never see it),
//               SameSite=Lax (not sent on cross-site POSTs), Path=/,
//               Max-Age = the session's remaining lifetime, Secure over TLS.
//   oe_csrf     the double-submit CSRF token. Readable by the page's script
//               (it copies it into X-CSRF-Token), SameSite=Lax, Path=/,
//               Secure over TLS. Carries no authority by itself.
#ifndef OPENENCODER_SERVICES_GATEWAY_COOKIES_H_
#define OPENENCODER_SERVICES_GATEWAY_COOKIES_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::gateway {

inline constexpr char kSessionCookie[] = "oe_session";
inline constexpr char kCsrfCookie[] = "oe_csrf";

// Parses a Cookie request header ("a=1; b=2"). The first occurrence of a name
// wins; pairs without '=' are ignored; values are not decoded (ours never
// need it).
absl::flat_hash_map<std::string, std::string> ParseCookieHeader(absl::string_view header);

// True when `value` may be put in a cookie unquoted (RFC 6265 cookie-octet)
// and is at most 512 bytes; tokens that fail are never set.
bool IsCookieSafe(absl::string_view value);

// Set-Cookie values. `max_age` is clamped to at least 0.
std::string SessionCookie(absl::string_view token, absl::Duration max_age, bool secure);
std::string ExpiredSessionCookie(bool secure);
std::string CsrfCookie(absl::string_view token, bool secure);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_COOKIES_H_
