// Sends the scripts of concurrent calls to Redis together: whatever is
// waiting when a sender thread is free goes out as one pipeline
// (RedisClient::EvalMany). The caller's thread only queues the call and
// returns; the reply is handed to its callback on a sender thread.
//
// Why: a metered code page is one short script. Run from a worker pool, each
// call costs a hand-off to a worker, a blocking read and a wake-up; under
// load those thread switches, not Redis, were most of the account service's
// CPU. Batched, the switches and Redis's reads are paid once per batch, and
// no latency is added: nothing waits for a batch to fill.
//
// - Bounded: Submit refuses (returns false) when max_queued calls wait.
// - A call whose deadline passed while queued is answered
//   DEADLINE_EXCEEDED and never sent.
// - On destruction, queued calls are answered UNAVAILABLE and the sender
//   threads are joined; callbacks never run after the destructor returns.
//
// Thread-safe. The client and script must outlive the batcher.
#ifndef OPENENCODER_SERVICES_COMMON_REDIS_EVAL_BATCHER_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_EVAL_BATCHER_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/redis/lua_script.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::redis {

struct EvalBatcherOptions {
  int threads = 2;           // batches in flight at once
  size_t max_batch = 64;     // calls per pipeline
  size_t max_queued = 4096;  // waiting calls before Submit refuses
};

class EvalBatcher {
 public:
  using Callback = std::function<void(absl::StatusOr<RedisReply>)>;

  EvalBatcher(RedisClient* client, const LuaScript* script, EvalBatcherOptions options = {});
  ~EvalBatcher();
  EvalBatcher(const EvalBatcher&) = delete;
  EvalBatcher& operator=(const EvalBatcher&) = delete;

  // Queues one run of the script; `done` gets Eval's result. False (and
  // `done` is dropped uncalled) when the queue is full.
  bool Submit(RedisClient::EvalCall call, absl::Time deadline, Callback done);

 private:
  struct Pending {
    RedisClient::EvalCall call;
    absl::Time deadline;
    Callback done;
  };

  void SendLoop();

  RedisClient* const client_;
  const LuaScript* const script_;
  const EvalBatcherOptions options_;
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> senders_;
};

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_EVAL_BATCHER_H_
