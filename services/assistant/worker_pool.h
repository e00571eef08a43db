// A fixed set of threads running queued tasks, so that RPC callbacks never
// block a gRPC thread on Redis or on calls to other services.
//
// Thread safety: Submit() may be called from any thread. The destructor
// runs the tasks already queued, then joins.
#ifndef OPENENCODER_SERVICES_ASSISTANT_WORKER_POOL_H_
#define OPENENCODER_SERVICES_ASSISTANT_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::assistant {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task);

 private:
  void Run();
  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_WORKER_POOL_H_
