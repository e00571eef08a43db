#include "libs/code_sets/importers/icd10_order_importer.h"

#include <string>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

// One order-file line in the official layout.
std::string OrderLine(int order, const std::string& code, char flag, const std::string& title) {
  return absl::StrFormat("%05d %-7s %c %-60s %s\r\n", order, code, flag, title, title);
}

Edition Cm() {
  return {CodeSystem::kIcd10Cm, "icd10cm-test", "ICD-10-CM TEST", absl::CivilDay(2025, 10, 1), ""};
}

TEST(Icd10OrderImporterTest, DerivesParentsChaptersAndDisplayCodes) {
  std::string path = testing::WriteTempFile(
      "order_ok.txt", OrderLine(1, "E11", '0', "Type 2 diabetes mellitus") +
                          OrderLine(2, "E119", '1', "Type 2 diabetes without") +
                          OrderLine(3, "T814", '0', "Infection") +
                          OrderLine(4, "T814XXA", '1', "Infection, initial"));
  auto result = ImportIcd10OrderFile(path, Cm());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->report.clean());
  ASSERT_EQ(result->records.size(), 4u);
  EXPECT_EQ(result->records[1].display_code, "E11.9");
  EXPECT_EQ(result->records[1].parent_code, "E11");
  EXPECT_EQ(result->records[1].chapter, 4);
  EXPECT_EQ(result->records[3].parent_code, "T814");  // T81 is absent.
  EXPECT_EQ(result->records[3].display_code, "T81.4XXA");
  EXPECT_EQ(result->records[0].parent_code, "");
  EXPECT_EQ(result->report.edition.source_file, path);
}

TEST(Icd10OrderImporterTest, RejectsMalformedRowsWithLineNumbers) {
  std::string path = testing::WriteTempFile(
      "order_bad.txt", OrderLine(1, "E11", '0', "Type 2 diabetes mellitus") +      // 1 ok
                           "00002 E119    1 Type 2 diab\r\n" +                     // 2 truncated
                           OrderLine(3, "E11", '1', "Again") +                     // 3 duplicate
                           OrderLine(4, "E118", '2', "Bad flag") +                 // 4 flag
                           OrderLine(5, "11E", '1', "Bad code") +                  // 5 code
                           OrderLine(6, "E119", '1', "Type 2 diabetes without"));  // 6 ok
  auto result = ImportIcd10OrderFile(path, Cm());
  ASSERT_TRUE(result.ok()) << result.status();
  const ImportReport& report = result->report;
  EXPECT_EQ(report.rows_read, 6);
  EXPECT_EQ(report.rows_accepted, 2);
  ASSERT_EQ(report.rejected.size(), 4u);
  EXPECT_EQ(report.rejected[0].line, 2);
  EXPECT_NE(report.rejected[0].reason.find("at least 78"), std::string::npos);
  EXPECT_EQ(report.rejected[1].line, 3);
  EXPECT_NE(report.rejected[1].reason.find("duplicate code E11"), std::string::npos);
  EXPECT_EQ(report.rejected[2].line, 4);
  EXPECT_NE(report.rejected[2].reason.find("not 0 or 1"), std::string::npos);
  EXPECT_EQ(report.rejected[3].line, 5);
  EXPECT_EQ(report.rejected[3].file, path);
}

