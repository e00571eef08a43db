// Imports the real public code-set files under $OE_SHARED_DATA and checks
// the row counts their PROVENANCE.md documents and a few known rows.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "libs/code_sets/importers/alphabetic_index_importer.h"
#include "libs/code_sets/importers/fee_calculator.h"
#include "libs/code_sets/importers/fee_schedule_importer.h"
#include "libs/code_sets/importers/gem_importer.h"
#include "libs/code_sets/importers/hcpcs_importer.h"
#include "libs/code_sets/importers/icd10_order_importer.h"
#include "libs/code_sets/importers/icd10cm_tabular_importer.h"
#include "libs/code_sets/importers/modifier_tsv_importer.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

using testing::SharedData;

template <typename T>
const T* Find(const std::vector<T>& v, absl::string_view code) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& r) { return r.code == code; });
  return it == v.end() ? nullptr : &*it;
}

std::string FirstRejects(const ImportReport& report) {
  std::string out;
  for (size_t i = 0; i < report.rejected.size() && i < 5; ++i) {
    out += std::to_string(report.rejected[i].line) + ": " + report.rejected[i].reason + "\n";
  }
  return out;
}

Edition Icd10CmFy2026() {
  return {CodeSystem::kIcd10Cm, "icd10cm-fy2026", "ICD-10-CM FY2026", absl::CivilDay(2025, 10, 1),
          ""};
}

TEST(RealFilesTest, Icd10CmOrderFileHasAllRowsAndKnownCodes) {
  auto result = ImportIcd10OrderFile(SharedData("icd10cm/icd10cm-order-2026.txt"), Icd10CmFy2026());
  ASSERT_TRUE(result.ok()) << result.status();
  const ImportReport& report = result->report;
  EXPECT_TRUE(report.clean()) << FirstRejects(report);
  EXPECT_EQ(report.rows_read, 98186);
  EXPECT_EQ(report.rows_accepted, 98186);
  ASSERT_EQ(result->records.size(), 98186u);
  size_t billable = std::count_if(result->records.begin(), result->records.end(),
                                  [](const CodeRecord& r) { return r.billable; });
  EXPECT_EQ(billable, 74719u);
  EXPECT_EQ(result->records.size() - billable, 23467u);
  for (const CodeRecord& r : result->records) {
    ASSERT_GE(r.chapter, 1) << r.code;
    ASSERT_LE(r.chapter, 22) << r.code;
  }

  const CodeRecord* e119 = Find(result->records, "E119");
  ASSERT_NE(e119, nullptr);
  EXPECT_EQ(e119->display_code, "E11.9");
  EXPECT_EQ(e119->long_title, "Type 2 diabetes mellitus without complications");
  EXPECT_TRUE(e119->billable);
  EXPECT_EQ(e119->parent_code, "E11");
  EXPECT_EQ(e119->category, "E11");
  EXPECT_EQ(e119->chapter, 4);
  EXPECT_EQ(e119->order_number, 4416u);
  EXPECT_EQ(e119->edition_id, "icd10cm-fy2026");

  // T81.4XXA was split into T81.40XA.. in FY2024; its children remain.
  EXPECT_EQ(Find(result->records, "T814XXA"), nullptr);
  const CodeRecord* t8140xa = Find(result->records, "T8140XA");
  ASSERT_NE(t8140xa, nullptr);
  EXPECT_EQ(t8140xa->display_code, "T81.40XA");
  EXPECT_EQ(t8140xa->chapter, 19);
  EXPECT_EQ(t8140xa->parent_code, "T8140");
  const CodeRecord* qa00101 = Find(result->records, "QA00101");  // New in FY2026.
  ASSERT_NE(qa00101, nullptr);
  EXPECT_EQ(qa00101->chapter, 17);
  EXPECT_EQ(qa00101->display_code, "QA0.0101");
  const CodeRecord* a00 = Find(result->records, "A00");
  ASSERT_NE(a00, nullptr);
  EXPECT_FALSE(a00->billable);
  EXPECT_EQ(a00->parent_code, "");
}

