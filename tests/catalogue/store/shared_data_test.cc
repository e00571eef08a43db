// Loads every real code set under $OE_SHARED_DATA through the shared-data
// manifest and checks that the snapshot holds what the importers read.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "tests/support/source_paths.h"

namespace openencoder::catalogue {
namespace {

class SharedDataCatalogueTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LoadOptions options;
    options.variables["OE_SHARED_DATA"] = test_support::SharedDataDir();
    auto result = LoadCatalogueFromManifest(test_support::SharedManifest(), options);
    ASSERT_TRUE(result.ok()) << result.status();
    result_ = new LoadResult(*std::move(result));
  }
  static void TearDownTestSuite() { delete result_; }
  const CatalogueSnapshot& snapshot() { return *result_->snapshot; }
  static LoadResult* result_;
};
LoadResult* SharedDataCatalogueTest::result_ = nullptr;

const FileLoadReport* FileOf(const LoadResult& r, absl::string_view suffix) {
  for (const FileLoadReport& f : r.files) {
    if (absl::EndsWith(f.entry.path, suffix)) return &f;
  }
  return nullptr;
}

TEST_F(SharedDataCatalogueTest, AllFilesLoadAndCountsMatchTheImporters) {
  ASSERT_NE(result_, nullptr);
  for (const FileLoadReport& f : result_->files) {
    std::string reasons;
    for (size_t i = 0; i < f.report.rejected.size() && i < 5; ++i) {
      absl::StrAppend(&reasons, f.report.rejected[i].line, ": ", f.report.rejected[i].reason, "\n");
    }
    EXPECT_TRUE(f.report.rejected.empty()) << f.entry.path << "\n" << reasons;
  }
  const FileLoadReport* cm = FileOf(*result_, "icd10cm-order-2026.txt");
  ASSERT_NE(cm, nullptr);
  EXPECT_EQ(cm->report.rows_accepted, 98186);
  // Codes deleted by the addenda are kept (as deleted) beside the order file.
  EXPECT_GE(snapshot().SortedCodes(CodeSystem::kIcd10Cm).size(), 98186u);
  const FileLoadReport* pcs = FileOf(*result_, "icd10pcs_order_2026.txt");
  ASSERT_NE(pcs, nullptr);
  EXPECT_EQ(pcs->report.rows_accepted, 80029);
  EXPECT_GE(snapshot().SortedCodes(CodeSystem::kIcd10Pcs).size(), 80029u);
  EXPECT_EQ(snapshot().SortedCodes(CodeSystem::kHcpcs).size(), 6825u);
  EXPECT_EQ(snapshot().SortedCodes(CodeSystem::kIcd9Cm).size(), 14567u);
  EXPECT_EQ(snapshot().GemsFrom(CodeSystem::kIcd10Cm, "E119").size(), 1u);
  const FileLoadReport* index = FileOf(*result_, "icd10cm_index_2023.xml");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->report.rows_accepted, 8060 + 72058);
}

// The FY2023 Alphabetic Index on the FY2026 codes: entries hang on their
// codes, through see references too, labelled with the index's edition.
TEST_F(SharedDataCatalogueTest, CodesCarryAlphabeticIndexEntries) {
  ASSERT_NE(result_, nullptr);
  ASSERT_NE(snapshot().index_edition(), nullptr);
  EXPECT_EQ(snapshot().index_edition()->edition.label, "ICD-10-CM Alphabetic Index FY2023");
  const CodeEntry* i219 = snapshot().Find(CodeSystem::kIcd10Cm, "I219");
  ASSERT_NE(i219, nullptr);
  bool heart_attack = false;
  for (const IndexEntry& e : i219->index_entries) {
    heart_attack |= e.path == "Attack, attacks, heart" && e.see == "infarct, myocardium";
  }
  EXPECT_TRUE(heart_attack);
  size_t with_entries = 0;
  for (int32_t i : snapshot().SortedCodes(CodeSystem::kIcd10Cm)) {
    if (!snapshot().code(i).index_entries.empty()) ++with_entries;
  }
  // PROVENANCE.md: 19,715 distinct codes referenced; a few were deleted since.
  EXPECT_GT(with_entries, 18000u);
}

TEST_F(SharedDataCatalogueTest, KnownCodesAreComplete) {
  ASSERT_NE(result_, nullptr);
  const CodeEntry* e119 = snapshot().Find(CodeSystem::kIcd10Cm, "E119");
  ASSERT_NE(e119, nullptr);
  EXPECT_EQ(e119->record.long_title, "Type 2 diabetes mellitus without complications");
  EXPECT_FALSE(e119->plain_language.empty());
  EXPECT_GE(e119->parent, 0);
  const CodeEntry* j1100 = snapshot().Find(CodeSystem::kHcpcs, "J1100");
  ASSERT_NE(j1100, nullptr);
  EXPECT_NE(j1100->record.long_title.find("dexamethasone"), std::string::npos)
      << j1100->record.long_title;
  ASSERT_NE(j1100->record.hcpcs, nullptr);
  EXPECT_NE(snapshot().FindRvu("99213", ""), nullptr);
  EXPECT_GT(snapshot().conversion_factor(), 30);
}

}  // namespace
}  // namespace openencoder::catalogue
