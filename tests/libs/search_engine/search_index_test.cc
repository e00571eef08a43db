#include "libs/search_engine/search_index.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/search_engine/index_builder.h"
#include "tests/libs/search_engine/test_documents.h"

namespace openencoder::search {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = testing::BuildTestIndex();
    ASSERT_NE(index_, nullptr);
  }

  SearchResponse Run(const std::string& query, size_t limit = 10, SearchFilters filters = {},
                     size_t offset = 0) {
    SearchRequest request;
    request.query = query;
    request.limit = limit;
    request.offset = offset;
    request.filters = std::move(filters);
    absl::StatusOr<SearchResponse> response = index_->Search(request);
    EXPECT_TRUE(response.ok()) << query << ": " << response.status();
    return response.ok() ? *response : SearchResponse();
  }

  static std::vector<std::string> Codes(const SearchResponse& response) {
    std::vector<std::string> codes;
    for (const Hit& hit : response.hits) codes.push_back(hit.code);
    return codes;
  }

  static bool HasReason(const Hit& hit, MatchReason::Kind kind, const std::string& detail = "") {
    return std::any_of(hit.reasons.begin(), hit.reasons.end(), [&](const MatchReason& r) {
      return r.kind == kind && (detail.empty() || r.detail == detail);
    });
  }

  std::shared_ptr<const SearchIndex> index_;
};

TEST_F(SearchIndexTest, ExactCodeWithDotAnyCaseRanksFirst) {
  for (const std::string query : {"e11.9", "E119", "E11.9"}) {
    SearchResponse response = Run(query);
    ASSERT_FALSE(response.hits.empty()) << query;
    EXPECT_EQ(response.hits[0].code, "E119") << query;
    EXPECT_TRUE(HasReason(response.hits[0], MatchReason::Kind::kExactCode));
  }
}

TEST_F(SearchIndexTest, CodePrefixListsExactThenBillableThenShorter) {
  SearchResponse response = Run("E11");
  // Exact category first; then billable children, shorter code first.
  EXPECT_THAT(Codes(response), ElementsAre("E11", "E119", "E1165"));
  EXPECT_TRUE(HasReason(response.hits[1], MatchReason::Kind::kCodePrefix, "e11"));
}

TEST_F(SearchIndexTest, CodePrefixSpansSystems) {
  SearchResponse response = Run("J11");
  EXPECT_THAT(Codes(response), ElementsAre("J1100", "J1100", "J110"));
  EXPECT_EQ(response.hits[2].system, "ICD10CM");  // Not billable: last.
}

TEST_F(SearchIndexTest, PcsAndSevenCharacterCodes) {
  // Same length and billable: code order decides.
  EXPECT_THAT(Codes(Run("0371")), ElementsAre("03710ZZ", "0371356"));
  SearchResponse response = Run("t814xxa");
  ASSERT_FALSE(response.hits.empty());
  EXPECT_EQ(response.hits[0].code, "T814XXA");
  EXPECT_EQ(response.hits[0].display_code, "T81.4XXA");
}

TEST_F(SearchIndexTest, EveryWordIsAPrefixAndAllMustMatch) {
  SearchResponse response = Run("diab mell typ 2");
  EXPECT_FALSE(response.partial_match);
  std::vector<std::string> codes = Codes(response);
  std::sort(codes.begin(), codes.end());
  EXPECT_THAT(codes, ElementsAre("E11", "E1165", "E119"));
  // Type 1 matches "diab mell typ" but not "2".
  EXPECT_EQ(response.total, 3u);
}

TEST_F(SearchIndexTest, FallsBackToBestPartialMatchesAndSaysSo) {
  SearchResponse response = Run("pneumonia zebra");
  EXPECT_TRUE(response.partial_match);
  EXPECT_THAT(Codes(response), Not(IsEmpty()));
  EXPECT_EQ(Codes(response)[0], "J189");  // Shortest title: best BM25F.
}

TEST_F(SearchIndexTest, NoFallbackWhenEveryWordMatches) {
  EXPECT_FALSE(Run("pneumonia influenza").partial_match);
}