TEST(RealFilesTest, Icd10CmAddendaMarksNewRevisedAndDeletedCodes) {
  auto result = ImportIcd10OrderFile(SharedData("icd10cm/icd10cm-order-2026.txt"), Icd10CmFy2026());
  ASSERT_TRUE(result.ok()) << result.status();
  auto addenda =
      ApplyIcd10OrderAddenda(SharedData("icd10cm/icd10cm-order-addenda-2026.txt"), &*result);
  ASSERT_TRUE(addenda.ok()) << addenda.status();
  EXPECT_TRUE(addenda->clean()) << FirstRejects(*addenda);
  // 487 + 143 Add, 28 Delete, 45 Revise from/to pairs.
  EXPECT_EQ(addenda->rows_read, 487 + 143 + 28 + 2 * 45);

  const CodeRecord* b8801 = Find(result->records, "B8801");
  ASSERT_NE(b8801, nullptr);
  EXPECT_EQ(b8801->change_status, ChangeStatus::kNew);
  const CodeRecord* b880 = Find(result->records, "B880");  // Billable -> header.
  ASSERT_NE(b880, nullptr);
  EXPECT_EQ(b880->change_status, ChangeStatus::kRevised);
  EXPECT_FALSE(b880->billable);
  const CodeRecord* l02212 = Find(result->records, "L02212");
  ASSERT_NE(l02212, nullptr);
  EXPECT_EQ(l02212->change_status, ChangeStatus::kRevised);

  size_t deleted = 0;
  for (const CodeRecord& r : result->records) {
    if (r.change_status == ChangeStatus::kDeleted) {
      ++deleted;
      EXPECT_FALSE(r.long_title.empty()) << r.code;
    }
  }
  // 28 deletions; those that became headers (like B880) are still codes.
  EXPECT_GT(deleted, 0u);
  EXPECT_LE(deleted, 28u);
  EXPECT_EQ(result->records.size(), 98186u + deleted);
}

TEST(RealFilesTest, Icd10PcsOrderFileHasAllRows) {
  auto result = ImportIcd10OrderFile(SharedData("icd10pcs/icd10pcs_order_2026.txt"),
                                     {CodeSystem::kIcd10Pcs, "icd10pcs-fy2026", "ICD-10-PCS FY2026",
                                      absl::CivilDay(2025, 10, 1), ""});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->report.clean()) << FirstRejects(result->report);
  EXPECT_EQ(result->report.rows_accepted, 80029);
  size_t valid = std::count_if(result->records.begin(), result->records.end(),
                               [](const CodeRecord& r) { return r.billable; });
  EXPECT_EQ(valid, 79115u);
  const CodeRecord* r = Find(result->records, "0016070");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->parent_code, "001");
  EXPECT_EQ(r->display_code, "0016070");
}

TEST(RealFilesTest, Icd10PcsAddendaAppliesCleanlyIncludingTableHeaders) {
  auto result = ImportIcd10OrderFile(SharedData("icd10pcs/icd10pcs_order_2026.txt"),
                                     {CodeSystem::kIcd10Pcs, "icd10pcs-fy2026", "ICD-10-PCS FY2026",
                                      absl::CivilDay(2025, 10, 1), ""});
  ASSERT_TRUE(result.ok()) << result.status();
  auto addenda = ApplyIcd10OrderAddenda(SharedData("icd10pcs/order_addenda_2026.txt"), &*result);
  ASSERT_TRUE(addenda.ok()) << addenda.status();
  EXPECT_TRUE(addenda->clean()) << FirstRejects(*addenda);
  // "Add: 09X" opens a new table; "Revise from/to: 6A4" retitles one.
  const CodeRecord* x09 = Find(result->records, "09X");
  ASSERT_NE(x09, nullptr);
  EXPECT_FALSE(x09->billable);
  EXPECT_EQ(x09->change_status, ChangeStatus::kNew);
  const CodeRecord* a64 = Find(result->records, "6A4");
  ASSERT_NE(a64, nullptr);
  EXPECT_EQ(a64->change_status, ChangeStatus::kRevised);
}

TEST(RealFilesTest, Hcpcs2019FixedWidthJoinsContinuations) {
  auto result = ImportHcpcsFixedWidth(
      SharedData("hcpcs/2019-annual/HCPC2019_CONTR_ANWEB.txt"),
      {CodeSystem::kHcpcs, "hcpcs-2019", "HCPCS 2019", absl::CivilDay(2019, 1, 1), ""});
  ASSERT_TRUE(result.ok()) << result.status();
  const ImportReport& report = result->report;
  EXPECT_TRUE(report.clean()) << FirstRejects(report);
  EXPECT_EQ(report.lines_skipped, 8);  // Disclaimer lines.
  EXPECT_EQ(report.rows_read, 11622);
  EXPECT_EQ(report.rows_accepted, 11622);
  EXPECT_EQ(result->codes.size(), 6440u);
  EXPECT_EQ(result->modifiers.size(), 360u);

  const CodeRecord* g8891 = Find(result->codes, "G8891");
  ASSERT_NE(g8891, nullptr);
  EXPECT_EQ(g8891->long_title,
            "Documentation of medical reason(s) for most recent ldl-c not "
            "under control (e.g., patients with palliative goals for whom "
            "treatment of hypertension with standard treatment goals is not "
            "clinically appropriate)");
  const CodeRecord* a0021 = Find(result->codes, "A0021");
  ASSERT_NE(a0021, nullptr);
  ASSERT_NE(a0021->hcpcs, nullptr);
  EXPECT_FALSE(a0021->hcpcs->betos.empty());
  EXPECT_TRUE(a0021->added_date.has_value());
  EXPECT_NE(a0021->action_code, '\0');
  const Modifier* a1 = Find(result->modifiers, "A1");
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1->long_description, "Dressing for one wound");
  EXPECT_EQ(a1->added_date, absl::CivilDay(2002, 7, 1));
  EXPECT_EQ(a1->action_code, 'N');
}

