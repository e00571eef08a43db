#include "services/gateway/completion_thread.h"

#include <grpcpp/alarm.h>

#include <chrono>
#include <exception>

#include "services/common/log.h"

namespace openencoder::gateway {
namespace {

// Our calls do not throw; this keeps the thread, and with it every other
// call's answer, alive through a std::bad_alloc or the like (as gRPC's
// callback API did).
template <class F>
void RunGuarded(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    common::LogError("a backend call on the completion thread threw", {{"what", e.what()}});
  } catch (...) {
    common::LogError("a backend call on the completion thread threw");
  }
}

}  // namespace

// A wake-up: an alarm already due, whose event ends the thread's wait.
class CompletionThread::Wake final : public Pending {
 public:
  explicit Wake(CompletionThread* thread) : thread_(thread) {}
  void Start() override {
    alarm_.Set(&thread_->queue_, std::chrono::system_clock::time_point(), this);
  }
  void Done(bool) override {
    {
      absl::MutexLock lock(&thread_->mu_);
      thread_->wake_queued_ = false;
    }
    delete this;
  }

 private:
  CompletionThread* const thread_;
  grpc::Alarm alarm_;
};

CompletionThread::CompletionThread() : thread_([this] { Run(); }) {}

CompletionThread::~CompletionThread() {
  {
    // A call may not start on a queue that is shut down: first let the
    // thread start what was handed over.
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](CompletionThread* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(t->mu_) {
          return t->handed_over_.empty() && !t->awake_;
        },
        this));
  }
  queue_.Shutdown();
  thread_.join();
}

void CompletionThread::Start(Pending* call) {
  bool wake = false;
  {
    absl::MutexLock lock(&mu_);
    handed_over_.push_back(call);
    wake = !awake_ && !wake_queued_;
    wake_queued_ = wake_queued_ || wake;
  }
  if (wake) (new Wake(this))->Start();
}

void CompletionThread::Run() {
  void* tag = nullptr;
  bool ok = false;
  // Next returns false only after Shutdown, once the queue is empty.
  while (queue_.Next(&tag, &ok)) {
    {
      absl::MutexLock lock(&mu_);
      awake_ = true;
    }
    RunGuarded([&] { static_cast<Pending*>(tag)->Done(ok); });
    while (StartHandedOver()) {
    }
  }
}

bool CompletionThread::StartHandedOver() {
  {
    absl::MutexLock lock(&mu_);
    if (handed_over_.empty()) {
      awake_ = false;
      return false;
    }
    starting_.swap(handed_over_);
  }
  for (Pending* call : starting_) RunGuarded([call] { call->Start(); });
  starting_.clear();
  return true;
}

}  // namespace openencoder::gateway
