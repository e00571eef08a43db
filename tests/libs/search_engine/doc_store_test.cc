// The packed document store gives back every field of every document as it
// was added: Lookup returns what the builder was given (within the entries
// the builder keeps).
#include "libs/search_engine/doc_store.h"

#include "gtest/gtest.h"

namespace openencoder::search::internal {
namespace {

void ExpectSame(const SearchDocument& a, const SearchDocument& b) {
  EXPECT_EQ(a.system, b.system);
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.display_code, b.display_code);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.short_title, b.short_title);
  EXPECT_EQ(a.plain_language, b.plain_language);
  EXPECT_EQ(a.lay_terms, b.lay_terms);
  EXPECT_EQ(a.billable, b.billable);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.chapter, b.chapter);
  EXPECT_EQ(a.effective_from, b.effective_from);
  EXPECT_EQ(a.effective_to, b.effective_to);
  ASSERT_EQ(a.index_terms.size(), b.index_terms.size());
  for (size_t i = 0; i < a.index_terms.size(); ++i) {
    const IndexTermRef& x = a.index_terms[i];
    const IndexTermRef& y = b.index_terms[i];
    EXPECT_EQ(x.path, y.path);
    EXPECT_EQ(x.modifiers, y.modifiers);
    EXPECT_EQ(x.words, y.words);
    EXPECT_EQ(x.see, y.see);
    EXPECT_EQ(x.subdivided, y.subdivided);
    EXPECT_EQ(x.category, y.category);
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
