// OpenEncoder's own CPT tables: status, nested ranges, modifiers.
#include "libs/code_sets/importers/cpt_tables_importer.h"

#include "gtest/gtest.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

Edition Ours() { return {CodeSystem::kUnspecified, "cpt", "CPT tables", {}, ""}; }

TEST(CptStatusTest, ReadsActiveAndDeletedRowsRejectsInconsistentOnes) {
  std::string path =
      testing::WriteTempFile("status.tsv",
                             "code\tstatus\teffective\tdeleted\treplaced_by\n"
                             "99213\tactive\t1992-01-01\t\t\n"
                             "0370T\tdeleted\t2015-01-01\t2019-01-01\t97156, 97157\n"
                             "9921X\tactive\t\t\t\n"                    // 4: bad code
                             "99214\tretired\t\t\t\n"                   // 5: bad status
                             "99215\tactive\t1992-02-31\t\t\n"          // 6: no such day
                             "99211\tactive\t\t2020-01-01\t\n"          // 7: date without deletion
                             "99212\tdeleted\t\t2020-01-01\tJ1100\n");  // 8: replacement not CPT
  auto result = ImportCptStatus(path, Ours());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_FALSE(result->rows[0].deleted);
  EXPECT_EQ(result->rows[0].effective_date, absl::CivilDay(1992, 1, 1));
  EXPECT_TRUE(result->rows[1].deleted);
  EXPECT_EQ(result->rows[1].deleted_date, absl::CivilDay(2019, 1, 1));
  EXPECT_EQ(result->rows[1].replaced_by, (std::vector<std::string>{"97156", "97157"}));
  ASSERT_EQ(result->report.rejected.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(result->report.rejected[i].line, 4 + int64_t(i));
  EXPECT_EQ(result->report.rows_read, 7);
}

TEST(CptStatusTest, WrongHeaderRejectsTheFileAtLineOne) {
  std::string path = testing::WriteTempFile("status-bad.tsv", "code\tstatus\n99213\tactive\n");
  auto result = ImportCptStatus(path, Ours());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->rows.empty());
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{1}));
}

TEST(CptStatusTest, UnreadableFileIsAnError) {
  EXPECT_FALSE(ImportCptStatus("/nonexistent/status.tsv", Ours()).ok());
}

TEST(CptRangesTest, AllowsNestingRejectsInvertedAndCrossingRanges) {
  std::string path =
      testing::WriteTempFile("ranges.tsv",
                             "first_code\tlast_code\tfamily\n"
                             "99202\t99215\tOffice visits\n"
                             "99210\t99220\tOverlap\n"
                             "99300\t99299\tInverted\n"
                             "00100\t01999\tAnesthesia\n"
                             "99211\t99215\tEstablished patients\n"  // nested: accepted
                             "99202\t99215\tSame again\n"            // 7: repeat
                             "0042T\t0999T\tCategory III\n"          // other kind: no clash
                             "0001U\t0999T\tMixed\n");               // 9: mixed kinds
  auto result = ImportCptRanges(path, Ours());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->ranges.size(), 4u);
  EXPECT_EQ(result->ranges[1].family, "Anesthesia");
  ASSERT_EQ(result->report.rejected.size(), 4u);
  EXPECT_EQ(result->report.rejected[3].line, 9);
  EXPECT_EQ(result->report.rejected[0].line, 3);
  EXPECT_NE(result->report.rejected[0].reason.find("crosses"), std::string::npos);
  EXPECT_EQ(result->report.rejected[1].line, 4);
  EXPECT_EQ(result->report.rejected[2].line, 7);
}

TEST(CptRangesTest, AcceptsMaaaCodesAsTheirOwnKind) {
  std::string path = testing::WriteTempFile("ranges-maaa.tsv",
                                            "first_code\tlast_code\tfamily\n"
                                            "0001M\t0020M\tMultianalyte assays\n"
                                            "0001M\t0004M\tNested MAAA\n");
  auto result = ImportCptRanges(path, Ours());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->ranges.size(), 2u);
  EXPECT_TRUE(result->report.rejected.empty());
}

TEST(CptModifiersTest, ReadsTwoDigitModifiersRejectsOthers) {
  std::string path =
      testing::WriteTempFile("modifiers.tsv",
                             "modifier\tname\texplanation\n"
                             "25\tSignificant E/M\tA separate E/M service on the same day\n"
                             "LT\tLeft side\tNot a CPT modifier\n"  // 3
                             "59\t\tNo name\n"                      // 4
                             "5\tShort\tOne digit\n");              // 5
  auto result = ImportCptModifiers(path, Ours());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->modifiers.size(), 1u);
  EXPECT_EQ(result->modifiers[0].code, "25");
  EXPECT_EQ(result->modifiers[0].name, "Significant E/M");
  ASSERT_EQ(result->report.rejected.size(), 3u);
  EXPECT_EQ(result->report.rejected[0].line, 3);
  EXPECT_EQ(result->report.rejected[2].line, 5);
}

}  // namespace
}  // namespace openencoder::catalogue
