// oe_jobs_search_probe: loads the postings in OE_REDIS_ADDR into a
// SearchIndex in-process and reports the time of one SearchJobs request
// (SearchWire, as the server calls it), so index cost can be told apart from
// gRPC cost.
//
// --dump prints, for a fixed set of requests (filters, sorts, pages), the
// total, the page's posting ids, the facets and the next page token; diffing
// the dumps of two builds shows that a speed change kept the results. Under
// callgrind, collect only the searches:
//   valgrind --tool=callgrind --toggle-collect='*SearchIndex::SearchWire(*' ...
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "bench/jobs/bench_redis.h"
#include "services/common/redis/redis_client.h"
#include "services/jobs/index_feed.h"
#include "services/jobs/redis_job_store.h"

ABSL_FLAG(std::string, request, "", "SearchJobsRequest in text format");
ABSL_FLAG(int, iterations, 200, "searches to time");
ABSL_FLAG(int, cached_results, static_cast<int>(openencoder::jobs::kDefaultCachedResults),
          "result cache entries (0: every search computed afresh)");
ABSL_FLAG(bool, dump, false, "print the results of a fixed request set instead of timing");
ABSL_FLAG(int64_t, now, 0, "clock for --dump, unix seconds (0: now); pass the same to compare");
ABSL_FLAG(int64_t, search_first_at, 0,
          "--dump: search once at this clock (unix seconds) first; a later clock than --now "
          "checks that results do not depend on the clocks of earlier searches");

namespace oe = ::openencoder;
namespace v1 = ::openencoder::jobs::v1;

namespace {

// Requests that exercise every filter, sort, paging and the facet paths
// (small and large match sets).
const std::vector<std::string> kDumpRequests = {
    "",
    "page_size: 7 page_token: \"40\"",
    "sort: JOB_SORT_PAY page_size: 30",
    "query: \"cardiology\" filters { arrangements: WORK_ARRANGEMENT_REMOTE states: \"TX\" }",
    "query: \"cardiology\" filters { arrangements: WORK_ARRANGEMENT_REMOTE states: \"TX\" } "
    "page_token: \"2160\"",
    "query: \"cardiology audit\" sort: JOB_SORT_NEWEST",
    "query: \"coder epic\" filters { credentials: \"CPC\" cpc_a_accepted: true }",
    "query: \"lead inpatient\" sort: JOB_SORT_PAY filters { min_pay_cents_yearly: 9000000 }",
    "filters { states: \"NY\" settings: CODING_SETTING_INPATIENT posted_within_days: 3 }",
    "filters { specialties: \"Oncology\" arrangements: WORK_ARRANGEMENT_HYBRID } sort: "
    "JOB_SORT_PAY",
    "query: \"nosuchword\"",
    "query: \"review\" page_size: 100",
};

void Dump(const oe::jobs::SearchIndex& index, absl::Time now) {
  for (const std::string& text : kDumpRequests) {
    v1::SearchJobsRequest request;
    if (!google::protobuf::TextFormat::ParseFromString(text, &request)) {
      std::cout << "unparsable: " << text << "\n";
      continue;
    }
    auto r = index.Search(request, now);
    std::cout << "== " << text << "\n";
    // Asked again, the answer may come from the result cache: it must be
    // the same bytes.
    std::string first, again;
    if (index.SearchWire(request, now, first).ok() && index.SearchWire(request, now, again).ok() &&
        first != again) {
      std::cout << "RESULT CACHE MISMATCH\n";
    }
    if (!r.ok()) {
      std::cout << r.status() << "\n";
      continue;
    }
    std::cout << "total " << r->total_count() << " next '" << r->next_page_token() << "'\n";
    for (const auto& p : r->postings()) std::cout << p.posting_id() << " ";
    std::cout << "\n";
    for (const auto& f : r->facets()) {
      std::cout << f.name() << ":";
      for (const auto& v : f.values()) std::cout << " " << v.value() << "=" << v.count();
      std::cout << "\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // Generous: under callgrind the load runs ~50 times slower.
  auto client = oe::jobs::bench::ConnectBenchRedis(absl::Seconds(10), absl::Seconds(60));
  if (!client.ok()) {
    std::cerr << client.status() << "\n";
    return EXIT_FAILURE;
  }
  oe::jobs::RedisJobStore store(client->get());
  oe::jobs::SearchIndex index(static_cast<size_t>(absl::GetFlag(FLAGS_cached_results)));
  oe::jobs::IndexFeed feed(&store, &index);
  if (absl::Status s = feed.LoadAll(); !s.ok()) {
    std::cerr << "load: " << s << "\n";
    return EXIT_FAILURE;
  }
  if (absl::GetFlag(FLAGS_dump)) {
    // Expiry and posted-within depend on the clock: compare dumps taken
    // with the same --now.
    const int64_t now = absl::GetFlag(FLAGS_now);
    if (const int64_t first = absl::GetFlag(FLAGS_search_first_at); first != 0) {
      if (!index.Search({}, absl::FromUnixSeconds(first)).ok()) return EXIT_FAILURE;
    }
    Dump(index, now == 0 ? absl::Now() : absl::FromUnixSeconds(now));
    return EXIT_SUCCESS;
  }
  v1::SearchJobsRequest request;
  if (!google::protobuf::TextFormat::ParseFromString(absl::GetFlag(FLAGS_request), &request)) {
    return EXIT_FAILURE;
  }
  const int n = absl::GetFlag(FLAGS_iterations);
  // Times what the server does per call: the serialised answer. Ten
  // batches; the fastest batch's mean is the figure least disturbed by
  // other work on a shared machine, the median says how disturbed it was.
  std::string wire;
  constexpr int kBatches = 10;
  std::vector<absl::Duration> means;
  for (int b = 0; b < kBatches; ++b) {
    const absl::Time start = absl::Now();
    for (int i = 0; i < std::max(1, n / kBatches); ++i) {
      if (!index.SearchWire(request, absl::Now(), wire).ok()) return EXIT_FAILURE;
    }
    means.push_back((absl::Now() - start) / std::max(1, n / kBatches));
  }
  std::sort(means.begin(), means.end());
  v1::SearchJobsResponse response;
  if (!response.ParseFromString(wire)) return EXIT_FAILURE;
  std::cout << "matches " << response.total_count() << ", " << wire.size()
            << " bytes; per search: best batch " << absl::FormatDuration(means.front())
            << ", median batch " << absl::FormatDuration(means[kBatches / 2]) << "\n";
  return EXIT_SUCCESS;
}
