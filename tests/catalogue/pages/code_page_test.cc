// Code pages of the demo data set: Tabular List notes (own, inherited, for
// a code newer than the tabular edition, 7th characters), lifecycle of a
// deleted CPT code, fees, the CPT title and licence note, and the composed
// common-language text.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/catalogue/code_page_builder.h"
#include "services/catalogue/common_language.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "tests/catalogue/pages/page_test_util.h"
#include "tests/support/source_paths.h"

namespace openencoder::catalogue {
namespace {

using testing::InheritsI21Excludes2;
using testing::NoteContaining;

class CodePageTest : public testing::PageTestBase {
 protected:
  static void SetUpTestSuite() {
    LoadOptions options;
    options.today = absl::CivilDay(2026, 12, 1);
    Load(test_support::DemoManifest(), options);
  }
};

TEST_F(CodePageTest, E1122ShowsItsOwnUseAdditionalCodeNoteLabelledFy2023) {
  pb::CodePage page = Page(CodeSystem::kIcd10Cm, "E1122");
  ASSERT_TRUE(page.has_tabular());
  EXPECT_EQ(page.tabular().edition(), "ICD-10-CM Tabular FY2023");
  EXPECT_TRUE(page.tabular().code_in_edition());
  EXPECT_TRUE(page.tabular().availability_note().empty());
  const pb::TabularNote* n = NoteContaining(page, "stage of chronic kidney disease");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->text(),
            "Use additional code to identify stage of chronic kidney disease (N18.1-N18.6)");
  EXPECT_EQ(n->kind(), "Use additional code");
  EXPECT_EQ(n->origin(), "this code");
  EXPECT_EQ(n->edition(), "ICD-10-CM Tabular FY2023");
  // Inherited from category E11: its Excludes1 and its insulin note.
  const pb::TabularNote* type1 = NoteContaining(page, "type 1 diabetes mellitus (E10.-)");
  ASSERT_NE(type1, nullptr);
  EXPECT_EQ(type1->kind(), "Excludes1");
  EXPECT_EQ(type1->origin(), "from category E11");
  EXPECT_EQ(type1->origin_code().code(), "E11");
  // E11.21's inclusion terms describe E11.21 only.
  EXPECT_EQ(NoteContaining(page, "Kimmelstiel-Wilson"), nullptr);
  bool attributed = false;
  for (const pb::Attribution& a : page.attributions()) {
    attributed |= absl::StrContains(a.source(), "ICD-10-CM Tabular FY2023");
  }
  EXPECT_TRUE(attributed);
}

TEST_F(CodePageTest, E1122ListsTheIndexEntriesThatLeadToIt) {
  pb::CodePage page = Page(CodeSystem::kIcd10Cm, "E1122");
  bool found = false;
  for (const pb::IndexEntry& e : page.code().index_entries()) {
    found |= e.path() == "Diabetes, diabetic, type 2, with, chronic kidney disease";
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(page.code().index_edition_id().empty());
  const CodeEntry* e1122 = snapshot().Find(CodeSystem::kIcd10Cm, "E1122");
  bool sentence = false;
  for (const ComposedSentence& s : ComposeCommonLanguage(snapshot(), *e1122)) {
    sentence |=
        s.source == "index_entries" &&
        absl::StrContains(s.text, "Diabetes, diabetic, type 2, with, chronic kidney disease");
  }
  EXPECT_TRUE(sentence);
}

TEST_F(CodePageTest, ChildOfI21InheritsItsExcludes2) {
  EXPECT_TRUE(InheritsI21Excludes2(Page(CodeSystem::kIcd10Cm, "I214")));
}

TEST_F(CodePageTest, CodeAddedAfterTheTabularEditionShowsOnlyNotesWhoseScopeCoversIt) {
  // E11.A is FY2026's; the FY2023 XML has no entry for it.
  pb::CodePage page = Page(CodeSystem::kIcd10Cm, "E11A");
  ASSERT_TRUE(page.has_tabular());
  EXPECT_FALSE(page.tabular().code_in_edition());
  EXPECT_TRUE(
      absl::StrContains(page.tabular().availability_note(), "Code-level notes are not available"))
      << page.tabular().availability_note();
  ASSERT_GT(page.tabular().notes_size(), 0);
  for (const pb::TabularNote& n : page.tabular().notes()) {
    EXPECT_NE(n.origin(), "this code") << n.text();
    EXPECT_NE(n.kind(), "Inclusion term") << n.text();
  }
  EXPECT_NE(NoteContaining(page, "type 1 diabetes mellitus (E10.-)"), nullptr);
}

TEST_F(CodePageTest, SeventhCharacterTableOnFractureCodes) {
  pb::CodePage page = Page(CodeSystem::kIcd10Cm, "S52501A");
  ASSERT_TRUE(page.has_tabular());
  EXPECT_TRUE(page.tabular().code_in_edition());  // S52.501 plus a 7th character of S52.
  EXPECT_EQ(page.tabular().seventh_characters_origin(), "from category S52");
  ASSERT_GE(page.tabular().seventh_characters_size(), 3);
  EXPECT_EQ(page.tabular().seventh_characters(0).character(), "A");
  EXPECT_EQ(page.tabular().seventh_character_meaning(), "A: initial encounter for closed fracture");
  // Not on codes of other systems.
  EXPECT_FALSE(Page(CodeSystem::kHcpcs, "J1100").has_tabular());
}

TEST_F(CodePageTest, DeletedCptCodeIsNeverBillableAndLinksItsReplacement) {
  pb::CodePage page = Page(CodeSystem::kCpt, "0371T");
  EXPECT_EQ(page.code().status(), pb::CODE_STATUS_DELETED);
  EXPECT_FALSE(page.code().billable());
  EXPECT_EQ(page.lifecycle().status(), pb::CODE_STATUS_DELETED);
  EXPECT_EQ(page.lifecycle().termination_date().year(), 2019);
  EXPECT_EQ(page.lifecycle().termination_date().month(), 1);
  EXPECT_EQ(page.lifecycle().termination_date().day(), 1);
  ASSERT_EQ(page.lifecycle().replaced_by_size(), 1);
  EXPECT_EQ(page.lifecycle().replaced_by(0).code(), "97157");
  EXPECT_EQ(page.lifecycle().replaced_by(0).system(), pb::CODE_SYSTEM_CPT);
  EXPECT_EQ(page.lifecycle().summary(), "Deleted 2019-01-01; replaced by 97157");
}

TEST_F(CodePageTest, AddedAndRevisedCodesSayInWhichEdition) {
  EXPECT_EQ(Page(CodeSystem::kIcd10Cm, "E11A").lifecycle().summary(),
            "Active; added in ICD-10-CM FY2026");
  EXPECT_EQ(Page(CodeSystem::kIcd10Cm, "S6290").lifecycle().summary(),
            "Active; revised in ICD-10-CM FY2026");
}

TEST_F(CodePageTest, Cpt99213HasOurTitleTheLicenceNoteAndFees) {
  pb::CodePage page = Page(CodeSystem::kCpt, "99213", "13202-01");
  EXPECT_TRUE(page.descriptors().official_long().empty());
  EXPECT_TRUE(absl::StartsWith(page.descriptors().title(),
                               "Office or other outpatient visits (E/M): Returning-patient"))
      << page.descriptors().title();
  EXPECT_EQ(page.descriptors().official_note(), kCptLicenceNote);
  EXPECT_TRUE(absl::StrContains(page.descriptors().official_note(), "title above"));
  // (1.30 + 1.33 + 0.10) x 33.2875 and (1.30 + 0.56 + 0.10) x 33.2875.
  EXPECT_EQ(page.national_fee().amount_cents(), 9087);
  EXPECT_FALSE(page.national_fee().facility());
  EXPECT_EQ(page.national_facility_fee().amount_cents(), 6524);
  EXPECT_TRUE(page.national_facility_fee().facility());
  EXPECT_EQ(page.locality_fee().amount_cents(), 10322);
  EXPECT_EQ(page.locality_fee().locality_name(), "MANHATTAN");
  EXPECT_EQ(page.locality_facility_fee().amount_cents(), 7333);
  EXPECT_TRUE(absl::StrContains(page.fee_note(), "Estimate"));
  EXPECT_TRUE(absl::StrContains(page.fee_note(), "Medicare PFS CY2024 RVU24C"));
  // An unknown locality leaves the national fees.
  pb::CodePage unknown = Page(CodeSystem::kCpt, "99213", "99999-99");
  EXPECT_EQ(unknown.national_fee().amount_cents(), 9087);
  EXPECT_FALSE(unknown.has_locality_fee());
}

TEST_F(CodePageTest, HandWrittenNotesWinOverTheComposedText) {
  pb::CodePage e119 = Page(CodeSystem::kIcd10Cm, "E119");
  EXPECT_FALSE(e119.descriptors().plain_language().empty());
  EXPECT_FALSE(e119.has_common_language());
  // Every billable demo code has a hand-written note; the header E11.2 not.
  pb::CodePage e112 = Page(CodeSystem::kIcd10Cm, "E112");
  ASSERT_TRUE(e112.has_common_language());
  EXPECT_EQ(e112.common_language().label(), "Generated by OpenEncoder from the official data");
  ASSERT_GE(e112.common_language().sentences_size(), 3);
  EXPECT_EQ(e112.common_language().sentences(0).text(),
            "ICD-10-CM code E11.2 means \u201cType 2 diabetes mellitus with kidney "
            "complications\u201d.");
  bool instruction = false;
  for (const pb::GeneratedSentence& s : e112.common_language().sentences()) {
    // E11's list note is read as one sentence with its items.
    instruction |= s.source() == "tabular.instruction" &&
                   absl::StrContains(s.text(), "control using: insulin (Z79.4); oral");
  }
  EXPECT_TRUE(instruction);
  // The composer serves billable codes too (the real data has no notes).
  const CodeEntry* e1122 = snapshot().Find(CodeSystem::kIcd10Cm, "E1122");
  ASSERT_NE(e1122, nullptr);
  bool ckd = false;
  for (const ComposedSentence& s : ComposeCommonLanguage(snapshot(), *e1122)) {
    ckd |= absl::StrContains(s.text, "stage of chronic kidney disease (N18.1-N18.6)");
  }
  EXPECT_TRUE(ckd);
}

TEST_F(CodePageTest, PcsSentencesSpellOutTheAxes) {
  const CodeEntry* table = snapshot().Find(CodeSystem::kIcd10Pcs, "0DT");
  ASSERT_NE(table, nullptr);
  ASSERT_FALSE(table->children.empty());
  const CodeEntry& code = snapshot().code(table->children.front());
  std::vector<ComposedSentence> s = ComposeCommonLanguage(snapshot(), code);
  ASSERT_GE(s.size(), 3u);
  std::string all;
  for (const ComposedSentence& x : s) all += x.text + " ";
  EXPECT_TRUE(absl::StrContains(all, "the section \u201cMedical and Surgical\u201d")) << all;
  EXPECT_TRUE(absl::StrContains(all, "root operation \u201cResection\u201d")) << all;
  EXPECT_TRUE(absl::StrContains(all, "the body part (")) << all;
}

}  // namespace
}  // namespace openencoder::catalogue
