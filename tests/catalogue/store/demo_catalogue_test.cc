// Loads the demo manifest and checks what the snapshot indexes.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "tests/support/source_paths.h"

namespace openencoder::catalogue {
namespace {

class DemoCatalogueTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LoadOptions options;
    options.today = absl::CivilDay(2026, 1, 15);
    auto result = LoadCatalogueFromManifest(test_support::DemoManifest(), options);
    ASSERT_TRUE(result.ok()) << result.status();
    result_ = new LoadResult(*std::move(result));
  }
  static void TearDownTestSuite() { delete result_; }
  const CatalogueSnapshot& snapshot() { return *result_->snapshot; }
  static LoadResult* result_;
};
LoadResult* DemoCatalogueTest::result_ = nullptr;

TEST_F(DemoCatalogueTest, EveryDemoFileLoadsWithoutRejectedRows) {
  ASSERT_EQ(result_->files.size(), 18u);
  for (const FileLoadReport& f : result_->files) {
    std::string reasons;
    for (const RejectedRow& r : f.report.rejected) {
      absl::StrAppend(&reasons, r.line, ": ", r.reason, "\n");
    }
    EXPECT_TRUE(f.report.rejected.empty()) << f.entry.path << "\n" << reasons;
    EXPECT_GT(f.report.rows_accepted, 0) << f.entry.path;
  }
  EXPECT_EQ(result_->rows_rejected, 0);
  EXPECT_TRUE(result_->warnings.empty()) << result_->warnings.front();
}

TEST_F(DemoCatalogueTest, CountsMatchTheDemoReadme) {
  EXPECT_EQ(snapshot().SortedCodes(CodeSystem::kIcd10Pcs).size(), 21u);
  EXPECT_EQ(snapshot().SortedCodes(CodeSystem::kHcpcs).size(), 36u);
  EXPECT_EQ(snapshot().SortedCodes(CodeSystem::kCpt).size(), 48u);
  EXPECT_EQ(snapshot().SortedCodes(CodeSystem::kIcd9Cm).size(), 96u);
  EXPECT_GE(snapshot().SortedCodes(CodeSystem::kIcd10Cm).size(), 199u);
  EXPECT_EQ(snapshot().ptp().size(), 26u);
  EXPECT_EQ(snapshot().cpt_ranges().size(), 38u);
}

// The demo Alphabetic Index hangs its entries on the codes, with its own
// (older) edition; "Attack, heart" reaches I21 through its see reference.
TEST_F(DemoCatalogueTest, CodesCarryTheirIndexEntries) {
  const EditionInfo* index = snapshot().index_edition();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->edition.id, "icd10cm-index-fy2023");
  EXPECT_EQ(index->edition.label, "ICD-10-CM Alphabetic Index FY2023");
  const CodeEntry* e1122 = snapshot().Find(CodeSystem::kIcd10Cm, "E1122");
  ASSERT_NE(e1122, nullptr);
  ASSERT_EQ(e1122->index_entries.size(), 1u);
  EXPECT_EQ(e1122->index_entries[0].path,
            "Diabetes, diabetic, type 2, with, chronic kidney disease");
  const CodeEntry* i21 = snapshot().Find(CodeSystem::kIcd10Cm, "I21");
  ASSERT_NE(i21, nullptr);
  ASSERT_EQ(i21->index_entries.size(), 2u);
  EXPECT_EQ(i21->index_entries[0].path, "Attack, attacks, heart");
  EXPECT_EQ(i21->index_entries[0].see, "Infarct, myocardium");
  EXPECT_TRUE(i21->index_entries[0].subdivided);
  EXPECT_EQ(i21->index_entries[1].path, "Infarct, infarction, myocardium, myocardial");
  const CodeEntry* e119 = snapshot().Find(CodeSystem::kIcd10Cm, "E119");
  ASSERT_NE(e119, nullptr);
  EXPECT_EQ(e119->index_entries.size(), 2u);  // "Diabetes", "Diabetes, type 2".
}

