// A small hand-made document set shared by the engine tests: a few codes of
// each system, written to exercise one kind of query each.
#ifndef OPENENCODER_TESTS_SEARCH_ENGINE_TEST_DOCUMENTS_H_
#define OPENENCODER_TESTS_SEARCH_ENGINE_TEST_DOCUMENTS_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/search_engine/index_builder.h"
#include "libs/search_engine/search_types.h"
#include "libs/search_engine/synonym_table.h"

namespace openencoder::search::testing {

inline SearchDocument Doc(std::string system, std::string code, std::string display,
                          std::string title, bool billable, std::string chapter = "") {
  SearchDocument d;
  d.system = std::move(system);
  d.code = std::move(code);
  d.display_code = std::move(display);
  d.title = std::move(title);
  d.billable = billable;
  d.chapter = std::move(chapter);
  return d;
}

inline std::vector<SearchDocument> TestDocuments() {
  std::vector<SearchDocument> docs = {
      Doc("ICD10CM", "E11", "E11", "Type 2 diabetes mellitus", false, "04"),
      Doc("ICD10CM", "E119", "E11.9", "Type 2 diabetes mellitus without complications", true, "04"),
      Doc("ICD10CM", "E1165", "E11.65", "Type 2 diabetes mellitus with hyperglycemia", true, "04"),
      Doc("ICD10CM", "E109", "E10.9", "Type 1 diabetes mellitus without complications", true, "04"),
      Doc("ICD10CM", "I10", "I10", "Essential (primary) hypertension", true, "09"),
      Doc("ICD10CM", "I110", "I11.0", "Hypertensive heart disease with heart failure", true, "09"),
      Doc("ICD10CM", "I509", "I50.9", "Heart failure, unspecified", true, "09"),
      Doc("ICD10CM", "I5020", "I50.20", "Unspecified systolic (congestive) heart failure", true,
          "09"),
      Doc("ICD10CM", "I219", "I21.9", "Acute myocardial infarction, unspecified", true, "09"),
      Doc("ICD10CM", "J110", "J11.0",
          "Influenza due to unidentified influenza virus with pneumonia", false, "10"),
      Doc("ICD10CM", "J1100", "J11.00",
          "Influenza due to unidentified influenza virus with unspecified "
          "type of pneumonia",
          true, "10"),
      Doc("ICD10CM", "J189", "J18.9", "Pneumonia, unspecified organism", true, "10"),
      Doc("ICD10CM", "J449", "J44.9", "Chronic obstructive pulmonary disease, unspecified", true,
          "10"),
      Doc("ICD10CM", "N390", "N39.0", "Urinary tract infection, site not specified", true, "14"),
      Doc("ICD10CM", "S52501A", "S52.501A",
          "Unspecified fracture of the lower end of right radius, initial "
          "encounter for closed fracture",
          true, "19"),
      Doc("ICD10CM", "S6290XA", "S62.90XA",
          "Unspecified fracture of unspecified wrist and hand, initial "
          "encounter for closed fracture",
          true, "19"),
      Doc("ICD10CM", "T814XXA", "T81.4XXA", "Infection following a procedure, initial encounter",
          true, "19"),
      Doc("ICD10CM", "K219", "K21.9", "Gastro-esophageal reflux disease without esophagitis", true,
          "11"),
      Doc("ICD10PCS", "03710ZZ", "03710ZZ",
          "Dilation of Right Internal Mammary Artery, Open Approach", true),
      Doc("ICD10PCS", "0371356", "0371356",
          "Dilation of Right Internal Mammary Artery, Bifurcation, with Drug-"
          "eluting Intraluminal Device, Percutaneous Approach",
          true),
      Doc("HCPCS", "G0008", "G0008", "Administration of influenza virus vaccine", true),
      Doc("HCPCS", "J1100", "J1100", "Injection, dexamethasone sodium phosphate, 1 mg", true),
      Doc("CPT", "99213", "99213", "Office or other outpatient visit for an established patient",
          true),
  };
  // Patient-facing text is a separate, lower-weighted field.
  docs[8].plain_language = "A heart attack";
  docs[4].lay_terms = {"High blood pressure"};
  return docs;
}

inline SynonymTable TestSynonyms() {
  absl::StatusOr<SynonymTable> table = SynonymTable::Parse(
      "term\texpansions\n"
      "chf\tcongestive heart failure|heart failure\n"
      "copd\tchronic obstructive pulmonary disease\n"
      "uti\turinary tract infection\n"
      "htn\thypertension\n"
      "mi\tmyocardial infarction\n"
      "gerd\tgastro-esophageal reflux disease\n"
      "heart attack\tmyocardial infarction\n"
      "broken wrist\tfracture of wrist\n"
      "flu shot\tinfluenza vaccine|influenza virus vaccine\n"
      "sugar diabetes\tdiabetes mellitus\n");
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *std::move(table) : SynonymTable();
}

inline std::shared_ptr<const SearchIndex> BuildTestIndex(
    std::vector<SearchDocument> docs = TestDocuments()) {
  IndexBuilder builder;
  builder.SetSynonyms(TestSynonyms());
  for (SearchDocument& doc : docs) {
    absl::Status status = builder.Add(std::move(doc));
    EXPECT_TRUE(status.ok()) << status;
  }
  absl::StatusOr<std::shared_ptr<const SearchIndex>> index = std::move(builder).Build();
  EXPECT_TRUE(index.ok()) << index.status();
  return index.ok() ? *index : nullptr;
}

}  // namespace openencoder::search::testing

#endif  // OPENENCODER_TESTS_SEARCH_ENGINE_TEST_DOCUMENTS_H_