TEST(RealFilesTest, HcpcsOct2020CsvHasCodesAndModifiers) {
  auto result = ImportHcpcsCsv(
      SharedData("hcpcs/2020-10-quarterly/HCPC2020_OCT_ANWEB.csv"),
      {CodeSystem::kHcpcs, "hcpcs-2020q4", "HCPCS 2020 Q4", absl::CivilDay(2020, 10, 1), ""});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->report.clean()) << FirstRejects(result->report);
  EXPECT_EQ(result->report.rows_read, 7197);
  EXPECT_EQ(result->codes.size(), 6825u);
  EXPECT_EQ(result->modifiers.size(), 371u);
  const Modifier* gj = Find(result->modifiers, "GJ");
  ASSERT_NE(gj, nullptr);
  EXPECT_EQ(gj->long_description,
            "\"opt out\" physician or practitioner emergency or urgent service");
  const CodeRecord* g0503 = Find(result->codes, "G0503");
  ASSERT_NE(g0503, nullptr);
  EXPECT_TRUE(absl::EndsWith(g0503->long_title,
                             " goals and are prepared for discharge from active treatment"))
      << g0503->long_title;
}

TEST(RealFilesTest, ModifierTsvHas371Modifiers) {
  auto result = ImportModifierTsv(SharedData("hcpcs-modifiers/hcpcs_level2_modifiers_2020oct.tsv"),
                                  {CodeSystem::kHcpcs, "hcpcs-2020q4", "HCPCS 2020 Q4", {}, ""});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->report.clean()) << FirstRejects(result->report);
  EXPECT_EQ(result->modifiers.size(), 371u);
  size_t terminated =
      std::count_if(result->modifiers.begin(), result->modifiers.end(),
                    [](const Modifier& m) { return m.termination_date.has_value(); });
  EXPECT_EQ(terminated, 10u);
}

TEST(RealFilesTest, GemsBothDirections) {
  Edition gems{CodeSystem::kIcd10Cm, "gems-2018", "GEMs 2018", {}, ""};
  auto forward = ImportGemFile(SharedData("gems/2018_I9gem.txt"), CodeSystem::kIcd9Cm, gems);
  ASSERT_TRUE(forward.ok()) << forward.status();
  EXPECT_TRUE(forward->report.clean()) << FirstRejects(forward->report);
  EXPECT_EQ(forward->mappings.size(), 24860u);
  const GemMapping& first = forward->mappings.front();
  EXPECT_EQ(first.source, "0010");
  EXPECT_EQ(first.target, "A000");
  EXPECT_FALSE(first.approximate);
  EXPECT_FALSE(first.no_map);

  auto backward = ImportGemFile(SharedData("gems/2018_I10gem.txt"), CodeSystem::kIcd10Cm, gems);
  ASSERT_TRUE(backward.ok()) << backward.status();
  EXPECT_TRUE(backward->report.clean()) << FirstRejects(backward->report);
  EXPECT_EQ(backward->mappings.size(), 81593u);
  // The official file writes V5889 in lower case on one line, and only there.
  ASSERT_EQ(backward->report.corrected.size(), 1u);
  EXPECT_EQ(backward->report.corrected[0].line, 73170);
  size_t no_map = std::count_if(backward->mappings.begin(), backward->mappings.end(),
                                [](const GemMapping& m) { return m.no_map; });
  EXPECT_GT(no_map, 0u);
}

