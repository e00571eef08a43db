// SearchIndex and its parts as pure logic, in-process: the answer is
// assembled as wire bytes and may come from the result cache, so these tests
// hold both to what a fresh search with the cache off returns, across every
// change that must make a cached answer stale.
#include "services/jobs/search_index.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/time_proto.h"
#include "services/common/wire_writer.h"
#include "services/jobs/huge_page_allocator.h"
#include "services/jobs/result_cache.h"

namespace openencoder::jobs {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

v1::JobPosting Posting(int i, const std::string& state, v1::WorkArrangement arrangement,
                       absl::Time closes) {
  v1::JobPosting p;
  p.set_posting_id(absl::StrCat("p", i));
  p.set_employer_account_id("employer");
  p.set_status(v1::POSTING_STATUS_PUBLISHED);
  p.set_version(1);
  v1::PostingFields* f = p.mutable_fields();
  f->set_title(absl::StrCat(i % 3 == 0 ? "Cardiology" : "Oncology", " coder ", i));
  f->set_description(i % 2 == 0 ? "remote charts audit" : "inpatient charts");
  f->set_organization("Health System");
  f->set_arrangement(arrangement);
  f->mutable_location()->set_state(state);
  f->add_credentials_required(i % 2 == 0 ? "CPC" : "CCS");
  f->add_settings(v1::CODING_SETTING_INPATIENT);
  f->add_specialties(i % 3 == 0 ? "cardiology" : "oncology");
  f->mutable_pay()->set_model(v1::PAY_MODEL_SALARY);
  f->mutable_pay()->set_min_cents(5'000'000 + i * 1000);
  // Many remote states on some: more facet values than a document's inline slots.
  if (i % 5 == 0) {
    for (const char* s : {"CA", "NY", "FL", "WA", "OR", "NV", "AZ", "CO", "UT"}) {
      f->add_remote_states(s);
    }
  }
  common::SetTimestamp(closes, f->mutable_closes_at());
  common::SetTimestamp(kStart + absl::Minutes(i), p.mutable_posted_at());
  return p;
}

v1::SearchJobsRequest Request(const std::string& query, const std::vector<std::string>& states,
                              int page_size = 0, const std::string& token = "") {
  v1::SearchJobsRequest r;
  r.set_query(query);
  for (const std::string& s : states) r.mutable_filters()->add_states(s);
  r.set_page_size(page_size);
  r.set_page_token(token);
  return r;
}

// Two indexes fed the same postings: one caching, one computing every answer.
class SearchIndexTest : public ::testing::Test {
 protected:
  SearchIndexTest() : cached_(kDefaultCachedResults), fresh_(0) {}

  void Upsert(const v1::JobPosting& p) {
    cached_.Upsert(p);
    fresh_.Upsert(p);
  }

  void Load(int n) {
    for (int i = 0; i < n; ++i) {
      Upsert(Posting(i, i % 2 == 0 ? "TX" : "CA",
                     i % 4 == 0 ? v1::WORK_ARRANGEMENT_REMOTE : v1::WORK_ARRANGEMENT_ON_SITE,
                     kStart + absl::Hours(24 * 30) + absl::Minutes(i)));
    }
  }

  // Asks the caching index twice (the second answer is a cache hit) and
  // checks both against the fresh one; returns the answer.
  v1::SearchJobsResponse Search(const v1::SearchJobsRequest& r, absl::Time now) {
    absl::StatusOr<v1::SearchJobsResponse> expected = fresh_.Search(r, now);
    EXPECT_TRUE(expected.ok()) << expected.status();
    for (int attempt = 0; attempt < 2; ++attempt) {
      absl::StatusOr<v1::SearchJobsResponse> got = cached_.Search(r, now);
      EXPECT_TRUE(got.ok()) << got.status();
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*got, *expected))
          << "attempt " << attempt << " of " << r.ShortDebugString()
          << "\ngot:  " << got->ShortDebugString().substr(0, 400)
          << "\nwant: " << expected->ShortDebugString().substr(0, 400);
    }
    return *expected;
  }

  static std::vector<std::string> Ids(const v1::SearchJobsResponse& r) {
    std::vector<std::string> ids;
    for (const auto& p : r.postings()) ids.push_back(p.posting_id());
    return ids;
  }

  SearchIndex cached_;
  SearchIndex fresh_;
};