TEST_F(DemoCatalogueTest, FindsCodesWithNotesAndHierarchy) {
  const CodeEntry* e119 = snapshot().Find(CodeSystem::kIcd10Cm, "E119");
  ASSERT_NE(e119, nullptr);
  EXPECT_EQ(e119->record.display_code, "E11.9");
  EXPECT_FALSE(e119->plain_language.empty());
  ASSERT_GE(e119->parent, 0);
  const CodeEntry& e11 = snapshot().code(e119->parent);
  EXPECT_EQ(e11.record.code, "E11");
  EXPECT_NE(std::find(e11.children.begin(), e11.children.end(), snapshot().IndexOf(e119)),
            e11.children.end());
  EXPECT_EQ(snapshot().Find(CodeSystem::kIcd10Cm, "E11.9"), nullptr)
      << "Find takes canonical codes only";
}

TEST_F(DemoCatalogueTest, DeletedCptCodeKeepsItsReplacement) {
  const CodeEntry* e = snapshot().Find(CodeSystem::kCpt, "0370T");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->deleted);
  ASSERT_EQ(e->record.replacement_codes.size(), 1u);
  EXPECT_EQ(e->record.replacement_codes[0], "97156");
  EXPECT_FALSE(e->family.empty());
  EXPECT_FALSE(snapshot().Find(CodeSystem::kCpt, "97156")->deleted);
}

TEST_F(DemoCatalogueTest, TerminatedHcpcsCodeIsDeleted) {
  const CodeEntry* e = snapshot().Find(CodeSystem::kHcpcs, "J9310");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->deleted);
}

TEST_F(DemoCatalogueTest, NcciEditsAreIndexedByBothColumns) {
  EXPECT_EQ(snapshot().PtpWithColumn1("99214").size(), 1u);
  EXPECT_EQ(snapshot().PtpWithColumn2("99213").size(), 4u);
  EXPECT_TRUE(snapshot().PtpWithColumn1("E119").empty());
  ASSERT_NE(snapshot().ptp_edition(), nullptr);
  EXPECT_TRUE(snapshot().ptp_edition()->demo);
  EXPECT_NE(snapshot().ptp_edition()->notice.find("DEMO"), std::string::npos);
  const MueEdit* mue = snapshot().FindMue("99213");
  ASSERT_NE(mue, nullptr);
  EXPECT_GE(mue->units, 1);
}

TEST_F(DemoCatalogueTest, NearestCodesStartWithTheLongestPrefix) {
  auto near = snapshot().Nearest(CodeSystem::kIcd10Cm, "E1199", 5);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0]->record.code, "E119");
  EXPECT_LE(near.size(), 5u);
}

TEST_F(DemoCatalogueTest, GemsAndFeesAndModifiersAreIndexed) {
  EXPECT_FALSE(snapshot().GemsFrom(CodeSystem::kIcd10Cm, "E119").empty());
  EXPECT_FALSE(snapshot().GemsFrom(CodeSystem::kIcd9Cm, "25000").empty());
  EXPECT_NE(snapshot().FindRvu("99213", ""), nullptr);
  EXPECT_NE(snapshot().FindRvu("93000", ""), nullptr);
  EXPECT_NE(snapshot().FindLocality("09102-04"), nullptr);
  EXPECT_GT(snapshot().conversion_factor(), 30);
  const ModifierEntry* xs = snapshot().FindModifier(CodeSystem::kHcpcs, "XS");
  ASSERT_NE(xs, nullptr);
  EXPECT_TRUE(xs->ncci_associated);
  const ModifierEntry* m25 = snapshot().FindModifier(CodeSystem::kCpt, "25");
  ASSERT_NE(m25, nullptr);
  EXPECT_TRUE(m25->ncci_associated);
  EXPECT_FALSE(snapshot().FindModifier(CodeSystem::kCpt, "26")->ncci_associated);
}

TEST_F(DemoCatalogueTest, HcpcsEditionCarriesTheCmsDisclaimer) {
  const EditionInfo* hcpcs = snapshot().CodeEdition(CodeSystem::kHcpcs);
  ASSERT_NE(hcpcs, nullptr);
  EXPECT_NE(hcpcs->notice.find("does not imply any health insurance coverage"), std::string::npos);
}

TEST_F(DemoCatalogueTest, SnapshotIdIsStableForTheSameFiles) {
  auto again = LoadCatalogueFromManifest(test_support::DemoManifest(), {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->snapshot->id(), snapshot().id());
  EXPECT_FALSE(snapshot().id().empty());
}

}  // namespace
}  // namespace openencoder::catalogue
