// A browser for gateway integration tests: one cookie jar over real HTTP,
// the CSRF header copied from the oe_csrf cookie as the web client does
// (or left out, or sent from another origin, to test the refusal).
#ifndef OPENENCODER_TESTS_GATEWAY_TEST_BROWSER_H_
#define OPENENCODER_TESTS_GATEWAY_TEST_BROWSER_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <cctype>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/support/http_browser.h"

namespace openencoder::gateway {

// The password of every account the gateway tests register (the same as
// tests/support/account_sessions.cc, so either may log the other's in).
inline constexpr char kPassword[] = "purple-otter-tuesday";

// One browser: its own cookie jar.
class Browser {
 public:
  explicit Browser(const std::string& origin) : origin_(origin), client_(origin) {}

  httplib::Result Send(const std::string& method, const std::string& path,
                       const std::string& body = "{}", bool csrf = true,
                       const std::string& origin = "") {
    if (cookies_["oe_csrf"].empty() && method != "GET") Send("GET", "/api/v1/session");
    std::string cookie;
    for (const auto& [k, v] : cookies_) {
      if (!v.empty()) absl::StrAppend(&cookie, k, "=", v, "; ");
    }
    httplib::Headers h = {{"Cookie", cookie}, {"Origin", origin.empty() ? origin_ : origin}};
    if (csrf) h.emplace("X-CSRF-Token", cookies_["oe_csrf"]);
    httplib::Result r = method == "GET"    ? client_.Get(path, h)
                        : method == "POST" ? client_.Post(path, h, body, "application/json")
                        : method == "PUT"  ? client_.Put(path, h, body, "application/json")
                                           : client_.Delete(path, h, body, "application/json");
    test_support::AbsorbCookies(r, cookies_);
    return r;
  }

  void Register(const std::string& email, const std::string& role) {
    auto r = Send("POST", "/api/v1/account/register",
                  absl::StrCat(R"({"email":")", email, R"(","password":")", kPassword,
                               R"(","displayName":"x","role":")", role, R"("})"));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }

  void Login(const std::string& email) {
    auto r = Send("POST", "/api/v1/account/login",
                  absl::StrCat(R"({"email":")", email, R"(","password":")", kPassword, R"("})"));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }

 private:
  std::string origin_;
  httplib::Client client_;
  std::map<std::string, std::string> cookies_;
};

// The value of "key":"..." or "key":123 in a JSON body (enough for ids and versions).
inline std::string JsonValue(const std::string& body, const std::string& key) {
  const std::string needle = absl::StrCat("\"", key, "\":");
  size_t at = body.find(needle);
  if (at == std::string::npos) return "";
  at += needle.size();
  if (body[at] == '"') {
    const size_t end = body.find('"', at + 1);
    return body.substr(at + 1, end - at - 1);
  }
  size_t end = at;
  while (end < body.size() && isdigit(static_cast<unsigned char>(body[end]))) ++end;
  return body.substr(at, end - at);
}

}  // namespace openencoder::gateway

#endif  // OPENENCODER_TESTS_GATEWAY_TEST_BROWSER_H_
