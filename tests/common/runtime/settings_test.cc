#include "services/common/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace openencoder::common {
namespace {

TEST(Setting, FlagWinsOverEnvironmentWhichWinsOverDefault) {
  setenv("OE_TEST_SETTING", "from-env", 1);
  EXPECT_EQ(Setting("from-flag", "OE_TEST_SETTING", "default"), "from-flag");
  EXPECT_EQ(Setting("", "OE_TEST_SETTING", "default"), "from-env");
  unsetenv("OE_TEST_SETTING");
  EXPECT_EQ(Setting("", "OE_TEST_SETTING", "default"), "default");
}

TEST(Setting, EmptyEnvironmentValueFallsBack) {
  setenv("OE_TEST_SETTING", "", 1);
  EXPECT_EQ(Setting("", "OE_TEST_SETTING", "default"), "default");
  unsetenv("OE_TEST_SETTING");
}

TEST(DurationSetting, ParsesAndRejectsWithTheSettingName) {
  setenv("OE_TEST_DURATION", "250ms", 1);
  EXPECT_EQ(*DurationSetting("", "OE_TEST_DURATION", absl::Seconds(1)), absl::Milliseconds(250));
  setenv("OE_TEST_DURATION", "soon", 1);
  auto bad = DurationSetting("", "OE_TEST_DURATION", absl::Seconds(1));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("OE_TEST_DURATION"), absl::string_view::npos);
  unsetenv("OE_TEST_DURATION");
  EXPECT_EQ(*DurationSetting("", "OE_TEST_DURATION", absl::Seconds(1)), absl::Seconds(1));
}

TEST(IntSetting, RejectsNegativeAndText) {
  EXPECT_EQ(*IntSetting("42", "OE_TEST_INT", 7), 42);
  EXPECT_FALSE(IntSetting("-1", "OE_TEST_INT", 7).ok());
  EXPECT_FALSE(IntSetting("many", "OE_TEST_INT", 7).ok());
  EXPECT_EQ(*IntSetting("", "OE_TEST_INT_UNSET", 7), 7);
}

}  // namespace
}  // namespace openencoder::common
