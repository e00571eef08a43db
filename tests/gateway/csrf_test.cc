#include "services/gateway/csrf.h"

#include <gtest/gtest.h>

namespace openencoder::gateway {
namespace {

CsrfInput GoodPost() {
  CsrfInput in;
  in.method = "POST";
  in.cookie_token = "t0k";
  in.header_token = "t0k";
  in.origin = "http://127.0.0.1:8080";
  in.self_origin = "http://127.0.0.1:8080";
  return in;
}

TEST(CsrfTest, SameOriginPostWithMatchingTokenPasses) { EXPECT_TRUE(CheckCsrf(GoodPost()).ok()); }

TEST(CsrfTest, SafeMethodsAreNeverChecked) {
  CsrfInput in;
  in.method = "GET";
  in.origin = "https://evil.example";
  EXPECT_TRUE(CheckCsrf(in).ok());
}

TEST(CsrfTest, MissingOrWrongTokenIsRefused) {
  CsrfInput in = GoodPost();
  in.header_token = "";
  EXPECT_EQ(CheckCsrf(in).code(), absl::StatusCode::kPermissionDenied);
  in.header_token = "t0K";
  EXPECT_EQ(CheckCsrf(in).code(), absl::StatusCode::kPermissionDenied);
  in = GoodPost();
  in.cookie_token = "";
  in.header_token = "";
  EXPECT_EQ(CheckCsrf(in).code(), absl::StatusCode::kPermissionDenied);
}

TEST(CsrfTest, ForeignOriginIsRefusedEvenWithTheToken) {
  CsrfInput in = GoodPost();
  in.origin = "https://evil.example";
  EXPECT_EQ(CheckCsrf(in).code(), absl::StatusCode::kPermissionDenied);
  in.origin = "null";
  EXPECT_EQ(CheckCsrf(in).code(), absl::StatusCode::kPermissionDenied);
}

TEST(CsrfTest, AllowedOriginsPass) {
  CsrfInput in = GoodPost();
  in.origin = "https://app.openencoder.example";
  in.allowed_origins = {"https://app.openencoder.example"};
  EXPECT_TRUE(CheckCsrf(in).ok());
}

TEST(CsrfTest, RefererIsCheckedWhenOriginIsAbsent) {
  CsrfInput in = GoodPost();
  in.origin = "";
  in.referer = "http://127.0.0.1:8080/#/register";
  EXPECT_TRUE(CheckCsrf(in).ok());
  in.referer = "https://evil.example/page";
  EXPECT_EQ(CheckCsrf(in).code(), absl::StatusCode::kPermissionDenied);
}

TEST(CsrfTest, CrossSiteFetchMetadataIsRefused) {
  CsrfInput in = GoodPost();
  in.sec_fetch_site = "cross-site";
  EXPECT_EQ(CheckCsrf(in).code(), absl::StatusCode::kPermissionDenied);
}

TEST(CsrfTest, NonBrowserClientsWithoutOriginStillNeedTheToken) {
  CsrfInput in = GoodPost();
  in.origin = "";
  EXPECT_TRUE(CheckCsrf(in).ok());
  in.header_token = "other";
  EXPECT_FALSE(CheckCsrf(in).ok());
}

TEST(CsrfTest, OriginOfKeepsSchemeHostAndPort) {
  EXPECT_EQ(OriginOf("HTTP://Example.com:8080/a?b#c"), "http://example.com:8080");
  EXPECT_EQ(OriginOf("/relative"), "");
  EXPECT_EQ(OriginOf("http://"), "");
}

TEST(CsrfTest, TokensAreLongAndDifferent) {
  std::string a = NewCsrfToken();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, NewCsrfToken());
}

}  // namespace
}  // namespace openencoder::gateway
