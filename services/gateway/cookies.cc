#include "services/gateway/cookies.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace openencoder::gateway {
namespace {

std::string Attributes(bool http_only, bool secure) {
  // Path=/ and no Domain: the cookie belongs to this host only.
  std::string a = "; Path=/; SameSite=Lax";
  if (http_only) a += "; HttpOnly";
  if (secure) a += "; Secure";
  return a;
}

}  // namespace

absl::flat_hash_map<std::string, std::string> ParseCookieHeader(absl::string_view header) {
  absl::flat_hash_map<std::string, std::string> cookies;
  for (absl::string_view pair : absl::StrSplit(header, ';', absl::SkipWhitespace())) {
    size_t eq = pair.find('=');
    if (eq == absl::string_view::npos) continue;
    absl::string_view name = absl::StripAsciiWhitespace(pair.substr(0, eq));
    absl::string_view value = absl::StripAsciiWhitespace(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!name.empty()) cookies.try_emplace(std::string(name), std::string(value));
  }
  return cookies;
}

bool IsCookieSafe(absl::string_view value) {
  if (value.empty() || value.size() > 512) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
  });
}

std::string SessionCookie(absl::string_view token, absl::Duration max_age, bool secure) {
  long long seconds = std::max<long long>(0, absl::ToInt64Seconds(max_age));
  return absl::StrCat(kSessionCookie, "=", token, "; Max-Age=", seconds,
                      Attributes(/*http_only=*/true, secure));
}

std::string ExpiredSessionCookie(bool secure) {
  return absl::StrCat(kSessionCookie, "=; Max-Age=0", Attributes(/*http_only=*/true, secure));
}

std::string CsrfCookie(absl::string_view token, bool secure) {
  // A session-lifetime cookie: a new browser session simply gets a new token.
  return absl::StrCat(kCsrfCookie, "=", token, Attributes(/*http_only=*/false, secure));
}

}  // namespace openencoder::gateway
