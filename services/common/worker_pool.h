// A fixed pool of threads for work that must not run on gRPC callback
// threads: slow CPU work (argon2id) or blocking I/O (Redis, other services),
// so that health checks and fast RPCs never wait behind it.
//
// The queue in front of the threads is bounded (max_queued): past it,
// TrySchedule refuses, and the RPC edge (pool_runner.h) answers
// RESOURCE_EXHAUSTED at once instead of letting an overload grow a queue of
// calls that all time out. The bound is a setting per service
// (MaxQueuedSetting: OE_<SERVICE>_MAX_QUEUED).
#ifndef OPENENCODER_SERVICES_COMMON_WORKER_POOL_H_
#define OPENENCODER_SERVICES_COMMON_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::common {

// Calls queued but not yet running, per pool, when nothing else is set: at
// a few ms per call (a Redis round trip) a full queue drains well inside a
// typical 2 s deadline; calls beyond it would only wait and time out.
inline constexpr size_t kDefaultMaxQueued = 256;

struct WorkerPoolOptions {
  int threads = 1;                        // at least 1
  size_t max_queued = kDefaultMaxQueued;  // 0: unbounded
  // Who is busy when the queue is full, for the caller's message: "account".
  std::string service = "server";
};

// The queue bound of `service`'s pools: OE_<SERVICE>_MAX_QUEUED (e.g.
// OE_ACCOUNT_MAX_QUEUED; 0 = unbounded), default kDefaultMaxQueued.
// INVALID_ARGUMENT naming the variable when it is not a whole number.
absl::StatusOr<size_t> MaxQueuedSetting(absl::string_view service);

class WorkerPool {
 public:
  // Starts `threads` (at least 1) workers with the default queue bound.
  explicit WorkerPool(int threads);
  explicit WorkerPool(WorkerPoolOptions options);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Runs every task already scheduled, then joins the workers.
  ~WorkerPool();

  // Queues `task` whatever the bound (for work the process itself starts,
  // never for callers' requests); tasks run in FIFO order on some worker.
  // Thread-safe.
  void Schedule(std::function<void()> task);

  // Queues `task` unless max_queued tasks already wait; false (and `task`
  // dropped) when full. A full queue takes tasks again as soon as workers
  // drain it. Thread-safe.
  [[nodiscard]] bool TrySchedule(std::function<void()> task);

  // Tasks waiting for a worker (not those running), e.g. for a gauge.
  size_t queued() const ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& service() const { return options_.service; }
  size_t max_queued() const { return options_.max_queued; }

 private:
  void Run();
  bool HasWorkOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const WorkerPoolOptions options_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_WORKER_POOL_H_
