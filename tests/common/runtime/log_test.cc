#include "services/common/log.h"

#include <gtest/gtest.h>

#include "absl/strings/str_format.h"

namespace openencoder::common {
namespace {

TEST(JsonEscape, QuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
  EXPECT_EQ(JsonEscape("plain"), "plain");
}

// A number field is printf's "%.3f" (every access-log line has one, "ms"),
// rounding and sign included, and a number too long for the short buffer
// still comes out whole.
TEST(LogField, ADoubleIsPrintfsThreeDecimals) {
  for (double v : {0.0, 1.23456, 0.0005, 2.0005, -2.5, 12345.6789, 1e20, 1e300}) {
    const LogField f("ms", v);
    EXPECT_EQ(f.value, absl::StrFormat("%.3f", v)) << v;
    EXPECT_FALSE(f.quoted);
  }
  EXPECT_EQ(LogField("ms", 1.23456).value, "1.235");
}

}  // namespace
}  // namespace openencoder::common
