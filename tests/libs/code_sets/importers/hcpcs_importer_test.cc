#include "libs/code_sets/importers/hcpcs_importer.h"

#include <string>

#include "gtest/gtest.h"
#include "libs/code_sets/importers/modifier_tsv_importer.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

// Builds one fixed-width record of `length` (320 or 293) characters.
std::string Record(const std::string& code, const std::string& seq, char ric,
                   const std::string& long_desc, const std::string& short_desc,
                   const std::string& added, char action, size_t length = 320) {
  std::string r(length, ' ');
  auto put = [&](size_t first, const std::string& value) {
    r.replace(first - 1, value.size(), value);
  };
  put(1, code);
  put(6, seq);
  r[10] = ric;
  put(12, long_desc.substr(0, 80));
  if (ric == '3' || ric == '7') {
    put(92, short_desc);
    put(230, "C");
    put(257, "O1F");
    put(261, "1");
    put(269, added);
    put(277, added);
    r[292] = action;
  }
  return r + "\r\n";
}

Edition Hcpcs() { return {CodeSystem::kHcpcs, "hcpcs-test", "HCPCS TEST", {}, ""}; }

TEST(HcpcsFixedWidthTest, JoinsContinuationsAndSeparatesModifiers) {
  std::string path = testing::WriteTempFile(
      "hcpcs_ok.txt",
      "***Disclaimer line\tshort\r\n\r\n" +
          Record("A0001", "00100", '3', "Test transport part one", "Short one", "20190101", 'A') +
          Record("A0001", "00200", '4', "and part two", "", "", ' ') +
          Record("   Z1", "00100", '7', "Test modifier", "Test mod", "20020701", 'N') +
          Record("A0002", "00100", '3', "Second", "Second", "20190101", 'N').substr(0, 316) +
          "\r\n");
  auto result = ImportHcpcsFixedWidth(path, Hcpcs());
  ASSERT_TRUE(result.ok()) << result.status();
  const ImportReport& report = result->report;
  EXPECT_TRUE(report.clean()) << report.rejected[0].reason;
  EXPECT_EQ(report.lines_skipped, 2);
  EXPECT_EQ(report.rows_read, 4);
  ASSERT_EQ(result->codes.size(), 2u);
  EXPECT_EQ(result->codes[0].long_title, "Test transport part one and part two");
  EXPECT_EQ(result->codes[0].change_status, ChangeStatus::kNew);
  EXPECT_EQ(result->codes[0].added_date, absl::CivilDay(2019, 1, 1));
  ASSERT_NE(result->codes[0].hcpcs, nullptr);
  EXPECT_EQ(result->codes[0].hcpcs->betos, "O1F");
  EXPECT_EQ(result->codes[0].hcpcs->coverage_code, "C");
  ASSERT_EQ(result->modifiers.size(), 1u);
  EXPECT_EQ(result->modifiers[0].code, "Z1");
}

TEST(HcpcsFixedWidthTest, Accepts293CharacterRecords) {
  std::string path = testing::WriteTempFile(
      "hcpcs_293.txt",
      Record("A0001", "00100", '3', "Short record file", "Short", "20260101", 'N', 293) +
          Record("A0003", "00100", '3', "Too long here", "x", "20260101", 'N', 320));
  auto result = ImportHcpcsFixedWidth(path, Hcpcs());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->codes.size(), 1u);
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{2}));
  EXPECT_NE(result->report.rejected[0].reason.find("records of this file have 293"),
            std::string::npos);
}