TEST(RealFilesTest, Icd9TitlesConvertLatin1) {
  auto result = ImportIcd9Titles(SharedData("icd9cm/CMS32_DESC_LONG_DX.txt"),
                                 {CodeSystem::kIcd9Cm, "icd9cm-v32", "ICD-9-CM v32", {}, ""},
                                 /*short_titles=*/false, TextEncoding::kLatin1);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->report.clean()) << FirstRejects(result->report);
  EXPECT_EQ(result->records.size(), 14567u);
  size_t accented = 0;
  for (const CodeRecord& r : result->records) {
    if (r.long_title.find("M\xC3\xA9ni\xC3\xA8re") != std::string::npos) ++accented;
  }
  EXPECT_GT(accented, 0u);
  const CodeRecord* r = Find(result->records, "0010");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->display_code, "001.0");

  auto procedures =
      ImportIcd9Titles(SharedData("icd9cm/CMS32_DESC_SHORT_SG.txt"),
                       {CodeSystem::kIcd9CmProcedure, "icd9pcs-v32", "ICD-9-CM v32 Vol. 3", {}, ""},
                       /*short_titles=*/true, TextEncoding::kUtf8);
  ASSERT_TRUE(procedures.ok()) << procedures.status();
  EXPECT_TRUE(procedures->report.clean()) << FirstRejects(procedures->report);
  EXPECT_EQ(procedures->records.size(), 3882u);
}

TEST(RealFilesTest, FeeFor99213InManhattan) {
  Edition cy2024{CodeSystem::kCpt, "mpfs-2024c", "MPFS CY2024 RVU24C", absl::CivilDay(2024, 7, 1),
                 ""};
  auto rvus =
      ImportRvuCsv(SharedData("mpfs-rvu/PPRRVU24_JUL_codes_rvus_no_descriptors.csv"), cy2024);
  ASSERT_TRUE(rvus.ok()) << rvus.status();
  EXPECT_TRUE(rvus->report.clean()) << FirstRejects(rvus->report);
  EXPECT_EQ(rvus->rows.size(), 18664u);
  EXPECT_DOUBLE_EQ(rvus->conversion_factor, kCy2024ConversionFactor);
  auto gpcis = ImportGpciCsv(SharedData("mpfs-rvu/GPCI2024_rvu24c.csv"), cy2024);
  ASSERT_TRUE(gpcis.ok()) << gpcis.status();
  EXPECT_TRUE(gpcis->report.clean()) << FirstRejects(gpcis->report);
  EXPECT_EQ(gpcis->localities.size(), 109u);

  auto rvu = std::find_if(rvus->rows.begin(), rvus->rows.end(),
                          [](const RvuRow& r) { return r.code == "99213" && r.modifier.empty(); });
  ASSERT_NE(rvu, rvus->rows.end());
  EXPECT_DOUBLE_EQ(rvu->work_rvu, 1.30);
  EXPECT_DOUBLE_EQ(rvu->non_facility_pe_rvu, 1.33);
  EXPECT_DOUBLE_EQ(rvu->facility_pe_rvu, 0.56);
  auto manhattan = std::find_if(gpcis->localities.begin(), gpcis->localities.end(),
                                [](const Gpci& g) { return g.locality_name == "MANHATTAN"; });
  ASSERT_NE(manhattan, gpcis->localities.end());
  auto hawaii = std::find_if(gpcis->localities.begin(), gpcis->localities.end(),
                             [](const Gpci& g) { return g.locality_name == "HAWAII, GUAM"; });
  EXPECT_NE(hawaii, gpcis->localities.end());  // Quoted comma survived.

  auto fee = ComputeMedicareFee(*rvu, *manhattan, PlaceOfService::kNonFacility,
                                rvus->conversion_factor, 2024);
  ASSERT_TRUE(fee.ok()) << fee.status();
  // ((1.30 x 1.065) + (1.33 x 1.166) + (0.10 x 1.656)) x 33.2875 = 103.22
  EXPECT_DOUBLE_EQ(fee->amount, 103.22);
  EXPECT_NE(fee->formula.find("CY2024 non-facility"), std::string::npos);
  auto facility = ComputeMedicareFee(*rvu, *manhattan, PlaceOfService::kFacility,
                                     rvus->conversion_factor, 2024);
  ASSERT_TRUE(facility.ok());
  // ((1.30 x 1.065) + (0.56 x 1.166) + (0.10 x 1.656)) x 33.2875 = 73.33
  EXPECT_DOUBLE_EQ(facility->amount, 73.33);
}

