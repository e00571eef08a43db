// Runs a callback RPC's work on a WorkerPool and finishes the RPC: the one
// "offload, then Finish" every service with blocking work needs.
//
// - A call whose deadline passed, or that was cancelled, while it waited in
//   the queue is finished with DEADLINE_EXCEEDED and its work never runs: an
//   overloaded server stops doing work nobody waits for.
// - While the work runs, a CallScope carries the call's request id and
//   deadline to every outgoing call made with MakeClientContext.
// - `work` returns absl::Status; the RPC ends with its gRPC mapping. The
//   request and response stay valid until Finish, the last thing done.
#ifndef OPENENCODER_SERVICES_COMMON_POOL_RUNNER_H_
#define OPENENCODER_SERVICES_COMMON_POOL_RUNNER_H_

#include <grpcpp/server_context.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "services/common/call_scope.h"
#include "services/common/status.h"
#include "services/common/worker_pool.h"

namespace openencoder::common {

template <typename Work>
grpc::ServerUnaryReactor* RunOnPool(WorkerPool& pool, grpc::CallbackServerContext* context,
                                    Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pool.Schedule([context, reactor, work = std::move(work)]() mutable {
    IncomingCall call = IncomingCall::Of(*context);
    if (context->IsCancelled() || call.deadline <= absl::Now()) {
      reactor->Finish(
          ToGrpcStatus(absl::DeadlineExceededError("the server was too busy to answer in time")));
      return;
    }
    absl::Status status;
    {
      CallScope scope(std::move(call));
      status = work();
    }
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_POOL_RUNNER_H_
