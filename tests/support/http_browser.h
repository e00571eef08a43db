// A browser for gateway tests over real HTTP: its own cookie jar and
// connection, seen by the gateway as coming from `address` through a trusted
// proxy on 127.0.0.1 (X-Forwarded-For), sending what our own pages send
// (Origin and the CSRF header) unless asked for a cross-site request.
#ifndef OPENENCODER_TESTS_SUPPORT_HTTP_BROWSER_H_
#define OPENENCODER_TESTS_SUPPORT_HTTP_BROWSER_H_

#include <httplib.h>

#include <map>
#include <string>
#include <utility>

namespace openencoder::test_support {

// Keeps the cookies a response sets in `jar`, as a browser does.
inline void AbsorbCookies(const httplib::Result& r, std::map<std::string, std::string>& jar) {
  if (!r) return;
  for (const auto& [k, v] : r->headers) {
    if (k != "Set-Cookie") continue;
    const std::string pair = v.substr(0, v.find(';'));
    jar[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
  }
}

// One browser: its own cookie jar and connection, seen by the gateway as
// coming from `address` (through the trusted proxy on 127.0.0.1).
class Browser {
 public:
  Browser(const std::string& origin, std::string address)
      : origin_(origin), address_(std::move(address)), client_(origin) {}

  // A request from our own page: Origin and (once known) the CSRF header.
  httplib::Result Get(const std::string& path, const std::string& request_id = "") {
    httplib::Headers h = Headers(true);
    if (!request_id.empty()) h.emplace("X-Request-Id", request_id);
    return Absorb(client_.Get(path, h));
  }
  // What a link or image on another site makes the browser send.
  httplib::Result CrossSiteGet(const std::string& path) {
    httplib::Headers h = Headers(false);
    h.emplace("Sec-Fetch-Site", "cross-site");
    return Absorb(client_.Get(path, h));
  }
  httplib::Result Post(const std::string& path, const std::string& body) {
    if (cookies_["oe_csrf"].empty()) Get("/api/v1/session");
    httplib::Headers h = Headers(true);
    h.emplace("Origin", origin_);
    return Absorb(client_.Post(path, h, body, "application/json"));
  }
  // A form or script on another site posting with this browser's cookies.
  httplib::Result CrossSitePost(const std::string& path, const std::string& body) {
    httplib::Headers h = Headers(false);
    h.emplace("Origin", "https://elsewhere.example");
    return Absorb(client_.Post(path, h, body, "application/json"));
  }
  std::string Cookie(const std::string& name) { return cookies_[name]; }

 private:
  httplib::Headers Headers(bool same_origin) {
    std::string cookie;
    for (const auto& [k, v] : cookies_) {
      if (!v.empty()) cookie += k + "=" + v + "; ";
    }
    httplib::Headers h = {{"Cookie", cookie}, {"X-Forwarded-For", address_}};
    if (same_origin && !cookies_["oe_csrf"].empty()) h.emplace("X-CSRF-Token", cookies_["oe_csrf"]);
    return h;
  }
  httplib::Result Absorb(httplib::Result r) {
    AbsorbCookies(r, cookies_);
    return r;
  }

  std::string origin_;
  std::string address_;
  httplib::Client client_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_HTTP_BROWSER_H_
