// oe_jobs_server: the CareerCenter job board. Wiring only; see README.md.
//   OE_JOBS_LISTEN (default 127.0.0.1:50054), OE_REDIS_ADDR, OE_ACCOUNT_ADDR
//   (default 127.0.0.1:50053), OE_JOBS_DAILY_POSTING_LIMIT (default 20),
//   OE_JOBS_WORKERS (default 8).
#include <cstdlib>

#include "openencoder/jobs/v1/jobs_service.grpc.pb.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/redis/redis_client.h"
#include "services/common/server.h"
#include "services/common/settings.h"
#include "services/common/worker_pool.h"
#include "services/jobs/grpc_identity_client.h"
#include "services/jobs/index_feed.h"
#include "services/jobs/job_board.h"
#include "services/jobs/jobs_service.h"
#include "services/jobs/redis_job_store.h"
#include "services/jobs/redis_keys.h"
#include "services/jobs/search_index.h"

namespace oe = ::openencoder;

int main(int argc, char** argv) {
  const oe::common::ServerOptions options =
      oe::common::InitServerProcess(argc, argv, "jobs", 50054);
  auto redis_options = oe::redis::RedisOptions::FromEnvironment();
  auto limit = oe::common::IntSetting("", "OE_JOBS_DAILY_POSTING_LIMIT", 20);
  auto workers = oe::common::IntSetting("", "OE_JOBS_WORKERS", 8);
  auto max_queued = oe::common::MaxQueuedSetting("jobs");
  auto cached_results =
      oe::common::IntSetting("", "OE_JOBS_SEARCH_CACHE_ENTRIES", oe::jobs::kDefaultCachedResults);
  // A full re-read of the postings, for changes the change stream missed.
  auto reconcile = oe::common::DurationSetting("", "OE_JOBS_INDEX_RECONCILE", absl::Minutes(5));
  for (const absl::Status& s : {redis_options.status(), limit.status(), workers.status(),
                                max_queued.status(), cached_results.status(), reconcile.status()}) {
    if (!s.ok()) {
      oe::common::LogError("bad settings", {{"error", s.ToString()}});
      return EXIT_FAILURE;
    }
  }
  if (*cached_results < 0) {
    oe::common::LogError("bad settings", {{"error", "OE_JOBS_SEARCH_CACHE_ENTRIES: negative"}});
    return EXIT_FAILURE;
  }
  redis_options->pool_size = static_cast<int>(*workers) + 2;
  auto redis = oe::redis::RedisClient::Create(*redis_options);
  if (!redis.ok()) {
    oe::common::LogError("redis client", {{"error", redis.status().ToString()}});
    return EXIT_FAILURE;
  }
  oe::jobs::RedisJobStore store(redis->get());
  oe::jobs::GrpcIdentityClient identity(
      oe::common::Setting("", "OE_ACCOUNT_ADDR", "127.0.0.1:50053"));
  oe::jobs::SearchIndex index(static_cast<size_t>(*cached_results));
  oe::jobs::IndexFeed feed(&store, &index, absl::Milliseconds(150), *reconcile);
  if (absl::Status s = feed.LoadAll(); !s.ok()) {
    oe::common::LogError("loading the search index failed", {{"error", s.ToString()}});
    return EXIT_FAILURE;
  }
  feed.Start();
  // Postings by state at scrape time: published from the index (expired ones
  // included until the index drops them), waiting for review and stored in
  // all from their Redis indexes.
  oe::common::AddScrapeGauge(
      "oe_jobs_postings", "Job postings by state", [&index, client = redis->get()] {
        std::vector<oe::common::ScrapeSample> samples = {
            {{{"state", "published"}}, static_cast<double>(index.live_count())}};
        const absl::Time deadline = absl::Now() + absl::Milliseconds(200);
        for (const auto& [state, key] :
             {std::pair<const char*, const char*>{"pending_review", oe::jobs::keys::kPending},
              {"stored", oe::jobs::keys::kAllPostings}}) {
          auto n = client->Command({"ZCARD", key}, deadline);
          if (n.ok()) samples.push_back({{{"state", state}}, static_cast<double>(n->integer())});
        }
        return samples;
      });
  oe::jobs::JobBoardOptions board_options;
  board_options.daily_posting_limit = static_cast<int>(*limit);
  oe::jobs::JobBoard board(&store, &identity, &index, board_options);
  oe::common::WorkerPool pool(oe::common::WorkerPoolOptions{
      .threads = static_cast<int>(*workers), .max_queued = *max_queued, .service = "jobs"});
  oe::jobs::JobsService service(&board, &pool);
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<oe::jobs::v1::JobsService>(&service)});
  return status.ok() ? EXIT_SUCCESS : EXIT_FAILURE;
}
