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

// An engine answer with `total` matches, `hits` of them on this page, the
// first being E11.9 (ICD-10-CM).
SearchResponse EngineAnswer(size_t total, size_t hits) {
  SearchResponse engine;
  engine.total = total;
  engine.hits.resize(hits);
  engine.hits[0].system = "ICD10CM";
  engine.hits[0].code = "E119";
  return engine;
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
  SearchResponse engine = EngineAnswer(3, 2);
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

// The Search RPC sends SerializeSearchResponse's bytes; they must be the
// bytes of the message ToProtoResponse builds, for every kind of field.
TEST(SerializeSearchResponse, WritesExactlyTheBytesOfToProtoResponse) {
  SearchResponse engine = EngineAnswer(1234567, 3);
  engine.hits[0].display_code = "E11.9";
  engine.hits[0].title = "Type 2 diabetes mellitus without complications & <more>";
  engine.hits[0].snippet = "Type 2 <mark>diabetes</mark> &amp; &lt;more&gt;";
  engine.hits[0].billable = true;
  engine.hits[0].score = 1007.25;
  engine.hits[0].title_spans = {{0, 4}, {7, 15}, {0, 0}};
  engine.hits[0].reasons = {{MatchReason::Kind::kExactCode, "E119"},
                            {MatchReason::Kind::kWords, ""},
                            {MatchReason::Kind::kSpelling, "diabetis -> diabetes"}};
  engine.hits[1].system = "HCPCS";
  engine.hits[1].code = "J1100";
  engine.hits[1].title = std::string(300, 'x');  // A two-byte length prefix.
  engine.hits[1].score = 0;
  engine.hits[2].system = "KB";  // Not a code system: enum 0, left out.
  engine.hits[2].score = -0.0;
  engine.hits[2].reasons = {{MatchReason::Kind::kSynonym, "heart attack -> myocardial infarction"}};
  engine.facets = {{"HCPCS", 1}, {"ICD10CM", 1234566}};
  engine.corrected_query = "diabetes";
  for (bool partial : {false, true}) {
    engine.partial_match = partial;
    for (size_t offset : {size_t{0}, size_t{20}, size_t{1234564}}) {
      SearchRequest request;
      request.offset = offset;
      for (const char* snapshot : {"", "snap-2026-11"}) {
        v1::SearchResponse message;
        ToProtoResponse(engine, request, snapshot, &message);
        std::string bytes = "stale";
        SerializeSearchResponse(engine, request, snapshot, &bytes);
        EXPECT_EQ(bytes, message.SerializeAsString())
            << "partial " << partial << " offset " << offset << " snapshot " << snapshot;
      }
    }
  }
  SearchResponse empty;
  v1::SearchResponse message;
  ToProtoResponse(empty, SearchRequest{}, "", &message);
  std::string bytes;
  SerializeSearchResponse(empty, SearchRequest{}, "", &bytes);
  EXPECT_EQ(bytes, message.SerializeAsString());
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
