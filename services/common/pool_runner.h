// Runs a callback RPC's work on a WorkerPool and finishes the RPC: the one
// "offload, then Finish" every service with blocking work needs.
//
// - A call that finds the pool's queue full (WorkerPool max_queued) is
//   finished at once with RESOURCE_EXHAUSTED ("the account service is busy;
//   retry in a moment") and a retry-after-ms trailer; the gateway answers
//   429 with Retry-After. Calls are taken again as soon as the queue drains.
// - A call whose deadline passed, or that was cancelled, while it waited in
//   the queue is finished with DEADLINE_EXCEEDED and its work never runs: an
//   overloaded server stops doing work nobody waits for.
// - While the work runs, a CallScope carries the call's request id and
//   deadline to every outgoing call made with MakeClientContext.
// - `work` returns absl::Status; the RPC ends with its gRPC mapping (a
//   retry-after payload, retry_after.h, becomes the retry-after-ms trailer).
//   The request and response stay valid until Finish, the last thing done.
#ifndef OPENENCODER_SERVICES_COMMON_POOL_RUNNER_H_
#define OPENENCODER_SERVICES_COMMON_POOL_RUNNER_H_

#include <grpcpp/server_context.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/call_scope.h"
#include "services/common/retry_after.h"
#include "services/common/status.h"
#include "services/common/worker_pool.h"

namespace openencoder::common {

// Puts the retry-after delay of `status` (if any) in the retry-after-ms
// trailer; call before the call finishes.
inline void AddRetryAfterTrailer(grpc::CallbackServerContext* context, const absl::Status& status) {
  if (std::optional<absl::Duration> retry = RetryAfterOf(status); retry.has_value()) {
    context->AddTrailingMetadata(kRetryAfterTrailer,
                                 std::to_string(absl::ToInt64Milliseconds(*retry)));
  }
}

// Finishes a unary call with `status` and its retry-after trailer.
inline void FinishUnary(grpc::CallbackServerContext* context, grpc::ServerUnaryReactor* reactor,
                        const absl::Status& status) {
  AddRetryAfterTrailer(context, status);
  reactor->Finish(ToGrpcStatus(status));
}

// True when a queued call is no longer worth running: its caller gave up,
// or its deadline passed while it waited.
inline bool ExpiredWhileQueued(grpc::CallbackServerContext* context, const IncomingCall& call) {
  return context->IsCancelled() || call.deadline <= absl::Now();
}

inline absl::Status TooBusyInTime() {
  return absl::DeadlineExceededError("the server was too busy to answer in time");
}

template <typename Work>
grpc::ServerUnaryReactor* RunOnPool(WorkerPool& pool, grpc::CallbackServerContext* context,
                                    Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = pool.TrySchedule([context, reactor, work = std::move(work)]() mutable {
    IncomingCall call = IncomingCall::Of(*context);
    if (ExpiredWhileQueued(context, call)) {
      FinishUnary(context, reactor, TooBusyInTime());
      return;
    }
    absl::Status status;
    {
      CallScope scope(std::move(call));
      status = work();
    }
    FinishUnary(context, reactor, status);
  });
  if (!queued) FinishUnary(context, reactor, BusyError(pool.service()));
  return reactor;
}

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_POOL_RUNNER_H_
