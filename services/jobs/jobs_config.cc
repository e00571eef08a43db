#include "services/jobs/jobs_config.h"

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "services/common/settings.h"
#include "services/common/worker_pool.h"
#include "services/jobs/search_index.h"

ABSL_FLAG(std::string, account_addr, "", "account service address (OE_ACCOUNT_ADDR)");
ABSL_FLAG(std::string, daily_posting_limit, "",
          "postings per employer and UTC day (OE_JOBS_DAILY_POSTING_LIMIT)");
ABSL_FLAG(std::string, workers, "", "worker threads (OE_JOBS_WORKERS)");
ABSL_FLAG(std::string, search_cache_entries, "",
          "recent searches kept (OE_JOBS_SEARCH_CACHE_ENTRIES; 0: off)");
ABSL_FLAG(std::string, index_reconcile, "",
          "how often the index re-reads every posting (OE_JOBS_INDEX_RECONCILE)");

namespace openencoder::jobs {

absl::StatusOr<JobsConfig> JobsConfig::FromSettings() {
  JobsConfig c;
  c.account_addr =
      common::Setting(absl::GetFlag(FLAGS_account_addr), "OE_ACCOUNT_ADDR", c.account_addr);
  absl::StatusOr<long long> limit =
      common::IntSetting(absl::GetFlag(FLAGS_daily_posting_limit), "OE_JOBS_DAILY_POSTING_LIMIT",
                         c.daily_posting_limit);
  if (!limit.ok()) return limit.status();
  absl::StatusOr<long long> workers =
      common::IntSetting(absl::GetFlag(FLAGS_workers), "OE_JOBS_WORKERS", c.workers);
  if (!workers.ok()) return workers.status();
  if (*workers < 1) return absl::InvalidArgumentError("OE_JOBS_WORKERS: at least 1");
  absl::StatusOr<long long> cached =
      common::IntSetting(absl::GetFlag(FLAGS_search_cache_entries), "OE_JOBS_SEARCH_CACHE_ENTRIES",
                         static_cast<long long>(kDefaultCachedResults));
  if (!cached.ok()) return cached.status();
  absl::StatusOr<absl::Duration> reconcile = common::DurationSetting(
      absl::GetFlag(FLAGS_index_reconcile), "OE_JOBS_INDEX_RECONCILE", c.index_reconcile);
  if (!reconcile.ok()) return reconcile.status();
  c.daily_posting_limit = static_cast<int>(*limit);
  c.workers = static_cast<int>(*workers);
  c.search_cache_entries = static_cast<size_t>(*cached);
  c.index_reconcile = *reconcile;
  absl::StatusOr<size_t> max_queued = common::MaxQueuedSetting("jobs");
  if (!max_queued.ok()) return max_queued.status();
  c.max_queued = *max_queued;
  return c;
}

}  // namespace openencoder::jobs
