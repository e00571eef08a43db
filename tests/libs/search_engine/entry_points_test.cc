// Issue 16 behaviours of the engine: the Alphabetic Index as an entry
// point (with its reason), current code sets by default, deleted codes
// below active ones, code shapes that keep systems apart, procedure words.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/search_engine/index_builder.h"
#include "libs/search_engine/procedure_terms.h"
#include "libs/search_engine/search_index.h"
#include "tests/libs/search_engine/test_documents.h"

namespace openencoder::search {
namespace {

using testing::Doc;

class EntryPointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<SearchDocument> docs;
    // I21 as the index names it ("I21.-"), reached from "Attack, heart".
    SearchDocument i21 = Doc("ICD10CM", "I21", "I21", "Acute myocardial infarction", false);
    i21.index_terms.push_back({"Attack, attacks, heart", "", 2, "infarct, myocardium", true, ""});
    docs.push_back(std::move(i21));
    docs.push_back(Doc("ICD10CM", "I210", "I21.0", "ST elevation myocardial infarction", false));
    docs.push_back(
        Doc("ICD10CM", "I2109", "I21.09", "ST elevation myocardial infarction, other", true));
    docs.push_back(
        Doc("ICD10CM", "I219", "I21.9", "Acute myocardial infarction, unspecified", true));
    docs.push_back(Doc("ICD10CM", "I200", "I20.0", "Unstable angina with heart attack risk", true));
    // Gout: the main term leads to M10.9; a rarer word starting with "gout"
    // must not outrank it.
    SearchDocument m109 = Doc("ICD10CM", "M109", "M10.9", "Gout, unspecified", true);
    m109.index_terms.push_back({"Gout, gouty", "(acute) (attack) (flare)", 1, "", false, ""});
    docs.push_back(std::move(m109));
    docs.push_back(Doc("ICD10CM", "E7981", "E79.81", "Aicardi-Goutieres syndrome", true));
    // An entry word in no title and no posting ("in", a function word):
    // the reason still matches it as text.
    SearchDocument m1a9 = Doc("ICD10CM", "M1A9", "M1A.9", "Chronic gout, unspecified", true);
    m1a9.index_terms.push_back({"Gout, chronic, in remission", "", 3, "", false, ""});
    docs.push_back(std::move(m1a9));
    // Legacy ICD-9-CM and a deleted code.
    docs.push_back(Doc("ICD9CM", "2740", "274.0", "Gouty arthropathy", true));
    docs.push_back(Doc("ICD9CM", "4660", "466.0", "Acute bronchitis", true));
    docs.push_back(Doc("ICD10CM", "J209", "J20.9", "Acute bronchitis, unspecified", true));
    SearchDocument old = Doc("ICD10CM", "J208", "J20.8", "Acute bronchitis due to other", true);
    old.deleted = true;
    docs.push_back(std::move(old));
    // Code shapes: ICD-10-CM E10.9 and HCPCS wheelchairs E1090, E1092.
    docs.push_back(
        Doc("ICD10CM", "E109", "E10.9", "Type 1 diabetes mellitus without complications", true));
    docs.push_back(Doc("HCPCS", "E1090", "E1090", "High strength lightweight wheelchair", true));
    docs.push_back(Doc("HCPCS", "E1092", "E1092", "Wide heavy duty wheel chair", true));
    // Procedures.
    docs.push_back(
        Doc("ICD10PCS", "0CTP0ZZ", "0CTP0ZZ", "Resection of Tonsils, Open Approach", true));
    docs.push_back(
        Doc("ICD10PCS", "0CTPXZZ", "0CTPXZZ", "Resection of Tonsils, External Approach", true));
    docs.push_back(Doc("ICD10CM", "J0390", "J03.90", "Acute tonsillitis, unspecified", true));

    IndexBuilder builder;
    auto procedures = ParseProcedureTerms(
        "term\tsystem\ttitle words\ntonsillectomy|t&a\tICD10PCS\tresection tonsils\n");
    ASSERT_TRUE(procedures.ok()) << procedures.status();
    builder.SetProcedureTerms(*std::move(procedures));
    for (SearchDocument& d : docs) ASSERT_TRUE(builder.Add(std::move(d)).ok());
    auto index = std::move(builder).Build();
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = *std::move(index);
  }

  SearchResponse Search(const std::string& query, std::vector<std::string> systems = {}) {
    SearchRequest request;
    request.query = query;
    request.limit = 20;
    request.filters.systems = std::move(systems);
    absl::StatusOr<SearchResponse> response = index_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *std::move(response) : SearchResponse();
  }

  static std::vector<std::string> Codes(const SearchResponse& r) {
    std::vector<std::string> codes;
    for (const Hit& hit : r.hits) codes.push_back(hit.code);
    return codes;
  }

  std::shared_ptr<const SearchIndex> index_;
};

