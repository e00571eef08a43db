// A fixed pool of threads for RPCs that wait on Redis or the account
// service, so that gRPC's callback threads (which also answer health checks
// and SearchJobs) never block on I/O.
#ifndef OPENENCODER_SERVICES_JOBS_WORKER_POOL_H_
#define OPENENCODER_SERVICES_JOBS_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::jobs {

class WorkerPool {
 public:
  // Starts `threads` (at least 1) workers.
  explicit WorkerPool(int threads);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Runs every task already scheduled, then joins the workers.
  ~WorkerPool();

  // Queues `task`; tasks start in FIFO order. Thread-safe.
  void Schedule(std::function<void()> task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_WORKER_POOL_H_
