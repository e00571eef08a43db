// Runs data/search/queries.tsv against our engine built from the real
// ICD-10-CM, ICD-10-PCS and HCPCS files ($OE_SHARED_DATA) with the
// synonyms and notes of this repository, and checks the quality figures.
//
// Thresholds: measured (2026-11-27, bench/search_peers/RESULTS.md) minus a
// margin of about 0.02 (4 of 212 queries), so that a deliberate trade-off
// moving one or two queries passes, while a regression in tokenising,
// spelling, synonyms or ranking that loses several answers fails. Raise
// them when the engine improves; never lower them to let a change in.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/search_engine/eval/labelled_queries.h"
#include "libs/search_engine/eval/real_corpus.h"
#include "libs/search_engine/index_builder.h"
#include "libs/search_engine/procedure_terms.h"
#include "libs/search_engine/synonym_table.h"

namespace openencoder::search {
namespace {

// Measured 2026-12-04 on 323 queries (212 + 111 of issue 16's kinds), with
// the Alphabetic Index, ICD-9-CM in the corpus and the procedure terms:
// hit@1 0.870 (281), hit@10 0.988 (319), MRR 0.919. The floors are issue
// 16's goals (hit@1 0.85, hit@10 0.97), about 6 queries below the measure.
constexpr double kMeasuredHitAt1 = 0.870;
constexpr double kMeasuredHitAt10 = 0.988;
constexpr double kMeasuredMrr = 0.919;
constexpr double kMinHitAt1 = 0.85;
constexpr double kMinHitAt10 = 0.97;
constexpr double kMinMrr = kMeasuredMrr - 0.02;
static_assert(kMinHitAt1 <= kMeasuredHitAt1 && kMinHitAt10 <= kMeasuredHitAt10);

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

class SearchQualityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string source = Env("OE_SOURCE_DIR", ".");
    const std::string data = Env("OE_SHARED_DATA", "../shared/data");
    absl::StatusOr<RealCorpus> corpus = LoadRealCorpus(data, source + "/data/demo/code_notes.tsv");
    ASSERT_TRUE(corpus.ok()) << "real code sets under " << data
                             << " (set OE_SHARED_DATA): " << corpus.status();
    absl::StatusOr<SynonymTable> synonyms =
        SynonymTable::LoadFile(source + "/data/search/synonyms.tsv");
    ASSERT_TRUE(synonyms.ok()) << synonyms.status();
    absl::StatusOr<std::vector<LabelledQuery>> queries =
        LoadLabelledQueries(source + "/data/search/queries.tsv");
    ASSERT_TRUE(queries.ok()) << queries.status();
    queries_ = new std::vector<LabelledQuery>(*std::move(queries));

    absl::StatusOr<std::vector<ProcedureTerm>> procedures =
        LoadProcedureTerms(source + "/data/search/procedure_terms.tsv");
    ASSERT_TRUE(procedures.ok()) << procedures.status();

    IndexBuilder builder;
    builder.SetSynonyms(*std::move(synonyms));
    builder.SetProcedureTerms(*std::move(procedures));
    for (SearchDocument& d : corpus->documents) {
      ASSERT_TRUE(builder.Add(std::move(d)).ok());
    }
    absl::StatusOr<std::shared_ptr<const SearchIndex>> index = std::move(builder).Build();
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = new std::shared_ptr<const SearchIndex>(*std::move(index));
  }

  static void TearDownTestSuite() {
    delete index_;
    delete queries_;
  }

  static std::vector<std::string> Top10(const std::string& query,
                                        std::vector<std::string> systems = {}) {
    SearchRequest request;
    request.query = query;
    request.limit = 10;
    request.filters.systems = std::move(systems);
    absl::StatusOr<SearchResponse> response = (*index_)->Search(request);
    std::vector<std::string> codes;
    if (!response.ok()) return codes;
    for (const Hit& hit : response->hits) codes.push_back(hit.code);
    return codes;
  }

  static std::vector<LabelledQuery>* queries_;
  static std::shared_ptr<const SearchIndex>* index_;
};

std::vector<LabelledQuery>* SearchQualityTest::queries_ = nullptr;
std::shared_ptr<const SearchIndex>* SearchQualityTest::index_ = nullptr;