TEST_F(SearchIndexTest, CorrectsMisspellingsAgainstIndexVocabulary) {
  SearchResponse response = Run("diabetis");
  EXPECT_EQ(response.corrected_query, "diabetes");
  EXPECT_THAT(response.corrections, ElementsAre("diabetis -> diabetes"));
  ASSERT_FALSE(response.hits.empty());
  EXPECT_TRUE(HasReason(response.hits[0], MatchReason::Kind::kSpelling, "diabetis -> diabetes"));

  response = Run("pnuemonia unspecified");
  EXPECT_EQ(response.corrected_query, "pneumonia unspecified");
  EXPECT_EQ(Codes(response)[0], "J189");

  // "fractur" is a prefix of an indexed word, which is not a misspelling.
  response = Run("fractur");
  EXPECT_TRUE(response.corrected_query.empty());
  EXPECT_EQ(response.total, 2u);
}

TEST_F(SearchIndexTest, StemmingMeetsOtherForms) {
  EXPECT_EQ(Run("fractures").total, 2u);
  EXPECT_EQ(Run("fractured wrist").total, 1u);
  EXPECT_EQ(Run("infections").total, 2u);  // UTI and T81.4.
}

TEST_F(SearchIndexTest, AbbreviationsExpandAndAreExplained) {
  SearchResponse response = Run("CHF");
  std::vector<std::string> codes = Codes(response);
  EXPECT_THAT(codes, ::testing::Contains("I5020"));
  EXPECT_THAT(codes, ::testing::Contains("I509"));
  EXPECT_THAT(response.synonyms_applied, ::testing::Contains("chf -> congestive heart failure"));
  const Hit& first = response.hits[0];
  EXPECT_TRUE(HasReason(first, MatchReason::Kind::kSynonym));

  EXPECT_EQ(Codes(Run("COPD"))[0], "J449");
  EXPECT_EQ(Codes(Run("uti"))[0], "N390");
  EXPECT_EQ(Codes(Run("htn"))[0], "I10");
  EXPECT_EQ(Codes(Run("MI"))[0], "I219");
  EXPECT_EQ(Codes(Run("gerd"))[0], "K219");
}

TEST_F(SearchIndexTest, LayPhrasesExpand) {
  SearchResponse response = Run("heart attack");
  ASSERT_FALSE(response.hits.empty());
  EXPECT_EQ(response.hits[0].code, "I219");
  EXPECT_TRUE(HasReason(response.hits[0], MatchReason::Kind::kSynonym,
                        "heart attack -> myocardial infarction"));

  EXPECT_EQ(Codes(Run("high blood pressure"))[0], "I10");
  EXPECT_EQ(Codes(Run("broken wrist"))[0], "S6290XA");
  EXPECT_EQ(Codes(Run("flu shot"))[0], "G0008");
  std::vector<std::string> sugar = Codes(Run("sugar diabetes"));
  EXPECT_THAT(sugar, ::testing::Contains("E119"));
}

TEST_F(SearchIndexTest, FiltersBySystemBillableChapterAndRange) {
  SearchFilters hcpcs;
  hcpcs.systems = {"HCPCS"};
  EXPECT_THAT(Codes(Run("J11", 10, hcpcs)), ElementsAre("J1100"));

  SearchFilters billable;
  billable.billable_only = true;
  EXPECT_THAT(Codes(Run("E11", 10, billable)), ElementsAre("E119", "E1165"));

  SearchFilters chapter;
  chapter.chapter = "10";
  EXPECT_EQ(Run("unspecified", 10, chapter).total, 3u);

  SearchFilters range;
  range.code_from = "E10";
  range.code_to = "E11.6";  // Includes E11.65, not E11.9.
  std::vector<std::string> codes = Codes(Run("diabetes", 10, range));
  std::sort(codes.begin(), codes.end());
  EXPECT_THAT(codes, ElementsAre("E109", "E11", "E1165"));
}

