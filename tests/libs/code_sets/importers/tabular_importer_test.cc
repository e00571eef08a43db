// The ICD-10-CM Tabular XML importer on small files written here.
#include <string>

#include "gtest/gtest.h"
#include "libs/code_sets/importers/icd10cm_tabular_importer.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

using testing::WriteTempFile;

Edition Fy2023() {
  return {CodeSystem::kIcd10Cm, "icd10cm-tabular-fy2023", "ICD-10-CM Tabular FY2023", {}, ""};
}

const TabularNode* Node(const TabularImport& t, absl::string_view name) {
  for (const TabularNode& n : t.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

constexpr char kGood[] = R"(<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2023</version>
  <chapter>
    <name>19</name>
    <desc>Injury (S00-T88)</desc>
    <excludes2><note>birth trauma (P10-P15)</note></excludes2>
    <section id="S50-S59">
      <desc>Injuries to the elbow and forearm (S50-S59)</desc>
      <diag>
        <name>S52</name>
        <desc>Fracture of forearm</desc>
        <sevenChrNote><note>The appropriate 7th character is to be added</note></sevenChrNote>
        <sevenChrDef>
          <extension char="A">initial encounter for closed fracture</extension>
          <extension char="D">subsequent encounter</extension>
        </sevenChrDef>
        <diag>
          <name>S52.5</name>
          <desc>Fracture of lower end of radius</desc>
          <inclusionTerm><note>Fracture of distal
             radius</note></inclusionTerm>
          <useAdditionalCode><note>code for cause (W00-X58)</note></useAdditionalCode>
        </diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
)";

TEST(TabularImporterTest, ReadsChaptersSectionsDiagsNotesAndSeventhCharacters) {
  auto t = ImportIcd10CmTabular(WriteTempFile("tab_good.xml", kGood), Fy2023());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->report.clean());
  EXPECT_EQ(t->version, "2023");
  EXPECT_EQ(t->chapters, 1);
  EXPECT_EQ(t->sections, 1);
  EXPECT_EQ(t->report.rows_read, 2);
  EXPECT_EQ(t->report.rows_accepted, 2);
  ASSERT_EQ(t->nodes.size(), 4u);
  const TabularNode* s52 = Node(*t, "S52");
  ASSERT_NE(s52, nullptr);
  EXPECT_EQ(s52->level, TabularLevel::kCategory);
  EXPECT_EQ(t->nodes[s52->parent].name, "S50-S59");
  ASSERT_EQ(s52->seventh_characters.size(), 2u);
  EXPECT_EQ(s52->seventh_characters[0].character, 'A');
  EXPECT_EQ(s52->seventh_characters[0].meaning, "initial encounter for closed fracture");
  const TabularNode* s525 = Node(*t, "S525");
  ASSERT_NE(s525, nullptr);
  EXPECT_EQ(s525->display, "S52.5");
  EXPECT_EQ(s525->level, TabularLevel::kSubcategory);
  ASSERT_EQ(s525->notes.size(), 2u);
  EXPECT_EQ(s525->notes[0].kind, TabularNoteKind::kInclusionTerm);
  EXPECT_EQ(s525->notes[0].text, "Fracture of distal radius");  // White space collapsed.
  EXPECT_EQ(TabularNoteSentence(s525->notes[1].kind, s525->notes[1].text),
            "Use additional code for cause (W00-X58)");
  EXPECT_EQ(TabularOriginLabel(*s52, false), "from category S52");
  EXPECT_EQ(TabularOriginLabel(t->nodes[0], false), "from chapter 19");
}

TEST(TabularImporterTest, RejectsBadDiagsWithTheirLineAndKeepsTheirChildren) {
  const std::string xml = R"(<?xml version="1.0"?>
<ICD10CM.tabular>
  <chapter><name>4</name><desc>Endocrine</desc>
    <section id="E08-E13"><desc>Diabetes</desc>
      <diag>
        <name>E11</name><desc>Type 2 diabetes mellitus</desc>
        <diag>
          <name>E11.2!</name><desc>bad name</desc>
          <diag><name>E11.21</name><desc>Type 2 with nephropathy</desc></diag>
        </diag>
        <diag><name>E11.21</name><desc>again</desc></diag>
        <diag><name>E11.9</name></diag>
        <sevenChrDef><extension char="AB">two letters</extension></sevenChrDef>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
)";
  auto t = ImportIcd10CmTabular(WriteTempFile("tab_bad.xml", xml), Fy2023());
  ASSERT_TRUE(t.ok()) << t.status();
  // E11's own notes are read before its children.
  ASSERT_EQ(t->report.rejected.size(), 4u);
  EXPECT_EQ(t->report.rejected[0].line, 13);
  EXPECT_NE(t->report.rejected[0].reason.find("char=\"AB\""), std::string::npos);
  EXPECT_EQ(t->report.rejected[1].line, 7);
  EXPECT_NE(t->report.rejected[1].reason.find("E11.2!"), std::string::npos);
  EXPECT_EQ(t->report.rejected[2].line, 11);
  EXPECT_NE(t->report.rejected[2].reason.find("duplicate"), std::string::npos);
  EXPECT_EQ(t->report.rejected[3].line, 12);
  EXPECT_NE(t->report.rejected[3].reason.find("without <desc>"), std::string::npos);
  EXPECT_EQ(t->report.rows_read, 5);
  EXPECT_EQ(t->report.rows_accepted, 2);
  // E11.21 survives its rejected parent, under E11.
  const TabularNode* e1121 = Node(*t, "E1121");
  ASSERT_NE(e1121, nullptr);
  EXPECT_EQ(t->nodes[e1121->parent].name, "E11");
}

TEST(TabularImporterTest, MalformedXmlAndWrongRootAreErrorsWithTheLine) {
  auto broken = ImportIcd10CmTabular(
      WriteTempFile("tab_broken.xml", "<ICD10CM.tabular>\n<chapter>\n</chap>\n"), Fy2023());
  ASSERT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find(":3:"), std::string::npos) << broken.status();
  auto index = ImportIcd10CmTabular(
      WriteTempFile("tab_index.xml", "<ICD10CM.index><title>x</title></ICD10CM.index>"), Fy2023());
  ASSERT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(index.status().message().find("<ICD10CM.tabular>"), std::string::npos);
  auto missing = ImportIcd10CmTabular("/nonexistent/tabular.xml", Fy2023());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace openencoder::catalogue