// "Attack, heart -> see Infarct, myocardium" names I21.-: the entry leads
// to the category's unspecified code first, and the hit says so.
TEST_F(EntryPointsTest, HeartAttackReachesI21ThroughTheIndexWithItsReason) {
  SearchResponse r = Search("heart attack");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].code, "I219");
  const auto reason =
      std::find_if(r.hits[0].reasons.begin(), r.hits[0].reasons.end(),
                   [](const MatchReason& m) { return m.kind == MatchReason::Kind::kIndex; });
  ASSERT_NE(reason, r.hits[0].reasons.end());
  EXPECT_EQ(reason->detail, "Attack, attacks, heart -> see infarct, myocardium (I21.-)");
}

// The reason weighs entry words tokenised by the build: dictionary words
// by term id, a word outside the dictionary ("in") as text, here matched
// by the typed prefix "i".
TEST_F(EntryPointsTest, IndexReasonMatchesEntryWordsOutsideTheDictionary) {
  const SearchResponse r = Search("gout i");
  const auto hit =
      std::find_if(r.hits.begin(), r.hits.end(), [](const Hit& h) { return h.code == "M1A9"; });
  ASSERT_NE(hit, r.hits.end());
  const auto reason =
      std::find_if(hit->reasons.begin(), hit->reasons.end(),
                   [](const MatchReason& m) { return m.kind == MatchReason::Kind::kIndex; });
  ASSERT_NE(reason, hit->reasons.end());
  EXPECT_EQ(reason->detail, "Gout, chronic, in remission");
  // Without the "i" only "gout" matches, one word of one group: the entry
  // still covers every group.
  const SearchResponse plain = Search("chronic gout");
  ASSERT_FALSE(plain.hits.empty());
  EXPECT_EQ(plain.hits[0].code, "M1A9");
  EXPECT_EQ(plain.hits[0].reasons.back().detail, "Gout, chronic, in remission");
}

TEST_F(EntryPointsTest, AWholeWordOutranksRarerCompletions) {
  SearchResponse r = Search("gout");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].code, "M109");
  // A nonessential modifier of the entry is a word of it too.
  EXPECT_EQ(Codes(Search("gout flare")).front(), "M109");
}

TEST_F(EntryPointsTest, DefaultSearchHasNoIcd9CodeButTheFilterFindsThem) {
  for (const std::string q : {"gout", "bronchitis", "acute bronchitis", "274.0", "4660"}) {
    SearchResponse r = Search(q);
    for (const Hit& hit : r.hits) EXPECT_NE(hit.system, "ICD9CM") << q << " " << hit.code;
  }
  // Counted in the facets, so a client can offer the filter.
  SearchResponse bronchitis = Search("bronchitis");
  EXPECT_TRUE(std::any_of(bronchitis.facets.begin(), bronchitis.facets.end(),
                          [](const FacetCount& f) { return f.system == "ICD9CM"; }));
  SearchResponse legacy = Search("bronchitis", {"ICD9CM"});
  ASSERT_EQ(legacy.hits.size(), 1u);
  EXPECT_EQ(legacy.hits[0].code, "4660");
  EXPECT_EQ(Codes(Search("274.0", {"ICD9CM"})).front(), "2740");
}

TEST_F(EntryPointsTest, DeletedCodesRankBelowActiveAndAreLabelled) {
  SearchResponse r = Search("acute bronchitis");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].code, "J209");
  EXPECT_FALSE(r.hits[0].deleted);
  EXPECT_EQ(r.hits[1].code, "J208");
  EXPECT_TRUE(r.hits[1].deleted);
  // Typed exactly, a deleted code still comes first.
  EXPECT_EQ(Codes(Search("J20.8")).front(), "J208");
}

TEST_F(EntryPointsTest, DottedCodeKeepsToItsSystemAndHcpcsShapesComeAfterTheExactCode) {
  EXPECT_EQ(Codes(Search("E10.9")), std::vector<std::string>{"E109"});
  EXPECT_EQ(Codes(Search("e10.9")), std::vector<std::string>{"E109"});
  // Undotted, E109 is also the start of HCPCS codes: after the exact match.
  EXPECT_EQ(Codes(Search("E109")), (std::vector<std::string>{"E109", "E1090", "E1092"}));
  EXPECT_EQ(Codes(Search("E1090")).front(), "E1090");
}

TEST_F(EntryPointsTest, ProcedureWordsReachPcsEvenMisspelt) {
  EXPECT_EQ(Codes(Search("tonsillectomy")).front().substr(0, 4), "0CTP");
  SearchResponse misspelt = Search("tonsilectomy");
  ASSERT_FALSE(misspelt.hits.empty());
  EXPECT_EQ(misspelt.hits[0].code.substr(0, 4), "0CTP");
  EXPECT_EQ(misspelt.corrected_query, "tonsillectomy");
  EXPECT_EQ(Codes(Search("t&a")).front().substr(0, 4), "0CTP");
}

}  // namespace
}  // namespace openencoder::search
