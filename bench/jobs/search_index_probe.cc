// oe_jobs_search_probe: loads the postings in OE_REDIS_ADDR into a
// SearchIndex in-process and reports the time of one SearchJobs request,
// so index cost can be told apart from gRPC cost.
#include <cstdlib>
#include <iostream>

#include <google/protobuf/text_format.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/redis/redis_client.h"
#include "services/jobs/index_feed.h"
#include "services/jobs/redis_job_store.h"

ABSL_FLAG(std::string, request, "", "SearchJobsRequest in text format");
ABSL_FLAG(int, iterations, 200, "searches to time");

namespace oe = ::openencoder;

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto options = oe::redis::RedisOptions::FromEnvironment();
  if (!options.ok()) return EXIT_FAILURE;
  auto client = oe::redis::RedisClient::Create(*options);
  if (!client.ok()) return EXIT_FAILURE;
  oe::jobs::RedisJobStore store(client->get());
  oe::jobs::SearchIndex index;
  oe::jobs::IndexFeed feed(&store, &index);
  if (!feed.LoadAll().ok()) return EXIT_FAILURE;
  oe::jobs::v1::SearchJobsRequest request;
  if (!google::protobuf::TextFormat::ParseFromString(absl::GetFlag(FLAGS_request), &request)) {
    return EXIT_FAILURE;
  }
  const int n = absl::GetFlag(FLAGS_iterations);
  int64_t total = 0;
  const absl::Time start = absl::Now();
  for (int i = 0; i < n; ++i) {
    auto r = index.Search(request, absl::Now());
    if (!r.ok()) return EXIT_FAILURE;
    total = r->total_count();
  }
  std::cout << "matches " << total << "  mean "
            << absl::FormatDuration((absl::Now() - start) / n) << " per search\n";
  return EXIT_SUCCESS;
}
