#include "services/common/worker_pool.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/settings.h"

namespace openencoder::common {

absl::StatusOr<size_t> MaxQueuedSetting(absl::string_view service) {
  const std::string env = absl::StrCat("OE_", absl::AsciiStrToUpper(service), "_MAX_QUEUED");
  absl::StatusOr<long long> v =
      IntSetting("", env.c_str(), static_cast<long long>(kDefaultMaxQueued));
  if (!v.ok()) return v.status();
  return static_cast<size_t>(*v);
}

WorkerPool::WorkerPool(int threads) : WorkerPool(WorkerPoolOptions{.threads = threads}) {}

WorkerPool::WorkerPool(WorkerPoolOptions options) : options_(std::move(options)) {
  const int threads = options_.threads < 1 ? 1 : options_.threads;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Schedule(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(task));
}

bool WorkerPool::TrySchedule(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (options_.max_queued != 0 && queue_.size() >= options_.max_queued) return false;
  queue_.push_back(std::move(task));
  return true;
}

size_t WorkerPool::queued() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

bool WorkerPool::HasWorkOrStopping() const { return stopping_ || !queue_.empty(); }

void WorkerPool::Run() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &WorkerPool::HasWorkOrStopping));
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace openencoder::common
