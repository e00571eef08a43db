// Code pages on the real files under $OE_SHARED_DATA (shared-data
// manifest): the Tabular List notes of E11.22 and I21.9, 99213's fee and
// title, and the composed common-language text of every ICD-10-CM,
// ICD-10-PCS and HCPCS code checked sentence by sentence against the data.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

class SharedDataPageTest : public testing::PageTestBase {
 protected:
  static void SetUpTestSuite() {
    LoadOptions options;
    options.variables["OE_SHARED_DATA"] = test_support::SharedDataDir();
    Load(test_support::SharedManifest(), options);
  }
};

TEST_F(SharedDataPageTest, E1122ShowsTheCkdStageNoteLabelledFy2023) {
  pb::CodePage page = Page(CodeSystem::kIcd10Cm, "E1122");
  const pb::TabularNote* n =
      NoteContaining(page, "Use additional code to identify stage of chronic kidney disease");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->text(),
            "Use additional code to identify stage of chronic kidney disease (N18.1-N18.6)");
  EXPECT_EQ(n->edition(), "ICD-10-CM Tabular FY2023");
  EXPECT_EQ(n->origin(), "this code");
  // Chapter 4's and block E08-E13's notes reach it too, labelled so.
  bool chapter = false;
  for (const pb::TabularNote& note : page.tabular().notes()) {
    chapter |= note.origin() == "from chapter 4";
  }
  EXPECT_TRUE(chapter);
}

TEST_F(SharedDataPageTest, I219ShowsTheExcludes2OfCategoryI21) {
  pb::CodePage page = Page(CodeSystem::kIcd10Cm, "I219");
  ASSERT_TRUE(InheritsI21Excludes2(page));
  EXPECT_EQ(NoteContaining(page, "old myocardial infarction (I25.2)")->edition(),
            "ICD-10-CM Tabular FY2023");
}

TEST_F(SharedDataPageTest, CodesNewerThanTheTabularSayCodeLevelNotesAreUnavailable) {
  // A41.54 is new since FY2023 (PROVENANCE.md); A41's notes cover it.
  pb::CodePage page = Page(CodeSystem::kIcd10Cm, "A4154");
  EXPECT_FALSE(page.tabular().code_in_edition());
  EXPECT_TRUE(absl::StrContains(page.tabular().availability_note(), "not available"));
  for (const pb::TabularNote& n : page.tabular().notes()) EXPECT_NE(n.origin(), "this code");
  // Extensions built from a <sevenChrDef> are the XML's codes.
  pb::CodePage fracture = Page(CodeSystem::kIcd10Cm, "S52501A");
  EXPECT_TRUE(fracture.tabular().code_in_edition());
  EXPECT_EQ(fracture.tabular().seventh_character_meaning(),
            "A: initial encounter for closed fracture");
  pb::CodePage placeholder = Page(CodeSystem::kIcd10Cm, "T8140XA");
  EXPECT_TRUE(placeholder.tabular().code_in_edition());
  EXPECT_FALSE(placeholder.tabular().seventh_character_meaning().empty());
}

TEST_F(SharedDataPageTest, Cpt99213HasATitleAndANationalFee) {
  pb::CodePage page = Page(CodeSystem::kCpt, "99213");
  EXPECT_FALSE(page.descriptors().title().empty());
  EXPECT_EQ(page.national_fee().amount_cents(), 9087);
  EXPECT_EQ(page.national_facility_fee().amount_cents(), 6524);
  EXPECT_TRUE(absl::StrContains(page.fee_note(), "Estimate"));
}

// Every sentence restates fields: each carries the field values it quotes,
// they are not empty and they appear in it verbatim. Title sentences quote
// the record's title; 7th-character sentences a meaning of the code's table.
TEST_F(SharedDataPageTest, EveryIcdPcsAndHcpcsCodeHasThreeSentencesTracedToFields) {
  int64_t codes = 0;
  int64_t sentences = 0;
  int failures = 0;
  for (CodeSystem system : {CodeSystem::kIcd10Cm, CodeSystem::kIcd10Pcs, CodeSystem::kHcpcs}) {
    for (int32_t i : snapshot().SortedCodes(system)) {
      const CodeEntry& entry = snapshot().code(i);
      const CodeRecord& r = entry.record;
      std::vector<ComposedSentence> composed = ComposeCommonLanguage(snapshot(), entry);
      ++codes;
      sentences += static_cast<int64_t>(composed.size());
      auto fail = [&](const std::string& why) {
        if (++failures <= 20)
          ADD_FAILURE() << CodeSystemName(system) << " " << r.code << ": " << why;
      };
      if (composed.size() < 3) {
        fail(absl::StrCat("only ", composed.size(), " sentences"));
        continue;
      }
      const std::string& title = r.long_title.empty() ? r.short_title : r.long_title;
      bool title_quoted = false;
      for (const ComposedSentence& s : composed) {
        if (s.source.empty()) fail(absl::StrCat("sentence without a source: ", s.text));
        if (s.evidence.empty()) fail(absl::StrCat("sentence without evidence: ", s.text));
        for (const std::string& e : s.evidence) {
          if (e.empty()) fail(absl::StrCat("empty evidence in: ", s.text));
          if (!absl::StrContains(s.text, e)) {
            fail(absl::StrCat("\"", e, "\" not in: ", s.text));
          }
        }
        if (s.source == "title") {
          title_quoted = !s.evidence.empty() && s.evidence.back() == title;
        }
        if (!absl::EndsWith(s.text, ".")) fail(absl::StrCat("not a sentence: ", s.text));
      }
      if (!title_quoted) fail("the first sentence does not quote the official title");
      if (failures > 20) break;
    }
  }
  EXPECT_EQ(failures, 0);
  // At least the FY2026 order files' ICD-10-CM 98,186 and PCS 80,029 and
  // HCPCS 6,825 (deleted codes are kept for lookups, and walked too).
  EXPECT_GE(codes, 98186 + 80029 + 6825);
  EXPECT_GE(sentences, 3 * codes);
}

}  // namespace
}  // namespace openencoder::catalogue