TEST(Icd10OrderImporterTest, RefusesNonIcd10Editions) {
  Edition e = Cm();
  e.system = CodeSystem::kHcpcs;
  EXPECT_EQ(ImportIcd10OrderFile("x", e).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Icd10OrderAddendaTest, MarksNewRevisedDeletedAndReplacements) {
  std::string order = testing::WriteTempFile(
      "order_for_addenda.txt", OrderLine(1, "B88", '0', "Other infestations") +
                                   OrderLine(2, "B880", '0', "Other acariasis") +
                                   OrderLine(3, "B8801", '1', "Demodex") +
                                   OrderLine(4, "B8809", '1', "Other acariasis") +
                                   OrderLine(5, "L02212", '1', "Cutaneous abscess of back"));
  auto add = [](const std::string& kind, char flag, const std::string& code,
                const std::string& title) {
    return absl::StrFormat("%-13s%c %-7s %-60s %s\r\n", kind, flag, code, title, title);
  };
  std::string addenda = testing::WriteTempFile(
      "addenda.txt",
      add("Delete:", '1', "B880", "Other acariasis") + add("Add:", '0', "B880", "Other acariasis") +
          add("Add:", '1', "B8801", "Demodex") + add("Delete:", '1', "B8810", "Gone code") +
          add("Revise from:", '1', "L02212", "Old title") +
          add("Revise to:", '1', "L02212", "Cutaneous abscess of back") +
          add("Add:", '1', "B8899", "Missing from order file") +
          add("Add:", '1', "B8801", "Demodex") + "\r\nCodes\r\n  5 codes\r\n");
  auto result = ImportIcd10OrderFile(order, Cm());
  ASSERT_TRUE(result.ok());
  auto report = ApplyIcd10OrderAddenda(addenda, &*result);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows_read, 8);
  EXPECT_EQ(report->lines_skipped, 3);
  ASSERT_EQ(report->rejected.size(), 2u);
  EXPECT_EQ(report->rejected[0].line, 8);  // Second "Add: B8801".
  EXPECT_NE(report->rejected[0].reason.find("duplicate Add"), std::string::npos);
  EXPECT_EQ(report->rejected[1].line, 7);
  EXPECT_NE(report->rejected[1].reason.find("not in the order file"), std::string::npos);

  const auto& r = result->records;
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[1].change_status, ChangeStatus::kRevised);  // B880
  EXPECT_EQ(r[2].change_status, ChangeStatus::kNew);      // B8801
  EXPECT_EQ(r[3].change_status, ChangeStatus::kUnchanged);
  EXPECT_EQ(r[4].change_status, ChangeStatus::kRevised);  // L02212
  EXPECT_EQ(r[5].code, "B8810");
  EXPECT_EQ(r[5].change_status, ChangeStatus::kDeleted);
  EXPECT_EQ(r[5].long_title, "Gone code");
  EXPECT_EQ(r[5].parent_code, "B88");
  EXPECT_TRUE(r[5].replacement_codes.empty());
}

TEST(Icd10OrderAddendaTest, PcsTableHeadersAreAddedAndRevisedLikeCodes) {
  const Edition pcs{CodeSystem::kIcd10Pcs, "icd10pcs-test", "ICD-10-PCS TEST",
                    absl::CivilDay(2025, 10, 1), ""};
  std::string order = testing::WriteTempFile(
      "pcs_order.txt", OrderLine(1, "09X", '0', "Ear, Nose, Sinus, Transfer") +
                           OrderLine(2, "09XK0Z1", '1', "Transfer Nose Sft Tiss") +
                           OrderLine(3, "6A4", '0', "Hypotherm") +
                           OrderLine(4, "6A4Z0ZZ", '1', "Hypothermia, Single"));
  // PCS addenda lines have no flag column: the code starts at column 14.
  auto line = [](const std::string& kind, const std::string& code, const std::string& title) {
    return absl::StrFormat("%-13s%-7s %-60s %s\r\n", kind, code, title, title);
  };
  std::string addenda = testing::WriteTempFile(
      "pcs_addenda.txt", line("Add:", "09X", "Ear, Nose, Sinus, Transfer") +
                             line("Add:", "09XK0Z1", "Transfer Nose Sft Tiss") +
                             line("Revise from:", "6A4", "Hypothermia") +
                             line("Revise to:", "6A4", "Hypotherm") +
                             line("Add:", "0AB", "Header not in the order file"));
  auto result = ImportIcd10OrderFile(order, pcs);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->report.clean());
  auto report = ApplyIcd10OrderAddenda(addenda, &*result);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows_read, 5);
  EXPECT_EQ(report->rows_accepted, 5);
  ASSERT_EQ(report->rejected.size(), 1u);
  EXPECT_EQ(report->rejected[0].line, 5);
  EXPECT_NE(report->rejected[0].reason.find("not in the order file"), std::string::npos);
  const auto& r = result->records;
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].change_status, ChangeStatus::kNew);  // 09X
  EXPECT_FALSE(r[0].billable);
  EXPECT_EQ(r[1].change_status, ChangeStatus::kNew);      // 09XK0Z1
  EXPECT_EQ(r[2].change_status, ChangeStatus::kRevised);  // 6A4
  EXPECT_EQ(r[3].change_status, ChangeStatus::kUnchanged);
}

}  // namespace
}  // namespace openencoder::catalogue
