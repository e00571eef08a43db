#include "services/common/log.h"

#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

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

// One JSON line: the time in UTC to the millisecond (the cached second plus
// the milliseconds must read as absl::FormatTime would print it), the
// message and quoted fields escaped.
TEST(Log, ALineIsJsonWithAMillisecondUtcTimestamp) {
  for (int i = 0; i < 3; ++i) {
    testing::internal::CaptureStderr();
    const absl::Time before = absl::Now();
    LogInfo("say \"hi\"", {{"path", "/a\\b"}, {"status", 200}});
    const absl::Time after = absl::Now();
    const std::string line = testing::internal::GetCapturedStderr();
    ASSERT_GT(line.size(), 32u) << line;
    const std::string ts = line.substr(7, 24);
    absl::Time parsed;
    std::string error;
    ASSERT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", ts, absl::UTCTimeZone(), &parsed, &error))
        << ts << ": " << error;
    EXPECT_GE(parsed, absl::FromUnixMillis(absl::ToUnixMillis(before))) << ts;
    EXPECT_LE(parsed, after) << ts;
    EXPECT_EQ(line.substr(0, 7), "{\"ts\":\"");
    EXPECT_EQ(line.substr(31),
              "\",\"level\":\"info\",\"msg\":\"say \\\"hi\\\"\",\"path\":\"/a\\\\b\","
              "\"status\":200}\n");
    absl::SleepFor(absl::Milliseconds(400));  // across a second, some runs
  }
}

}  // namespace
}  // namespace openencoder::common