TEST_F(SearchIndexTest, RepeatedSearchesAndEveryPageMatchAFreshSearch) {
  Load(400);
  const absl::Time now = kStart + absl::Hours(1);
  for (const char* query : {"", "cardiology", "charts audit", "nosuchword"}) {
    for (const auto& states : std::vector<std::vector<std::string>>{{}, {"TX"}, {"CA", "NY"}}) {
      v1::SearchJobsResponse first = Search(Request(query, states), now);
      // Pages inside the cached ranks and beyond them (5 pages of 20).
      for (const char* token : {"20", "80", "100", "120"}) {
        Search(Request(query, states, 20, token), now);
      }
      Search(Request(query, states, 100), now);
      Search(Request(query, states, 7, "95"), now);
    }
  }
}

TEST_F(SearchIndexTest, EqualSearchesShareAnAnswerAndDifferentOnesDoNot) {
  Load(200);
  const absl::Time now = kStart + absl::Hours(1);
  v1::SearchJobsRequest tx = Request("charts", {"TX"});
  v1::SearchJobsRequest ca = Request("charts", {"CA"});
  const v1::SearchJobsResponse a = Search(tx, now);
  const v1::SearchJobsResponse b = Search(ca, now);
  EXPECT_NE(Ids(a), Ids(b));
  // Same filters in another order and case, words repeated and reordered:
  // the same search.
  v1::SearchJobsRequest shuffled = Request("Charts charts", {"ca", "tx"});
  v1::SearchJobsRequest ordered = Request("charts", {"TX", "CA"});
  EXPECT_EQ(Ids(Search(shuffled, now)), Ids(Search(ordered, now)));
  // Words are AND: "audit charts" is not "charts".
  EXPECT_NE(Search(Request("audit charts", {}), now).total_count(),
            Search(Request("charts", {}), now).total_count());
}

TEST_F(SearchIndexTest, EveryChangeMakesACachedAnswerStale) {
  Load(100);
  const absl::Time now = kStart + absl::Hours(1);
  const v1::SearchJobsRequest r = Request("cardiology", {"TX"});
  const int64_t before = Search(r, now).total_count();

  // Published: as relevant as the others and the newest, so it leads the page.
  v1::JobPosting added =
      Posting(300, "TX", v1::WORK_ARRANGEMENT_ON_SITE, kStart + absl::Hours(800));
  common::SetTimestamp(kStart + absl::Hours(10), added.mutable_posted_at());
  Upsert(added);
  v1::SearchJobsResponse after = Search(r, now);
  EXPECT_EQ(after.total_count(), before + 1);
  ASSERT_GT(after.postings_size(), 0);
  EXPECT_EQ(after.postings(0).posting_id(), "p300");

  // Edited so that it no longer matches.
  added.set_version(2);
  added.mutable_fields()->mutable_location()->set_state("CA");
  Upsert(added);
  EXPECT_EQ(Search(r, now).total_count(), before);

  // Matching again, then closed.
  added.set_version(3);
  added.mutable_fields()->mutable_location()->set_state("TX");
  Upsert(added);
  EXPECT_EQ(Search(r, now).total_count(), before + 1);
  added.set_version(4);
  added.set_status(v1::POSTING_STATUS_CLOSED);
  Upsert(added);
  EXPECT_EQ(Search(r, now).total_count(), before);

  // An older version arriving late changes nothing, cached or not.
  added.set_version(3);
  added.set_status(v1::POSTING_STATUS_PUBLISHED);
  Upsert(added);
  EXPECT_EQ(Search(r, now).total_count(), before);
}

TEST_F(SearchIndexTest, APostingLeavesACachedAnswerAtItsClosingTime) {
  Load(50);
  const absl::Time closes = kStart + absl::Hours(5);
  v1::JobPosting expiring = Posting(301, "TX", v1::WORK_ARRANGEMENT_ON_SITE, closes);
  Upsert(expiring);
  const v1::SearchJobsRequest r = Request("", {"TX"});
  const auto has = [&](const v1::SearchJobsResponse& response) {
    for (const auto& p : response.postings()) {
      if (p.posting_id() == "p301") return true;
    }
    return false;
  };
  const v1::SearchJobsResponse open = Search(r, closes - absl::Milliseconds(1));
  EXPECT_TRUE(has(open));
  const v1::SearchJobsResponse closed = Search(r, closes);
  EXPECT_FALSE(has(closed));
  EXPECT_EQ(closed.total_count(), open.total_count() - 1);
  // A clock behind the last sweep still sees it (answers are not cached then).
  EXPECT_TRUE(has(Search(r, closes - absl::Seconds(1))));
  EXPECT_FALSE(has(Search(r, closes + absl::Seconds(1))));
}