TEST_F(SearchQualityTest, LabelledQueriesKeepTheirHitAt10AndMrr) {
  ASSERT_NE(index_, nullptr);
  EXPECT_GE(queries_->size(), 320u) << "the query set shrank";
  QualityTally tally;
  std::string misses;
  for (const LabelledQuery& q : *queries_) {
    const std::vector<std::string> top = Top10(q.query);
    const size_t rank = RankOfFirstAccepted(q, top);
    tally.Add(q.kind, rank);
    if (rank == 0) {
      misses += "\n  " + q.kind + "\t" + q.query + "\t-> " +
                (top.empty() ? std::string("(nothing)") : top.front());
    }
  }
  const Quality& overall = tally.Overall();
  // Printed on success too: the misses are where the engine can improve.
  std::printf("hit@1 %.3f hit@10 %.3f MRR %.3f; misses:%s\n", overall.hit_at_1(),
              overall.hit_at_10(), overall.mrr(), misses.c_str());
  for (const auto& [kind, q] : tally.PerKind()) {
    std::printf("  %-22s n=%3zu hit@1 %.3f hit@10 %.3f MRR %.3f\n", kind.c_str(),
                static_cast<size_t>(q.queries), q.hit_at_1(), q.hit_at_10(), q.mrr());
  }
  if (std::getenv("OE_PRINT_FIRST_MISSES") != nullptr) {
    for (const LabelledQuery& q : *queries_) {
      const std::vector<std::string> top = Top10(q.query);
      if (RankOfFirstAccepted(q, top) == 1) continue;
      std::string list;
      for (size_t i = 0; i < top.size() && i < 5; ++i) list += " " + top[i];
      std::printf("  not first: %s\t%s\t->%s\n", q.kind.c_str(), q.query.c_str(), list.c_str());
    }
  }
  EXPECT_GE(overall.hit_at_10(), kMinHitAt10)
      << "queries without an accepted code in the top 10:" << misses;
  EXPECT_GE(overall.mrr(), kMinMrr);
  EXPECT_GE(overall.hit_at_1(), kMinHitAt1);
  RecordProperty("hit_at_10", std::to_string(overall.hit_at_10()));
  RecordProperty("mrr", std::to_string(overall.mrr()));
}

// ICD-9-CM is in the corpus (as the catalogue streams it) but never in a
// default result; a systems filter still reaches it.
TEST_F(SearchQualityTest, DefaultSearchReturnsNoIcd9CodeAndTheFilterFindsThem) {
  ASSERT_NE(index_, nullptr);
  for (const LabelledQuery& q : *queries_) {
    SearchRequest request;
    request.query = q.query;
    request.limit = 50;
    absl::StatusOr<SearchResponse> response = (*index_)->Search(request);
    ASSERT_TRUE(response.ok()) << q.query;
    for (const Hit& hit : response->hits) {
      ASSERT_NE(hit.system, kLegacySystem) << q.query << " -> " << hit.code;
    }
  }
  for (const char* query : {"bronchitis", "otitis media", "gout", "cellulitis leg"}) {
    const std::vector<std::string> top = Top10(query, {kLegacySystem});
    EXPECT_FALSE(top.empty()) << query;
  }
  EXPECT_EQ(Top10("466.0", {kLegacySystem}).front(), "4660");
}

// The examples: the Index leads "heart attack" to I21.9 and says so.
TEST_F(SearchQualityTest, HeartAttackReachesI21ThroughTheIndexWithTheReason) {
  ASSERT_NE(index_, nullptr);
  SearchRequest request;
  request.query = "heart attack";
  absl::StatusOr<SearchResponse> response = (*index_)->Search(request);
  ASSERT_TRUE(response.ok());
  ASSERT_FALSE(response->hits.empty());
  const Hit& first = response->hits.front();
  EXPECT_EQ(first.code.substr(0, 3), "I21");
  std::string index_reason;
  for (const MatchReason& r : first.reasons) {
    if (r.kind == MatchReason::Kind::kIndex) index_reason = r.detail;
  }
  EXPECT_EQ(index_reason, "Attack, attacks, heart -> see infarct, myocardium") << first.code;
  // Code shapes keep systems apart.
  EXPECT_EQ(Top10("E10.9"), std::vector<std::string>{"E109"});
  const std::vector<std::string> e1090 = Top10("E1090");
  EXPECT_EQ(e1090.front(), "E1090");
}

TEST_F(SearchQualityTest, EveryExactCodeQueryRanksItsCodeFirst) {
  ASSERT_NE(index_, nullptr);
  for (const LabelledQuery& q : *queries_) {
    if (q.kind != "code") continue;
    EXPECT_EQ(RankOfFirstAccepted(q, Top10(q.query)), 1u) << q.query;
  }
}

}  // namespace
}  // namespace openencoder::search
