#include "services/common/log.h"

#include <gtest/gtest.h>

namespace openencoder::common {
namespace {

TEST(JsonEscape, QuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
  EXPECT_EQ(JsonEscape("plain"), "plain");
}

}  // namespace
}  // namespace openencoder::common
