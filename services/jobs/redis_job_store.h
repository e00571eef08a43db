// JobStore on Redis, the system of record. Layout in redis_keys.h; design
// notes in README.md. Every write that must be atomic is one Lua script on
// keys of one hash tag; secondary lists on other tags (employer's postings,
// coder's applications, moderation queue, change stream) are updated right
// after with idempotent commands, and readers of those lists re-check the
// record itself, so a crash between the two steps leaves nothing wrong for
// long (see README).
#ifndef OPENENCODER_SERVICES_JOBS_REDIS_JOB_STORE_H_
#define OPENENCODER_SERVICES_JOBS_REDIS_JOB_STORE_H_

#include <memory>

#include "services/common/redis/redis_client.h"
#include "services/jobs/job_store.h"

namespace openencoder::jobs {

class RedisJobStore final : public JobStore {
 public:
  // `client` must outlive the store. Every call is bounded by `timeout`.
  explicit RedisJobStore(redis::RedisClient* client,
                         absl::Duration timeout = absl::Milliseconds(500));

  OE_JOB_STORE_OVERRIDES;

  // Bulk load for benchmarks and imports: stores `postings` as they are
  // (any status, version 1) in pipelined batches, without scripts or change
  // records; replicas pick them up at their next start. Overwrites.
  absl::Status BulkLoad(const std::vector<v1::JobPosting>& postings);

 private:
  absl::Time Deadline() const { return absl::Now() + timeout_; }
  // Appends the posting id to the change stream that replicas follow.
  redis::RedisCommand ChangeRecord(absl::string_view posting_id) const;
  absl::StatusOr<StorePage<std::string>> RangeIds(absl::string_view key, int64_t offset, int limit,
                                                  bool newest_first);
  absl::StatusOr<std::vector<v1::Application>> GetApplications(
      const std::vector<std::pair<std::string, std::string>>& posting_and_coder);

  redis::RedisClient* client_;
  absl::Duration timeout_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_REDIS_JOB_STORE_H_
