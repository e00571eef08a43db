// Every setting of the jobs service. FromSettings reads each from its flag,
// else its environment variable, else the default (common/settings.h):
//
//   --account_addr         OE_ACCOUNT_ADDR               default 127.0.0.1:50053
//   --daily_posting_limit  OE_JOBS_DAILY_POSTING_LIMIT   default 20 (per employer and UTC day)
//   --workers              OE_JOBS_WORKERS               default 8 (also sizes the Redis pool)
//   --search_cache_entries OE_JOBS_SEARCH_CACHE_ENTRIES  default 1024; 0 turns the cache off
//   --index_reconcile      OE_JOBS_INDEX_RECONCILE       default 5m: a full re-read of the
//                                                        postings, for changes the stream missed
// The listen address is the server bootstrap's (OE_JOBS_LISTEN) and Redis's
// is RedisOptions::FromEnvironment's (OE_REDIS_ADDR).
#ifndef OPENENCODER_SERVICES_JOBS_JOBS_CONFIG_H_
#define OPENENCODER_SERVICES_JOBS_JOBS_CONFIG_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/settings.h"

namespace openencoder::jobs {

struct JobsConfig {
  std::string account_addr = common::LocalAddress(common::kAccountPort);
  int daily_posting_limit = 20;
  int workers = 8;
  size_t max_queued = 256;  // OE_JOBS_MAX_QUEUED (common::MaxQueuedSetting); 0: no limit
  size_t search_cache_entries = 1024;
  absl::Duration index_reconcile = absl::Minutes(5);

  // INVALID_ARGUMENT naming the setting that does not parse.
  static absl::StatusOr<JobsConfig> FromSettings();
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_JOBS_CONFIG_H_
