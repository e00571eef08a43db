#include "services/search/request_mapping.h"

#include <gtest/gtest.h>

namespace openencoder::search {
namespace {

namespace cv1 = ::openencoder::catalogue::v1;

v1::SearchRequest Query(const std::string& q) {
  v1::SearchRequest r;
  r.set_query(q);
  return r;
}

TEST(ToEngineRequest, DefaultsPageSizeAndStartsAtTheTop) {
  auto r = ToEngineRequest(Query("diabetes"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->limit, static_cast<size_t>(kDefaultPageSize));
  EXPECT_EQ(r->offset, 0u);
}

TEST(ToEngineRequest, PageSizeOutOfRangeSaysTheRange) {
  auto big = Query("x");
  big.set_page_size(101);
  auto r = ToEngineRequest(big);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("between 1 and 100"), absl::string_view::npos);
  big.set_page_size(-1);
  EXPECT_EQ(ToEngineRequest(big).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PageToken, RoundTripsAndRejectsForgeries) {
  EXPECT_EQ(*OffsetFromPageToken(PageToken(40)), 40u);
  EXPECT_EQ(*OffsetFromPageToken(""), 0u);
  for (const char* bad : {"40", "o", "ox", "o-1", "o99999999"}) {
    EXPECT_EQ(OffsetFromPageToken(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ToEngineRequest, MapsFilters) {
  auto q = Query("fracture");
  q.mutable_filters()->add_systems(cv1::CODE_SYSTEM_ICD10CM);
  q.mutable_filters()->add_systems(cv1::CODE_SYSTEM_HCPCS);
  q.mutable_filters()->set_billable_only(true);
  auto* day = q.mutable_filters()->mutable_active_on();
  day->set_year(2026);
  day->set_month(2);
  day->set_day(28);
  q.mutable_filters()->set_code_range_first("S52");
  q.mutable_filters()->set_code_range_last("S62");
  auto r = ToEngineRequest(q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->filters.systems, (std::vector<std::string>{"ICD10CM", "HCPCS"}));
  EXPECT_TRUE(r->filters.billable_only);
  EXPECT_EQ(*r->filters.active_on, absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(r->filters.code_from, "S52");
  EXPECT_EQ(r->filters.code_to, "S62");
}

TEST(ToEngineRequest, RejectsUnspecifiedSystemImpossibleDateAndReversedRange) {
  auto q = Query("x");
  q.mutable_filters()->add_systems(cv1::CODE_SYSTEM_UNSPECIFIED);
  EXPECT_EQ(ToEngineRequest(q).status().code(), absl::StatusCode::kInvalidArgument);

  auto d = Query("x");
  d.mutable_filters()->mutable_active_on()->set_year(2026);
  d.mutable_filters()->mutable_active_on()->set_month(2);
  d.mutable_filters()->mutable_active_on()->set_day(30);
  auto r = ToEngineRequest(d);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("2026-2-30"), absl::string_view::npos);

  auto range = Query("x");
  range.mutable_filters()->set_code_range_first("S62");
  range.mutable_filters()->set_code_range_last("S52");
  EXPECT_EQ(ToEngineRequest(range).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ToProtoResponse, SetsNextPageTokenOnlyWhenMoreFollow) {
  SearchResponse engine;
  engine.total = 3;
  engine.hits.resize(2);
  engine.hits[0].system = "ICD10CM";
  engine.hits[0].code = "E119";
  engine.hits[0].title_spans = {{0, 4}};
  engine.hits[0].reasons = {{MatchReason::Kind::kSynonym, "sugar diabetes -> diabetes mellitus"}};
  engine.facets = {{"ICD10CM", 3}};
  SearchRequest request;
  request.limit = 2;
  v1::SearchResponse out;
  ToProtoResponse(engine, request, "snap-1", &out);
  EXPECT_EQ(out.hits_size(), 2);
  EXPECT_EQ(out.hits(0).system(), cv1::CODE_SYSTEM_ICD10CM);
  EXPECT_EQ(out.hits(0).highlights(0).end(), 4);
  EXPECT_EQ(out.hits(0).reasons(0).kind(), v1::MATCH_KIND_SYNONYM);
  EXPECT_EQ(out.next_page_token(), PageToken(2));
  EXPECT_EQ(out.facets(0).count(), 3);
  EXPECT_EQ(out.snapshot_id(), "snap-1");

  request.offset = 2;
  engine.hits.resize(1);
  v1::SearchResponse last;
  ToProtoResponse(engine, request, "snap-1", &last);
  EXPECT_TRUE(last.next_page_token().empty());
}

TEST(ToProtoResponse, PartialMatchesSayWhy) {
  SearchResponse engine;
  engine.total = 1;
  engine.partial_match = true;
  engine.hits.resize(1);
  v1::SearchResponse out;
  ToProtoResponse(engine, SearchRequest{}, "", &out);
  EXPECT_TRUE(out.partial());
  ASSERT_EQ(out.hits(0).reasons_size(), 1);
  EXPECT_EQ(out.hits(0).reasons(0).kind(), v1::MATCH_KIND_PARTIAL);
}

TEST(ToProtoSuggestions, FiltersCodeSuggestionsBySystemAndKeepsTerms) {
  std::vector<Suggestion> s = {{Suggestion::Kind::kCode, "E11.9", "ICD10CM", "Type 2", 0},
                               {Suggestion::Kind::kCode, "J1100", "HCPCS", "Dexamethasone", 0},
                               {Suggestion::Kind::kTerm, "diabetes", "", "", 120}};
  v1::SuggestRequest request;
  request.add_systems(cv1::CODE_SYSTEM_HCPCS);
  v1::SuggestResponse out;
  ASSERT_TRUE(ToProtoSuggestions(s, request, &out).ok());
  ASSERT_EQ(out.suggestions_size(), 2);
  EXPECT_EQ(out.suggestions(0).code(), "J1100");
  EXPECT_EQ(out.suggestions(1).text(), "diabetes");

  request.set_limit(11);
  v1::SuggestResponse too_many;
  EXPECT_EQ(ToProtoSuggestions(s, request, &too_many).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace openencoder::search