// Counts from icd10cm-tabular/PROVENANCE.md (checked there with python3's
// xml.etree): every <diag>, chapter, section and note element.
TEST(RealFilesTest, Icd10CmTabularXmlHasEveryDiagAndNote) {
  auto t = ImportIcd10CmTabular(
      SharedData("icd10cm-tabular/icd10cm_tabular_2023.xml"),
      {CodeSystem::kIcd10Cm, "icd10cm-tabular-fy2023", "ICD-10-CM Tabular FY2023", {}, ""});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->report.clean()) << FirstRejects(t->report);
  EXPECT_EQ(t->version, "2023");
  EXPECT_EQ(t->report.rows_read, 45869);
  EXPECT_EQ(t->report.rows_accepted, 45869);
  EXPECT_EQ(t->chapters, 22);
  EXPECT_EQ(t->sections, 296);
  EXPECT_EQ(t->nodes.size(), 45869u + 22 + 296);
  // <note> elements per kind of note element (python3 xml.etree on the
  // same file; the introduction's 8 notes are not data).
  std::array<int, 9> by_kind{};
  size_t seventh_defs = 0;
  for (const TabularNode& n : t->nodes) {
    for (const TabularNote& note : n.notes) ++by_kind[static_cast<int>(note.kind)];
    if (!n.seventh_characters.empty()) ++seventh_defs;
  }
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kIncludes)], 1023);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kInclusionTerm)], 12064);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kExcludes1)], 5438);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kExcludes2)], 2339);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kCodeFirst)], 748);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kUseAdditionalCode)], 1431);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kCodeAlso)], 445);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kNote)], 178);
  EXPECT_EQ(by_kind[static_cast<int>(TabularNoteKind::kSeventhCharacterNote)], 507);
  EXPECT_EQ(t->notes, 24173);
  EXPECT_EQ(seventh_defs, 507u);
  const TabularNode* e1122 = nullptr;
  for (const TabularNode& n : t->nodes) {
    if (n.name == "E1122") e1122 = &n;
  }
  ASSERT_NE(e1122, nullptr);
  ASSERT_EQ(e1122->notes.size(), 1u);
  EXPECT_EQ(TabularNoteSentence(e1122->notes[0].kind, e1122->notes[0].text),
            "Use additional code to identify stage of chronic kidney disease (N18.1-N18.6)");
}

// The FY2023 Alphabetic Index: every term of the file read (PROVENANCE.md
// counts 8,060 main terms and 72,058 subterms), and every see / see-also
// reference resolves to a term, a category or one of the index's tables.
TEST(RealFilesTest, AlphabeticIndexHasAllTermsAndEverySeeTargetResolves) {
  Edition edition{CodeSystem::kIcd10Cm, "icd10cm-index-fy2023", "ICD-10-CM Index FY2023",
                  absl::CivilDay(2022, 10, 1), ""};
  auto result =
      ImportAlphabeticIndex(SharedData("icd10cm-tabular/icd10cm_index_2023.xml"), edition);
  ASSERT_TRUE(result.ok()) << result.status();
  const ImportReport& report = result->report;
  EXPECT_EQ(result->version, "2023");
  EXPECT_EQ(result->main_terms, 8060);
  EXPECT_EQ(report.rows_read, 8060 + 72058);
  EXPECT_EQ(report.rows_accepted, 8060 + 72058);
  EXPECT_TRUE(report.clean()) << report.rejected.size() << " rejected\n" << FirstRejects(report);
  if (std::getenv("OE_PRINT_REJECTS") != nullptr) {
    for (const RejectedRow& r : report.rejected)
      std::printf("%lld: %s\n", static_cast<long long>(r.line), r.reason.c_str());
  }
  std::printf(
      "see references %lld: term %lld, term head %lld, codes %lld, tables %lld, "
      "instructions %lld\n",
      static_cast<long long>(result->see_references), static_cast<long long>(result->see_to_terms),
      static_cast<long long>(result->see_to_term_heads),
      static_cast<long long>(result->see_to_codes), static_cast<long long>(result->see_to_tables),
      static_cast<long long>(result->see_instructions));
  EXPECT_EQ(result->see_references, 12077 + 1997);
  EXPECT_EQ(result->see_to_terms + result->see_to_term_heads + result->see_to_codes +
                result->see_to_tables + result->see_instructions,
            result->see_references);
  // Most references name their term exactly; the rest name a main term whose
  // subterms were reworded since (counted, never guessed at).
  EXPECT_GT(result->see_to_terms, result->see_references * 8 / 10);

  auto has = [&](const std::string& code, const std::string& path, const std::string& see) {
    return std::any_of(result->entries.begin(), result->entries.end(),
                       [&](const CodeIndexEntry& e) {
                         return e.code == code && e.entry.path == path && e.entry.see == see;
                       });
  };
  EXPECT_TRUE(has("I219", "Attack, attacks, heart", "infarct, myocardium"));
  EXPECT_TRUE(has("E1122", "Diabetes, diabetic, type 2, with, chronic kidney disease", ""));
  EXPECT_TRUE(has("Q8719", "Aarskog's syndrome", ""));
}

}  // namespace
}  // namespace openencoder::catalogue
