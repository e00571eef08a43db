// Keeps one replica's SearchIndex in step with Redis: a full load at start,
// then a poll of the change stream every `interval` (default 150 ms), which
// re-reads each changed posting and upserts it. Replicas thus converge
// within about one interval of any write, wherever it was made.
//
// The stream can miss a change: a writer that crashes between the record
// write and its XADD, a replica whose cursor fell behind the stream's
// length cap, a Redis restored from an older file. So every
// `reconcile_interval` (default 5 minutes) the feed also re-reads every
// posting; upserts are version-aware, so only what was missed changes the
// index, and any missed change is searchable within one reconcile interval.
#ifndef OPENENCODER_SERVICES_JOBS_INDEX_FEED_H_
#define OPENENCODER_SERVICES_JOBS_INDEX_FEED_H_

#include <cstddef>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/jobs/job_store.h"
#include "services/jobs/search_index.h"

namespace openencoder::jobs {

class IndexFeed {
 public:
  // The pointers must outlive the feed.
  // reconcile_interval zero or less: never reconcile.
  IndexFeed(JobStore* store, SearchIndex* index, absl::Duration interval = absl::Milliseconds(150),
            absl::Duration reconcile_interval = absl::Minutes(5));
  IndexFeed(const IndexFeed&) = delete;
  IndexFeed& operator=(const IndexFeed&) = delete;
  ~IndexFeed();  // stops the poller

  // Notes where the change stream ends, then loads every posting. Changes
  // made during the load are read again by the first poll (upserts are
  // idempotent and version-aware). UNAVAILABLE when Redis does not answer.
  absl::Status LoadAll();

  // Applies the changes made since the last call. Not thread-safe with
  // itself (the poller thread is its only caller once Start() ran).
  absl::Status PollOnce();

  // Re-reads every posting and upserts it; returns how many changed the
  // index (what the change stream had missed). Not thread-safe with
  // PollOnce (the poller thread calls both once Start() ran).
  absl::StatusOr<size_t> Reconcile();

  // Starts the poller thread; failures are logged and retried next interval.
  void Start();
  void Stop();

 private:
  void Loop();
  // Upserts every posting in Redis; returns how many changed the index.
  absl::StatusOr<size_t> UpsertAll();

  JobStore* store_;
  SearchIndex* index_;
  const absl::Duration interval_;
  const absl::Duration reconcile_interval_;
  std::string cursor_ = "0-0";
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_INDEX_FEED_H_
