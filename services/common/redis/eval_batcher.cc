#include "services/common/redis/eval_batcher.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

namespace openencoder::redis {

EvalBatcher::EvalBatcher(RedisClient* client, const LuaScript* script, EvalBatcherOptions options)
    : client_(client), script_(script), options_(options) {
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    senders_.emplace_back([this] { SendLoop(); });
  }
}

EvalBatcher::~EvalBatcher() {
  std::deque<Pending> left;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    left.swap(queue_);
  }
  for (std::thread& t : senders_) t.join();
  for (Pending& p : left) {
    p.done(absl::UnavailableError("the server is shutting down; retry on another replica"));
  }
}

bool EvalBatcher::Submit(RedisClient::EvalCall call, absl::Time deadline, Callback done) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || queue_.size() >= options_.max_queued) return false;
  queue_.push_back(Pending{std::move(call), deadline, std::move(done)});
  return true;
}

void EvalBatcher::SendLoop() {
  for (;;) {
    std::vector<Pending> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](EvalBatcher* b)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(b->mu_) { return b->stopping_ || !b->queue_.empty(); },
          this));
      if (stopping_) return;  // the destructor answers what is queued
      const size_t n = std::min(queue_.size(), options_.max_batch);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const absl::Time now = absl::Now();
    std::vector<RedisClient::EvalCall> calls;
    std::vector<Callback> callbacks;
    absl::Time deadline = now;
    for (Pending& p : batch) {
      if (p.deadline <= now) {
        p.done(absl::DeadlineExceededError("the server was too busy to answer in time"));
        continue;
      }
      // The latest deadline: one caller's short deadline must not fail the
      // others' calls (each socket wait is also bounded by command_timeout).
      deadline = std::max(deadline, p.deadline);
      calls.push_back(std::move(p.call));
      callbacks.push_back(std::move(p.done));
    }
    if (calls.empty()) continue;
    absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> results =
        client_->EvalMany(*script_, calls, deadline);
    for (size_t i = 0; i < callbacks.size(); ++i) {
      callbacks[i](results.ok() ? std::move((*results)[i])
                                : absl::StatusOr<RedisReply>(results.status()));
    }
  }
}

}  // namespace openencoder::redis
