// oe_jobs_server: the CareerCenter job board. Wiring only (flags -> config
// -> wiring); settings in jobs_config.h, the service in README.md.
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
#include "services/jobs/jobs_config.h"
#include "services/jobs/jobs_service.h"
#include "services/jobs/redis_job_store.h"
#include "services/jobs/redis_keys.h"
#include "services/jobs/search_index.h"

namespace oe = ::openencoder;

namespace {

int Fail(const absl::Status& status) {
  oe::common::LogError("jobs server cannot start", {{"error", status.ToString()}});
  return EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  const oe::common::ServerOptions options =
      oe::common::InitServerProcess(argc, argv, "jobs", 50054);
  absl::StatusOr<oe::jobs::JobsConfig> config = oe::jobs::JobsConfig::FromSettings();
  if (!config.ok()) return Fail(config.status());
  auto redis_options = oe::redis::RedisOptions::FromEnvironment();
  if (!redis_options.ok()) return Fail(redis_options.status());
  redis_options->pool_size = config->workers + 2;
  auto redis = oe::redis::RedisClient::Create(*redis_options);
  if (!redis.ok()) return Fail(redis.status());
  oe::jobs::RedisJobStore store(redis->get());
  oe::jobs::GrpcIdentityClient identity(config->account_addr);
  oe::jobs::SearchIndex index(config->search_cache_entries);
  oe::jobs::IndexFeed feed(&store, &index, absl::Milliseconds(150), config->index_reconcile);
  if (absl::Status s = feed.LoadAll(); !s.ok()) return Fail(s);
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
  board_options.daily_posting_limit = config->daily_posting_limit;
  oe::jobs::JobBoard board(&store, &identity, &index, board_options);
  oe::common::WorkerPool pool(oe::common::WorkerPoolOptions{
      .threads = config->workers, .max_queued = config->max_queued, .service = "jobs"});
  oe::jobs::JobsServiceImpl service(&board, &pool);
  absl::Status status = oe::common::ServeUntilSignal(
      options, {oe::common::Bind<oe::jobs::v1::JobsService>(&service)});
  return status.ok() ? EXIT_SUCCESS : Fail(status);
}
