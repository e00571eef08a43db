#include "libs/code_sets/importers/ncci_importer.h"

#include "gtest/gtest.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

Edition Ncci() { return {CodeSystem::kCpt, "ncci-test", "NCCI TEST", {}, ""}; }

TEST(NcciPtpTest, SkipsPreambleAndValidatesEveryColumn) {
  std::string path = testing::WriteTempFile(
      "ptp.txt",
      "CPT codes and descriptions only are copyright 2025 AMA\r\n"
      "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
      "Deletion Date *=no data\tModifier\tPTP Edit Rationale\r\n"
      "\t\t\t\t\t0=not allowed\t\r\n"
      "10000\t20000\t*\t19960101\t*\t1\tStandards of medical practice\r\n"  // 4
      "10000\t20001\t\t20200101\t20201231\t0\tMutually exclusive\r\n"       // 5
      "10000\t20002\t\t20200101\t*\t2\tBad indicator\r\n"                   // 6
      "10000\t20003\t\t20201301\t*\t1\tBad date\r\n"                        // 7
      "10000\t20000\t*\t19960101\t*\t1\tDuplicate\r\n"                      // 8
      "10000\t20004\t\t20200101\r\n"                                        // 9
      "10000\t20005\tx\t20200101\t*\t1\tBad star\r\n");                     // 10
  auto result = ImportNcciPtp(path, Ncci());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->report.lines_skipped, 3);
  EXPECT_EQ(result->report.rows_read, 7);
  ASSERT_EQ(result->edits.size(), 2u);
  EXPECT_TRUE(result->edits[0].existed_before_1996);
  EXPECT_FALSE(result->edits[0].deletion_date.has_value());
  EXPECT_EQ(result->edits[0].modifier_indicator, 1);
  EXPECT_EQ(result->edits[1].deletion_date, absl::CivilDay(2020, 12, 31));
  const auto& rejected = result->report.rejected;
  ASSERT_EQ(rejected.size(), 5u);
  EXPECT_EQ(rejected[0].line, 6);
  EXPECT_NE(rejected[0].reason.find("modifier indicator \"2\""), std::string::npos);
  EXPECT_EQ(rejected[1].line, 7);
  EXPECT_NE(rejected[1].reason.find("20201301"), std::string::npos);
  EXPECT_EQ(rejected[2].line, 8);
  EXPECT_NE(rejected[2].reason.find("duplicate"), std::string::npos);
  EXPECT_EQ(rejected[3].line, 9);
  EXPECT_EQ(rejected[4].line, 10);
}

TEST(NcciMueTest, ParsesAdjudicationIndicatorsAndRejectsBadRows) {
  std::string path = testing::WriteTempFile(
      "mue.csv",
      "\"CPT codes and descriptions only are copyright AMA\"\n"
      "HCPCS/CPT Code,Practitioner Services MUE Values,"
      "MUE Adjudication Indicator,MUE Rationale\n"
      "10000,1,1 Line Edit,Anatomic Consideration\n"                           // 3
      "10001,2,\"2 Date of Service Edit: Policy\",\"Code Descriptor, CPT\"\n"  // 4
      "10002,3,3 Date of Service Edit: Clinical,Clinical: Data\n"              // 5
      "10003,x,1 Line Edit,Bad units\n"                                        // 6
      "10004,1,4 Something,Bad indicator\n"                                    // 7
      "10000,1,1 Line Edit,Duplicate\n"                                        // 8
      "10005,1,2 Line Edit,Mismatched words\n");                               // 9
  auto result = ImportNcciMue(path, Ncci());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->edits.size(), 3u);
  EXPECT_EQ(result->edits[1].adjudication, MueAdjudication::kDateOfServicePolicy);
  EXPECT_EQ(result->edits[1].rationale, "Code Descriptor, CPT");
  EXPECT_EQ(result->edits[2].units, 3);
  EXPECT_EQ(MueAdjudicationMeaning(result->edits[2].adjudication),
            "Date of Service Edit: Clinical");
  const auto& rejected = result->report.rejected;
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].line, 6);
  EXPECT_EQ(rejected[1].line, 7);
  EXPECT_EQ(rejected[2].line, 8);
  EXPECT_EQ(rejected[3].line, 9);
}

TEST(NcciMueTest, FileWithoutHeaderIsRejected) {
  auto result = ImportNcciMue(testing::WriteTempFile("mue_nohdr.csv", "a,b\n"), Ncci());
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{0}));
}

}  // namespace
}  // namespace openencoder::catalogue
