// The packed document store gives back every field of every document as it
// was added: Lookup returns what the builder was given (within the entries
// the builder keeps).
#include "libs/search_engine/doc_store.h"

#include <tuple>

#include "gtest/gtest.h"

namespace openencoder::search::internal {
namespace {

// Every field but the index terms as one tuple, so a test compares them all at
// once and a failure prints both sides field by field.
auto Fields(const SearchDocument& d) {
  return std::tie(d.system, d.code, d.display_code, d.title, d.short_title, d.plain_language,
                  d.lay_terms, d.billable, d.deleted, d.chapter, d.effective_from, d.effective_to);
}
auto Fields(const IndexTermRef& t) {
  return std::tie(t.path, t.modifiers, t.words, t.see, t.subdivided, t.category);
}

void ExpectSame(const SearchDocument& a, const SearchDocument& b) {
  EXPECT_EQ(Fields(a), Fields(b));
  ASSERT_EQ(a.index_terms.size(), b.index_terms.size());
  for (size_t i = 0; i < a.index_terms.size(); ++i) {
    EXPECT_EQ(Fields(a.index_terms[i]), Fields(b.index_terms[i]));
  }
}

std::vector<SearchDocument> Documents() {
  std::vector<SearchDocument> docs(3);
  docs[0].system = "ICD10CM";
  docs[0].code = "I219";
  docs[0].display_code = "I21.9";
  docs[0].title = "Acute myocardial infarction, unspecified";
  docs[0].short_title = "AMI NOS";
  docs[0].billable = true;
  docs[0].chapter = "Diseases of the circulatory system";
  docs[0].index_terms = {{"Attack, attacks, heart", "", 2, "infarct, myocardium", false, "I21.-"},
                         {"Infarct, infarction, myocardium", "(acute)", 3, "", true, ""}};
  docs[0].lay_terms = {"heart attack", "", "MI"};
  docs[1].system = "HCPCS";
  docs[1].code = "E1090";
  docs[1].display_code = "E1090";
  docs[1].title = "High strength lightweight wheelchair";
  docs[1].deleted = true;
  docs[1].effective_to = absl::CivilDay(2020, 12, 31);
  docs[2].system = "ICD10CM";  // A system seen before; every optional text empty.
  docs[2].code = "A00";
  docs[2].display_code = "A00";
  docs[2].title = "Cholera";
  docs[2].plain_language = "A bacterial infection of the gut";
  docs[2].effective_from = absl::CivilDay(2015, 10, 1);
  return docs;
}

TEST(DocStoreTest, GivesBackEveryFieldAsAdded) {
  const std::vector<SearchDocument> docs = Documents();
  DocStore store;
  for (const SearchDocument& d : docs) ASSERT_TRUE(store.Add(d).ok());
  store.Finish();
  ASSERT_EQ(store.size(), docs.size());
  for (uint32_t d = 0; d < docs.size(); ++d) {
    SCOPED_TRACE(docs[d].code);
    ExpectSame(store.Get(d), docs[d]);
    EXPECT_EQ(store.system(d), docs[d].system);
    EXPECT_EQ(store.code(d), docs[d].code);
    EXPECT_EQ(store.display_code(d), docs[d].display_code);
    EXPECT_EQ(store.title(d), docs[d].title);
    EXPECT_EQ(store.billable(d), docs[d].billable);
    EXPECT_EQ(store.deleted(d), docs[d].deleted);
    EXPECT_EQ(store.has_entries(d), !docs[d].index_terms.empty());
    ASSERT_EQ(store.entry_count(d), docs[d].index_terms.size());
    for (size_t i = 0; i < store.entry_count(d); ++i) {
      EXPECT_EQ(store.entry(d, i).path, docs[d].index_terms[i].path);
      EXPECT_EQ(store.entry(d, i).see, docs[d].index_terms[i].see);
      EXPECT_EQ(store.entry(d, i).category, docs[d].index_terms[i].category);
    }
  }
}

TEST(DocStoreTest, ValidityWindowsKeepOpenBoundsOpen) {
  DocStore store;
  for (const SearchDocument& d : Documents()) ASSERT_TRUE(store.Add(d).ok());
  store.Finish();
  EXPECT_TRUE(store.ActiveOn(0, absl::CivilDay(1900, 1, 1)));  // Undated.
  EXPECT_TRUE(store.ActiveOn(1, absl::CivilDay(2020, 12, 31)));
  EXPECT_FALSE(store.ActiveOn(1, absl::CivilDay(2021, 1, 1)));
  EXPECT_TRUE(store.ActiveOn(1, absl::CivilDay(1970, 1, 1)));  // No start bound.
  EXPECT_FALSE(store.ActiveOn(2, absl::CivilDay(2015, 9, 30)));
  EXPECT_TRUE(store.ActiveOn(2, absl::CivilDay(2099, 1, 1)));  // No end bound.
}

}  // namespace
}  // namespace openencoder::search::internal
