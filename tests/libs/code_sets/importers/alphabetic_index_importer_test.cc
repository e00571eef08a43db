#include "libs/code_sets/importers/alphabetic_index_importer.h"

#include <algorithm>
#include <string>

#include "gtest/gtest.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

Edition IndexEdition() {
  return {CodeSystem::kIcd10Cm, "icd10cm-index-test", "ICD-10-CM Index TEST",
          absl::CivilDay(2022, 10, 1), ""};
}

// Lines numbered from 1 as in the file below.
const char kIndex[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"                      // 1
    "<ICD10CM.index>\r\n"                                                 // 2
    "  <version>2023</version>\r\n"                                       // 3
    "  <letter><title>A</title>\r\n"                                      // 4
    "    <mainTerm><title>Attack, attacks</title>\r\n"                    // 5
    "      <term level=\"1\"><title>heart</title>\r\n"                    // 6
    "        <see>Infarct, myocardium</see></term>\r\n"                   // 7
    "      <term level=\"1\"><title>bad</title><code>E1X.?</code>\r\n"    // 8
    "        <term level=\"2\"><title>worse</title><code>R69</code>\r\n"  // 9
    "      </term></term>\r\n"                                            // 10
    "    </mainTerm>\r\n"                                                 // 11
    "  </letter>\r\n"                                                     // 12
    "  <letter><title>D</title>\r\n"                                      // 13
    "    <mainTerm><title>Diabetes, diabetic<nemod>(mellitus) (sugar)</nemod></title>\r\n"
    "      <code>E11.9</code>\r\n"  // 15
    "      <term level=\"1\"><title>type 2</title><code>E11.9</code>\r\n"
    "        <term level=\"2\"><title>with</title>\r\n"  // 17
    "          <term level=\"3\"><title>chronic kidney disease</title><code>E11.22</code>"
    "</term></term></term>\r\n"  // 18
    "      <term level=\"1\"><title>sugar</title><seeAlso>category E11</seeAlso></term>\r\n"
    "      <term level=\"1\"><title>tumor</title><see>Neoplasm, malignant, by site</see>"
    "</term>\r\n"                                           // 20
    "    </mainTerm>\r\n"                                   // 21
    "  </letter>\r\n"                                       // 22
    "  <letter><title>I</title>\r\n"                        // 23
    "    <mainTerm><title>Infarct, infarction</title>\r\n"  // 24
    "      <term level=\"1\"><title>myocardium, myocardial<nemod>(acute)</nemod></title>\r\n"
    "        <code>I21.9</code></term>\r\n"  // 26
    "      <term level=\"1\"><title>nowhere</title><see>Spleen, floating, nowhere</see>"
    "</term>\r\n"          // 27
    "    </mainTerm>\r\n"  // 28
    "  </letter>\r\n"      // 29
    "</ICD10CM.index>\r\n";

const CodeIndexEntry* FindEntry(const AlphabeticIndexImport& r, const std::string& code,
                                const std::string& path) {
  auto it = std::find_if(r.entries.begin(), r.entries.end(), [&](const CodeIndexEntry& e) {
    return e.code == code && e.entry.path == path;
  });
  return it == r.entries.end() ? nullptr : &*it;
}

TEST(AlphabeticIndexImporterTest, ReadsTermsPathsCodesAndReferences) {
  auto result =
      ImportAlphabeticIndex(testing::WriteTempFile("index_ok.xml", kIndex), IndexEdition());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->version, "2023");
  EXPECT_EQ(result->main_terms, 3);
  EXPECT_EQ(result->report.rows_read, 13);
  EXPECT_EQ(result->report.rows_accepted, 12);  // "bad" is refused.

  // The nonessential modifier is kept apart from the title and the path.
  const IndexTerm& diabetes = result->terms[3];
  EXPECT_EQ(diabetes.title, "Diabetes, diabetic");
  EXPECT_EQ(diabetes.nemod, "(mellitus) (sugar)");
  EXPECT_EQ(diabetes.line, 14);

  const CodeIndexEntry* ckd =
      FindEntry(*result, "E1122", "Diabetes, diabetic, type 2, with, chronic kidney disease");
  ASSERT_NE(ckd, nullptr);
  EXPECT_TRUE(ckd->entry.see.empty());

  // "Attack, heart -> see Infarct, myocardium" leads to I21.9.
  const CodeIndexEntry* heart = FindEntry(*result, "I219", "Attack, attacks, heart");
  ASSERT_NE(heart, nullptr);
  EXPECT_EQ(heart->entry.see, "Infarct, myocardium");
  EXPECT_FALSE(heart->entry.see_also);

  // "see also category E11" names a category to pick a child of.
  const CodeIndexEntry* sugar = FindEntry(*result, "E11", "Diabetes, diabetic, sugar");
  ASSERT_NE(sugar, nullptr);
  EXPECT_TRUE(sugar->entry.subdivided);
  EXPECT_TRUE(sugar->entry.see_also);

  // The subterm of a refused term hangs under its nearest accepted ancestor.
  EXPECT_NE(FindEntry(*result, "R69", "Attack, attacks, worse"), nullptr);

  EXPECT_EQ(result->see_references, 4);
  EXPECT_EQ(result->see_to_terms, 1);
  EXPECT_EQ(result->see_to_codes, 1);
  EXPECT_EQ(result->see_to_tables, 1);
  EXPECT_EQ(result->see_to_term_heads, 0);

  // Rejected with line numbers: the malformed code, and a reference to a
  // main term the index does not have.
  const ImportReport& report = result->report;
  ASSERT_EQ(report.rejected.size(), 2u);
  EXPECT_EQ(report.rejected[0].line, 8);
  EXPECT_NE(report.rejected[0].reason.find("\"E1X.?\" is not an ICD-10-CM code"),
            std::string::npos);
  EXPECT_EQ(report.rejected[1].line, 27);
  EXPECT_NE(report.rejected[1].reason.find("Spleen, floating, nowhere"), std::string::npos);
}

