// A fixed pool of threads for work that must not run on gRPC callback
// threads: slow CPU work (argon2id) or blocking I/O (Redis, other services),
// so that health checks and fast RPCs never wait behind it.
#ifndef OPENENCODER_SERVICES_COMMON_WORKER_POOL_H_
#define OPENENCODER_SERVICES_COMMON_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::common {

class WorkerPool {
 public:
  // Starts `threads` (at least 1) workers.
  explicit WorkerPool(int threads);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Runs every task already scheduled, then joins the workers.
  ~WorkerPool();

  // Queues `task`; tasks run in FIFO order on some worker. Thread-safe.
  void Schedule(std::function<void()> task);

 private:
  void Run();
  bool HasWorkOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_WORKER_POOL_H_