TEST_F(SearchIndexTest, ClockDependentFiltersAndSortsStayCorrect) {
  Load(200);
  for (int hours : {1, 3, 6}) {
    const absl::Time now = kStart + absl::Hours(hours);
    v1::SearchJobsRequest r = Request("charts", {"TX"});
    r.mutable_filters()->set_posted_within_days(1);
    Search(r, now);
    r.set_sort(v1::JOB_SORT_PAY);
    r.mutable_filters()->set_min_pay_cents_yearly(5'100'000);
    Search(r, now);
    r.set_sort(v1::JOB_SORT_NEWEST);
    Search(r, now);
  }
}

TEST(ResultCacheTest, ServesOnlyItsGenerationAndEvictsTheLeastRecentlyUsed) {
  ResultCache cache(2);
  auto result = [](uint64_t generation, int64_t total) {
    auto r = std::make_shared<CachedResult>();
    r->generation = generation;
    r->total = total;
    return r;
  };
  cache.Put("a", result(1, 10));
  cache.Put("b", result(1, 20));
  ASSERT_NE(cache.Find("a", 1), nullptr);  // "a" is now the most recent
  EXPECT_EQ(cache.Find("a", 2), nullptr);  // another generation: a miss
  cache.Put("c", result(1, 30));           // evicts "b"
  EXPECT_EQ(cache.Find("b", 1), nullptr);
  EXPECT_EQ(cache.Find("a", 1)->total, 10);
  EXPECT_EQ(cache.Find("c", 1)->total, 30);
  // An older answer never replaces a newer one.
  cache.Put("a", result(3, 40));
  cache.Put("a", result(2, 50));
  EXPECT_EQ(cache.Find("a", 3)->total, 40);
  EXPECT_EQ(cache.Find("a", 2), nullptr);

  ResultCache off(0);
  off.Put("a", result(1, 10));
  EXPECT_EQ(off.Find("a", 1), nullptr);
}

TEST(HugePageAllocatorTest, LargeBlocksAreAlignedAndKeepTheirContentsAsTheyGrow) {
  std::vector<uint32_t, HugePageAllocator<uint32_t>> values;
  for (uint32_t i = 0; i < 3'000'000; ++i) values.push_back(i);  // 12 MB, several regrowths
  EXPECT_EQ(reinterpret_cast<uintptr_t>(values.data()) % kHugePageBytes, 0u);
  for (uint32_t i = 0; i < values.size(); i += 4099) ASSERT_EQ(values[i], i);
  EXPECT_EQ(values.back(), 2'999'999u);
  // Small blocks come from the ordinary allocator and work the same.
  std::vector<uint8_t, HugePageAllocator<uint8_t>> small(100, 7);
  EXPECT_EQ(small[99], 7);
  values.clear();
  values.shrink_to_fit();  // gives the mapping back
  EXPECT_TRUE(values.empty());
}

TEST(WireWriterTest, WritesWhatProtobufWrites) {
  v1::FacetValue value;
  value.set_value("REMOTE");
  value.set_count(-3);  // negative numbers take ten bytes
  std::string bytes;
  common::wire::AppendStringField(bytes, v1::FacetValue::kValueFieldNumber, value.value());
  common::wire::AppendInt64Field(bytes, v1::FacetValue::kCountFieldNumber, value.count());
  EXPECT_EQ(bytes, value.SerializeAsString());

  v1::SearchJobsResponse response;
  response.set_total_count(300);
  response.set_next_page_token("");  // empty: left out
  v1::Facet* facet = response.add_facets();
  facet->set_name("state");
  *facet->add_values() = value;
  std::string facet_bytes;
  common::wire::AppendStringField(facet_bytes, v1::Facet::kNameFieldNumber, "state");
  common::wire::AppendMessageField(facet_bytes, v1::Facet::kValuesFieldNumber, bytes);
  std::string response_bytes;
  common::wire::AppendInt64Field(response_bytes, v1::SearchJobsResponse::kTotalCountFieldNumber,
                                 300);
  common::wire::AppendMessageField(response_bytes, v1::SearchJobsResponse::kFacetsFieldNumber,
                                   facet_bytes);
  common::wire::AppendStringField(response_bytes, v1::SearchJobsResponse::kNextPageTokenFieldNumber,
                                  "");
  EXPECT_EQ(response_bytes, response.SerializeAsString());

  std::string zero;
  common::wire::AppendInt64Field(zero, 2, 0);
  EXPECT_TRUE(zero.empty());
}

}  // namespace
}  // namespace openencoder::jobs
