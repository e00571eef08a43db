#include "libs/code_sets/importers/line_reader.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/code_sets/importers/csv_reader.h"
#include "libs/code_sets/importers/field_parse.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

std::vector<std::string> AllLines(LineReader reader) {
  std::vector<std::string> lines;
  absl::string_view line;
  while (reader.Next(&line)) lines.emplace_back(line);
  return lines;
}

TEST(LineReaderTest, HandlesCrlfLfAndMissingFinalNewline) {
  EXPECT_EQ(AllLines(LineReader::FromString("a\r\nb\nc")),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(AllLines(LineReader::FromString("a\r\n\r\nb\r\n")),
            (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(AllLines(LineReader::FromString("")).empty());
}

TEST(LineReaderTest, CountsLineNumbersAndReadsFiles) {
  auto reader = LineReader::Open(testing::WriteTempFile("lines.txt", "x\ny\n"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  absl::string_view line;
  ASSERT_TRUE(reader->Next(&line));
  ASSERT_TRUE(reader->Next(&line));
  EXPECT_EQ(line, "y");
  EXPECT_EQ(reader->line_number(), 2);
  EXPECT_FALSE(reader->Next(&line));
}

TEST(LineReaderTest, MissingFileIsNotFound) {
  EXPECT_EQ(LineReader::Open("/nonexistent/oe/file.txt").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CsvReaderTest, UnquotesEmbeddedCommasQuotesAndNewlines) {
  CsvReader csv(
      LineReader::FromString("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\n\"open"));
  std::vector<std::string> f;
  std::string error;
  ASSERT_TRUE(csv.Next(&f, &error));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b, c", "say \"hi\""}));
  EXPECT_EQ(csv.record_line(), 1);
  ASSERT_TRUE(csv.Next(&f, &error));
  EXPECT_EQ(f, (std::vector<std::string>{"multi\nline", "", "x"}));
  EXPECT_EQ(csv.record_line(), 2);
  ASSERT_TRUE(csv.Next(&f, &error));
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(csv.record_line(), 4);
  EXPECT_FALSE(csv.Next(&f, &error));
}

TEST(FieldParseTest, DatesMustBeRealCalendarDays) {
  absl::CivilDay day;
  EXPECT_TRUE(ParseYyyyMmDd("20240229", &day));
  EXPECT_EQ(day, absl::CivilDay(2024, 2, 29));
  EXPECT_FALSE(ParseYyyyMmDd("20230229", &day));
  EXPECT_FALSE(ParseYyyyMmDd("2023-02-01", &day));
  EXPECT_FALSE(ParseYyyyMmDd("2023021", &day));
  std::optional<absl::CivilDay> optional_day = absl::CivilDay(2000, 1, 1);
  EXPECT_TRUE(ParseOptionalYyyyMmDd("  ", &optional_day));
  EXPECT_FALSE(optional_day.has_value());
}

TEST(FieldParseTest, FixedFieldsUseOneBasedInclusivePositions) {
  EXPECT_EQ(FixedField("00001 A00     0", 7, 13), "A00");
  EXPECT_EQ(FixedField("abc", 5, 9), "");
  EXPECT_EQ(FixedFieldToEnd("abc  def  ", 4), "  def");
}

}  // namespace
}  // namespace openencoder::catalogue