TEST(HcpcsFixedWidthTest, RejectsBadWidthsDatesDuplicatesAndOrphans) {
  std::string path = testing::WriteTempFile(
      "hcpcs_bad.txt",
      Record("A0001", "00100", '3', "Ok", "Ok", "20190101", 'N') +        // 1
          Record("A0001", "00100", '3', "Dup", "Dup", "20190101", 'N') +  // 2
          Record("A0002", "00100", '3', "Bad", "Bad", "20190231", 'N') +  // 3
          Record("A0003", "00100", '3', "Cut", "Cut", "20190101", 'N').substr(0, 150) +
          "\r\n" +                                                          // 4
          Record("A0009", "00200", '4', "Orphan", "", "", ' ') +            // 5
          Record("A0004", "00100", '5', "Kind", "Kind", "20190101", 'N'));  // 6
  auto result = ImportHcpcsFixedWidth(path, Hcpcs());
  ASSERT_TRUE(result.ok());
  const auto& rejected = result->report.rejected;
  ASSERT_EQ(rejected.size(), 5u);
  EXPECT_EQ(rejected[0].line, 2);
  EXPECT_NE(rejected[0].reason.find("duplicate code A0001"), std::string::npos);
  EXPECT_EQ(rejected[1].line, 3);
  EXPECT_NE(rejected[1].reason.find("20190231"), std::string::npos);
  EXPECT_EQ(rejected[2].line, 4);
  EXPECT_NE(rejected[2].reason.find("150 characters"), std::string::npos);
  EXPECT_EQ(rejected[3].line, 5);
  EXPECT_NE(rejected[3].reason.find("does not follow"), std::string::npos);
  EXPECT_EQ(rejected[4].line, 6);
  EXPECT_EQ(result->report.rows_accepted, 1);
}

TEST(HcpcsCsvTest, ParsesQuotedFieldsAndRejectsShortRows) {
  std::string header =
      "HCPC,SEQNUM,RECID,LONG DESCRIPTION,SHORT DESCRIPTION,PRICE1,PRICE2,"
      "PRICE3,PRICE4,MULT_PI,CIM1,CIM2,CIM3,MCM1,MCM2,MCM3,STATUTE,LABCERT1,"
      "LABCERT2,LABCERT3,LABCERT4,LABCERT5,LABCERT6,LABCERT7,LABCERT8,XREF1,"
      "XREF2,XREF3,XREF4,XREF5,COV,ASC_GRP,ASC_DT,OPPS,OPPS_PI,OPPS_DT,"
      "PROCNOTE,BETOS,TOS1,TOS2,TOS3,TOS4,TOS5,ANEST_BU,ADD DT,ACT EFF DT,"
      "TERM DT,ACTION CD\n";
  std::string blanks(25, ',');  // PRICE1 .. XREF5
  std::string path = testing::WriteTempFile(
      "hcpcs.csv", header + "A0001,0010,3,\"Test, with \"\"quotes\"\"\",Short,54" +
                       blanks.substr(1) + ",C,,,,,,,O1F,1,,,,,,20200101,20200101,,N\n" +
                       "A0001,0020,4,and more" + std::string(44, ',') + "\n" +
                       "   ZZ,0010,7,Mod,Mod" + blanks + ",C,,,,,,,,,,,,,,20200101,20200101,,N\n" +
                       "A0002,0010,3,short row\n");
  auto result = ImportHcpcsCsv(path, Hcpcs());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->codes.size(), 1u);
  EXPECT_EQ(result->codes[0].long_title, "Test, with \"quotes\" and more");
  EXPECT_EQ(result->codes[0].hcpcs->pricing_indicators[0], "54");
  ASSERT_EQ(result->modifiers.size(), 1u);
  EXPECT_EQ(result->modifiers[0].code, "ZZ");
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{5}));
}

TEST(ModifierTsvTest, RejectsBadDatesAndDuplicates) {
  std::string path =
      testing::WriteTempFile("modifiers.tsv",
                             "modifier\tlong_description\tshort_description\tadded_date\t"
                             "action_effective_date\ttermination_date\taction_code\n"
                             "A1\tDressing one\tDressing one\t20020701\t20020701\t\tN\n"
                             "A1\tDup\tDup\t20020701\t20020701\t\tN\n"
                             "A2\tBad\tBad\t2002070\t20020701\t\tN\n"
                             "A3\ttoo few\n");
  auto result = ImportModifierTsv(path, Hcpcs());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->modifiers.size(), 1u);
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{3, 4, 5}));
}

}  // namespace
}  // namespace openencoder::catalogue
