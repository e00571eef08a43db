// One thread that starts and finishes the gateway's calls by name (the
// search routes', rpc_route.h WireCall) on a gRPC completion queue of its
// own.
//
// Why not gRPC's callback API, started from the HTTP loop: it finishes
// calls on a shared pool of at least two "nexting" threads that take turns
// polling, every event handing the poll to the other thread first (a futex
// wake and a context switch); and a call started by the loop while a nexting
// thread is reading the same connection has its write moved to gRPC's
// executor thread (a third thread, another wake). On these two-core
// machines a context switch costs about as much as the whole JSON answer.
// Here one thread waits, reads, writes and answers; the loop only queues
// the call and wakes the thread when it is asleep
// (bench/gateway/cpu_per_request.sh, services/gateway/README.md Speed).
#ifndef OPENENCODER_SERVICES_GATEWAY_COMPLETION_THREAD_H_
#define OPENENCODER_SERVICES_GATEWAY_COMPLETION_THREAD_H_

#include <grpcpp/grpcpp.h>

#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::gateway {

class CompletionThread {
 public:
  // A call made on queue(): Start runs on the thread and starts its
  // operations with the call as their tag; Done runs on the thread once per
  // operation that ends (`ok` as CompletionQueue::Next gives it). Neither
  // may block: every other call on the thread waits for them.
  class Pending {
   public:
    virtual ~Pending() = default;
    virtual void Start() = 0;
    virtual void Done(bool ok) = 0;
  };

  CompletionThread();
  // Returns after every call handed over has ended and its Done has run.
  ~CompletionThread();
  CompletionThread(const CompletionThread&) = delete;
  CompletionThread& operator=(const CompletionThread&) = delete;

  grpc::CompletionQueue* queue() { return &queue_; }

  // From any thread, until destruction: `call` is started on the thread,
  // soon.
  void Start(Pending* call);

 private:
  class Wake;
  void Run();
  // Starts what was handed over; false when there was nothing.
  bool StartHandedOver();

  grpc::CompletionQueue queue_;
  absl::Mutex mu_;
  std::vector<Pending*> handed_over_ ABSL_GUARDED_BY(mu_);
  std::vector<Pending*> starting_;  // the thread's own
  // The thread is between two waits and will look at handed_over_ before
  // it waits again; otherwise a hand-over wakes it.
  bool awake_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_queued_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_COMPLETION_THREAD_H_