TEST(AlphabeticIndexImporterTest, ResolvesLooselyWrittenReferences) {
  auto result =
      ImportAlphabeticIndex(testing::WriteTempFile("index_resolve.xml", kIndex), IndexEdition());
  ASSERT_TRUE(result.ok()) << result.status();
  SeeResolver resolver(result->terms);
  // Any of a main term's names; modifiers in parentheses; "NEC"; case.
  SeeTarget t = resolver.Resolve("infarction, Myocardium (acute) NEC");
  EXPECT_EQ(t.kind, SeeTarget::Kind::kTerm);
  ASSERT_GE(t.term, 0);
  EXPECT_EQ(result->terms[t.term].path, "Infarct, infarction, myocardium, myocardial");
  // Only the head matches: resolved to the head, flagged as such.
  t = resolver.Resolve("Diabetes, type 9");
  EXPECT_EQ(t.kind, SeeTarget::Kind::kTermHead);
  EXPECT_EQ(result->terms[t.term].title, "Diabetes, diabetic");
  EXPECT_EQ(resolver.Resolve("condition").kind, SeeTarget::Kind::kInstruction);
  EXPECT_EQ(resolver.Resolve("Table of Drugs and Chemicals, by drug").kind,
            SeeTarget::Kind::kTable);
  t = resolver.Resolve("subcategory M14.8-");
  EXPECT_EQ(t.kind, SeeTarget::Kind::kCodes);
  ASSERT_EQ(t.codes.size(), 1u);
  EXPECT_EQ(t.codes[0].code, "M148");
}

TEST(AlphabeticIndexImporterTest, RefusesOtherFiles) {
  EXPECT_EQ(ImportAlphabeticIndex("/nonexistent/index.xml", IndexEdition()).status().code(),
            absl::StatusCode::kNotFound);
  auto tabular =
      ImportAlphabeticIndex(testing::WriteTempFile("tabular.xml",
                                                   "<ICD10CM.tabular><version>2023</version>"
                                                   "</ICD10CM.tabular>"),
                            IndexEdition());
  EXPECT_EQ(tabular.status().code(), absl::StatusCode::kInvalidArgument);
  auto broken = ImportAlphabeticIndex(
      testing::WriteTempFile("broken.xml", "<ICD10CM.index>\n<letter>\n"), IndexEdition());
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace openencoder::catalogue
