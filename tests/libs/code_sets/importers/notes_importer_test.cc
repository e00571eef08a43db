#include "libs/code_sets/importers/notes_importer.h"

#include "gtest/gtest.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

Edition Ours() { return {CodeSystem::kUnspecified, "notes", "Notes", {}, ""}; }

TEST(CptLicenseeTest, ReadsRowsSkipsCommentsRejectsBadOnes) {
  std::string path =
      testing::WriteTempFile("cpt.tsv",
                             "# invented rows for tests\n"
                             "99990\tTest descriptor one\tTest descriptor one, long form\n"
                             "\n"
                             "9999X\tBad code\tBad code\n"
                             "99990\tDuplicate\tDuplicate\n"
                             "0001T\tOnly two fields\n"
                             "0002U\tTest descriptor two\tTest descriptor two, long\n");
  auto result = ImportCptLicenseeFile(path, Ours());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->records.size(), 2u);
  EXPECT_EQ(result->records[0].short_title, "Test descriptor one");
  EXPECT_EQ(result->records[0].system, CodeSystem::kCpt);
  EXPECT_EQ(result->report.lines_skipped, 2);
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{4, 5, 6}));
}

TEST(CodeNotesTest, NormalizesCodesAndSplitsLayTerms) {
  std::string path =
      testing::WriteTempFile("notes.tsv",
                             "system\tcode\tfamily\tplain_language\tlay_terms\n"
                             "ICD10CM\te11.9\tDiabetes\tType 2 diabetes without problems\tsugar|"
                             "diabetes\n"
                             "HCPCS\tA0021\tAmbulance\tAmbulance outside the state\t\n"
                             "ICD10CM\tE119\tDiabetes\tDuplicate\t\n"
                             "SNOMED\t123\tx\ty\t\n"
                             "CPT\t99213\tVisits\t\t\n");
  auto result = ImportCodeNotes(path, Ours());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->notes.size(), 2u);
  EXPECT_EQ(result->notes[0].code, "E119");
  EXPECT_EQ(result->notes[0].lay_terms, (std::vector<std::string>{"sugar", "diabetes"}));
  EXPECT_TRUE(result->notes[1].lay_terms.empty());
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{4, 5, 6}));
}

TEST(CodeNotesTest, WrongHeaderRejectsTheFile) {
  auto result = ImportCodeNotes(
      testing::WriteTempFile("notes_bad.tsv", "code\tsystem\nE119\tICD10CM\n"), Ours());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->notes.empty());
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{1}));
}

}  // namespace
}  // namespace openencoder::catalogue