TEST_F(SearchIndexTest, FiltersByActiveDate) {
  std::vector<SearchDocument> docs = testing::TestDocuments();
  docs[1].effective_to = absl::CivilDay(2024, 9, 30);    // E11.9 retired.
  docs[2].effective_from = absl::CivilDay(2024, 10, 1);  // E11.65 new.
  std::shared_ptr<const SearchIndex> index = testing::BuildTestIndex(docs);
  SearchRequest request;
  request.query = "E11";
  request.filters.active_on = absl::CivilDay(2024, 6, 1);
  absl::StatusOr<SearchResponse> before = index->Search(request);
  ASSERT_TRUE(before.ok());
  EXPECT_THAT(Codes(*before), ElementsAre("E11", "E119"));
  request.filters.active_on = absl::CivilDay(2025, 1, 1);
  absl::StatusOr<SearchResponse> after = index->Search(request);
  ASSERT_TRUE(after.ok());
  EXPECT_THAT(Codes(*after), ElementsAre("E11", "E1165"));
}

TEST_F(SearchIndexTest, FacetsCountWholeMatchSetIgnoringSystemFilter) {
  SearchFilters icd;
  icd.systems = {"ICD10CM"};
  SearchResponse response = Run("influenza", 1, icd);
  EXPECT_EQ(response.total, 2u);
  ASSERT_EQ(response.hits.size(), 1u);  // Paged, but counts are not.
  ASSERT_EQ(response.facets.size(), 2u);
  EXPECT_EQ(response.facets[0].system, "HCPCS");
  EXPECT_EQ(response.facets[0].count, 1u);
  EXPECT_EQ(response.facets[1].system, "ICD10CM");
  EXPECT_EQ(response.facets[1].count, 2u);
}

TEST_F(SearchIndexTest, PagesAreDisjointSlicesOfOneRanking) {
  SearchResponse all = Run("unspecified", 100);
  ASSERT_GE(all.total, 6u);
  std::vector<std::string> paged;
  for (size_t offset = 0; offset < all.total; offset += 4) {
    SearchResponse page = Run("unspecified", 4, {}, offset);
    EXPECT_EQ(page.total, all.total);
    for (const std::string& code : Codes(page)) paged.push_back(code);
  }
  EXPECT_EQ(paged, Codes(all));
  EXPECT_THAT(Run("unspecified", 4, {}, all.total).hits, IsEmpty());
}

TEST_F(SearchIndexTest, HighlightsMatchedWordsInTitle) {
  SearchResponse response = Run("diab mell");
  const auto it = std::find_if(response.hits.begin(), response.hits.end(),
                               [](const Hit& h) { return h.code == "E11"; });
  ASSERT_NE(it, response.hits.end());
  EXPECT_THAT(it->title_spans, ElementsAre(Span{7, 15}, Span{16, 24}));
  EXPECT_EQ(it->snippet, "Type 2 <mark>diabetes</mark> <mark>mellitus</mark>");
  EXPECT_TRUE(HasReason(*it, MatchReason::Kind::kWords));
}

TEST_F(SearchIndexTest, HighlightsSynonymExpansionWords) {
  SearchResponse response = Run("heart attack");
  ASSERT_FALSE(response.hits.empty());
  EXPECT_THAT(response.hits[0].snippet,
              HasSubstr("<mark>myocardial</mark> <mark>infarction</mark>"));
}

