#include "services/gateway/cookies.h"

#include <gtest/gtest.h>

namespace openencoder::gateway {
namespace {

TEST(CookiesTest, SessionCookieIsHttpOnlyLaxAndHostWide) {
  std::string c = SessionCookie("abc", absl::Hours(1), /*secure=*/false);
  EXPECT_EQ(c, "oe_session=abc; Max-Age=3600; Path=/; SameSite=Lax; HttpOnly");
}

TEST(CookiesTest, SecureOnlyWhenServedOverTls) {
  EXPECT_NE(SessionCookie("abc", absl::Hours(1), true).find("; Secure"), std::string::npos);
  EXPECT_EQ(SessionCookie("abc", absl::Hours(1), false).find("Secure"), std::string::npos);
  EXPECT_NE(CsrfCookie("t", true).find("; Secure"), std::string::npos);
}

TEST(CookiesTest, CsrfCookieIsReadableByThePageScript) {
  std::string c = CsrfCookie("tok", false);
  EXPECT_EQ(c, "oe_csrf=tok; Path=/; SameSite=Lax");
  EXPECT_EQ(c.find("HttpOnly"), std::string::npos);
}

TEST(CookiesTest, ExpiredSessionCookieDeletesIt) {
  EXPECT_EQ(ExpiredSessionCookie(false), "oe_session=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly");
}

TEST(CookiesTest, NegativeLifetimeIsClampedToZero) {
  EXPECT_NE(SessionCookie("a", -absl::Seconds(5), false).find("Max-Age=0;"), std::string::npos);
}

TEST(CookiesTest, ParsesHeaderFirstOccurrenceWinsAndQuotesAreStripped) {
  auto c = ParseCookieHeader("a=1; oe_session=\"xyz\"; a=2;junk; b = 3 ");
  EXPECT_EQ(c["a"], "1");
  EXPECT_EQ(c["oe_session"], "xyz");
  EXPECT_EQ(c["b"], "3");
  EXPECT_EQ(c.count("junk"), 0u);
}

TEST(CookiesTest, RefusesValuesThatCouldSplitAHeader) {
  EXPECT_TRUE(IsCookieSafe("abc-DEF_123.~"));
  EXPECT_FALSE(IsCookieSafe(""));
  EXPECT_FALSE(IsCookieSafe("a;b"));
  EXPECT_FALSE(IsCookieSafe("a\r\nSet-Cookie: x"));
  EXPECT_FALSE(IsCookieSafe("a b"));
  EXPECT_FALSE(IsCookieSafe(std::string(513, 'a')));
}

}  // namespace
}  // namespace openencoder::gateway
