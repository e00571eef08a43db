// JobStore in process memory, for fast unit tests of the job board's logic.
// It keeps the contract of job_store.h exactly as RedisJobStore does (same
// status codes and messages, same orderings: lists by time then id, newest
// or oldest first as documented), and tests/jobs/job_store_contract_test.cc
// runs one suite against both to keep it so. Not for production: nothing is
// persisted and memory grows with every posting.
//
// Thread-safe (one mutex). `set_unavailable(true)` makes every call answer
// UNAVAILABLE, as a store that does not answer in time.
#ifndef OPENENCODER_SERVICES_JOBS_IN_MEMORY_JOB_STORE_H_
#define OPENENCODER_SERVICES_JOBS_IN_MEMORY_JOB_STORE_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "services/jobs/job_store.h"

namespace openencoder::jobs {

class InMemoryJobStore final : public JobStore {
 public:
  InMemoryJobStore() = default;

  void set_unavailable(bool unavailable) ABSL_LOCKS_EXCLUDED(mu_);

  OE_JOB_STORE_OVERRIDES;

 private:
  // A Redis sorted set: (score, member), ordered by score then member.
  using SortedIds = std::set<std::pair<int64_t, std::string>>;

  struct StoredPosting {
    v1::JobPosting posting;  // version and applicant_count kept beside it
    int64_t version = 1;
    int32_t applicants = 0;
  };
  struct StoredApplication {
    v1::Application application;  // status kept beside it
    v1::ApplicationStatus status = v1::APPLICATION_STATUS_SUBMITTED;
    std::optional<absl::Time> reviewed_at;  // kept across a re-application
  };

  absl::Status Check() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  v1::JobPosting View(const StoredPosting& stored) const;
  static void AddNx(SortedIds& set, int64_t score, const std::string& member);
  static void Remove(SortedIds& set, const std::string& member);
  static StorePage<std::string> Range(const SortedIds& set, int64_t offset, int limit,
                                      bool newest_first);
  v1::Application ApplicationView(const StoredApplication& stored) const;
  void RecordChange(const std::string& posting_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  bool unavailable_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_map<std::string, int> day_counts_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, StoredPosting> postings_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, SortedIds> employer_postings_ ABSL_GUARDED_BY(mu_);
  SortedIds all_postings_ ABSL_GUARDED_BY(mu_);
  SortedIds pending_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> trusted_ ABSL_GUARDED_BY(mu_);
  // (posting id, coder) -> application
  absl::flat_hash_map<std::pair<std::string, std::string>, StoredApplication> applications_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, SortedIds> applicants_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, SortedIds> coder_applications_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, SortedIds> saved_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> changes_ ABSL_GUARDED_BY(mu_);  // cursor = index of the next
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_IN_MEMORY_JOB_STORE_H_