TEST_F(SearchIndexTest, RejectsBadInputBeforeAnyWork) {
  SearchRequest request;
  request.query = "";
  EXPECT_EQ(index_->Search(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.query = std::string(513, 'a');
  absl::Status too_long = index_->Search(request).status();
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_long.message(), HasSubstr("512"));
  request.query = "diab\xC3\x28";
  absl::Status bad_utf8 = index_->Search(request).status();
  EXPECT_EQ(bad_utf8.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_utf8.message(), HasSubstr("UTF-8"));
  request.query = "?!";
  EXPECT_EQ(index_->Search(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.query = "diabetes";
  request.limit = 0;
  EXPECT_EQ(index_->Search(request).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index_->Suggest("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index_->Lookup("\xFF").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SearchIndexTest, AcceptsExactly512Bytes) {
  SearchRequest request;
  request.query = "diabetes " + std::string(503, 'x');
  ASSERT_EQ(request.query.size(), 512u);
  EXPECT_TRUE(index_->Search(request).ok());
}

TEST_F(SearchIndexTest, SuggestCompletesLastWordByFrequency) {
  absl::StatusOr<std::vector<Suggestion>> suggestions = index_->Suggest("diab mell ty");
  ASSERT_TRUE(suggestions.ok());
  ASSERT_FALSE(suggestions->empty());
  EXPECT_EQ((*suggestions)[0].text, "diab mell type");
  EXPECT_EQ((*suggestions)[0].kind, Suggestion::Kind::kTerm);

  suggestions = index_->Suggest("u");
  ASSERT_TRUE(suggestions.ok());
  ASSERT_FALSE(suggestions->empty());
  EXPECT_EQ((*suggestions)[0].text, "unspecified");  // Most frequent "u" word.
  EXPECT_LE(suggestions->size(), kMaxSuggestions);
}

TEST_F(SearchIndexTest, SuggestListsCodesInCodeOrder) {
  absl::StatusOr<std::vector<Suggestion>> suggestions = index_->Suggest("e11");
  ASSERT_TRUE(suggestions.ok());
  ASSERT_GE(suggestions->size(), 3u);
  EXPECT_EQ((*suggestions)[0].text, "E11");
  EXPECT_EQ((*suggestions)[1].text, "E11.65");
  EXPECT_EQ((*suggestions)[2].text, "E11.9");
  EXPECT_EQ((*suggestions)[2].title, "Type 2 diabetes mellitus without complications");
}

TEST_F(SearchIndexTest, LookupFindsExactCodeInEverySystem) {
  absl::StatusOr<std::vector<SearchDocument>> docs = index_->Lookup("j1100");
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].system, "HCPCS");
  EXPECT_EQ((*docs)[1].system, "ICD10CM");
  docs = index_->Lookup("E11.9");
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ((*docs)[0].title, "Type 2 diabetes mellitus without complications");
  EXPECT_EQ(index_->Lookup("E11.99").status().code(), absl::StatusCode::kNotFound);
}

TEST(IndexBuilderTest, RejectsDuplicatesAndIncompleteDocuments) {
  IndexBuilder builder;
  EXPECT_TRUE(builder.Add(testing::Doc("ICD10CM", "E119", "E11.9", "T", true)).ok());
  EXPECT_EQ(builder.Add(testing::Doc("ICD10CM", "E11.9", "", "T", true)).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(builder.Add(testing::Doc("KB", "E119", "", "T", false)).ok());
  EXPECT_EQ(builder.Add(testing::Doc("", "A00", "", "T", true)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(builder.Add(testing::Doc("CPT", "..", "", "T", true)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(builder.Add(testing::Doc("CPT", "99213", "", "", true)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IndexBuilderTest, EmptyIndexAnswersNothing) {
  absl::StatusOr<std::shared_ptr<const SearchIndex>> index = IndexBuilder().Build();
  ASSERT_TRUE(index.ok());
  SearchRequest request;
  request.query = "diabetes";
  absl::StatusOr<SearchResponse> response = (*index)->Search(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->total, 0u);
  EXPECT_TRUE((*index)->Suggest("dia")->empty());
}

}  // namespace
}  // namespace openencoder::search

namespace openencoder::search {
namespace {

// Two titles alike but for the word's form: the one with the word itself
// ranks above the one sharing only its stem, whatever the tie-break says.
TEST(SearchIndexScoringTest, StemOnlyMatchRanksBelowTheWordItself) {
  IndexBuilder builder;
  SearchDocument stem_only{
      .system = "ICD10CM", .code = "A01", .title = "Hypertensive crisis", .billable = true};
  SearchDocument exact{
      .system = "ICD10CM", .code = "B01", .title = "Hypertension crisis", .billable = true};
  ASSERT_TRUE(builder.Add(stem_only).ok());
  ASSERT_TRUE(builder.Add(exact).ok());
  absl::StatusOr<std::shared_ptr<const SearchIndex>> index = std::move(builder).Build();
  ASSERT_TRUE(index.ok());
  SearchRequest request;
  request.query = "hypertension";
  absl::StatusOr<SearchResponse> response = (*index)->Search(request);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->hits.size(), 2u);
  EXPECT_EQ(response->hits[0].code, "B01");
  EXPECT_GT(response->hits[0].score, response->hits[1].score);
}

// Synonym expansions are resolved once when the index is built
// (IndexData::synonym_plans), and a word two expansions share is scored
// once per query: a document's score through its best expansion is still
// the sum of that expansion's word scores, exactly as when the words are
// typed, and every expansion is reported even when it matches nothing.
TEST(SearchIndexScoringTest, SynonymExpansionsScoreLikeTheirWordsTyped) {
  absl::StatusOr<SynonymTable> synonyms = SynonymTable::Parse(
      "heart attack\tmyocardial infarction|acute myocardial infarction|zzzunknown\n"
      "t2dm\ttype 2 diabetes mellitus\n");
  ASSERT_TRUE(synonyms.ok());
  IndexBuilder builder;
  builder.SetSynonyms(*std::move(synonyms));
  for (const auto& [code, title] : std::vector<std::pair<std::string, std::string>>{
           {"I219", "Acute myocardial infarction, unspecified"},
           {"I252", "Old myocardial infarction"},
           {"Z8249", "Family history of heart disease"},
           {"R079", "Chest pain, unspecified"},
           {"E119", "Type 2 diabetes mellitus without complications"}}) {
    ASSERT_TRUE(
        builder.Add({.system = "ICD10CM", .code = code, .title = title, .billable = true}).ok());
  }
  absl::StatusOr<std::shared_ptr<const SearchIndex>> index = std::move(builder).Build();
  ASSERT_TRUE(index.ok());
  auto run = [&](const std::string& query) {
    SearchRequest request;
    request.query = query;
    absl::StatusOr<SearchResponse> response = (*index)->Search(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : SearchResponse();
  };
  // Twice: the second search reuses the per-thread scores of the first.
  for (int pass = 0; pass < 2; ++pass) {
    const SearchResponse response = run("heart attack");
    EXPECT_THAT(
        response.synonyms_applied,
        ElementsAre("heart attack -> myocardial infarction",
                    "heart attack -> acute myocardial infarction", "heart attack -> zzzunknown"));
    ASSERT_EQ(response.hits.size(), 2u);
    EXPECT_EQ(response.hits[0].code, "I219");
    EXPECT_EQ(response.hits[1].code, "I252");
    EXPECT_EQ(response.hits[0].score, run("acute myocardial infarction").hits[0].score);
    const SearchResponse typed = run("myocardial infarction");
    ASSERT_EQ(typed.hits.size(), 2u);
    const Hit& old_mi = typed.hits[0].code == "I252" ? typed.hits[0] : typed.hits[1];
    EXPECT_EQ(old_mi.code, "I252");
    EXPECT_EQ(response.hits[1].score, old_mi.score);
    const auto reasons = [](const Hit& hit) {
      std::vector<std::string> details;
      for (const MatchReason& r : hit.reasons) {
        if (r.kind == MatchReason::Kind::kSynonym) details.push_back(r.detail);
      }
      return details;
    };
    EXPECT_THAT(reasons(response.hits[0]),
                ElementsAre("heart attack -> myocardial infarction",
                            "heart attack -> acute myocardial infarction"));
    EXPECT_THAT(reasons(response.hits[1]), ElementsAre("heart attack -> myocardial infarction"));
  }
  // A term typed as a code ("t2dm" looks like one) resolves its typed
  // word per query; its expansions still come from the build.
  const SearchResponse t2dm = run("T2DM");
  EXPECT_THAT(t2dm.synonyms_applied, ElementsAre("t2dm -> type 2 diabetes mellitus"));
  ASSERT_EQ(t2dm.hits.size(), 1u);
  EXPECT_EQ(t2dm.hits[0].code, "E119");
  // The typed words still count: "heart" alone finds the family history.
  EXPECT_EQ(run("heart").hits.at(0).code, "Z8249");
}

}  // namespace
}  // namespace openencoder::search
