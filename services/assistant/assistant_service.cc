#include "services/assistant/assistant_service.h"

#include <deque>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/common/pool_runner.h"
#include "services/common/request_id.h"
#include "services/common/status.h"

namespace openencoder::assistant {
namespace {

// Streams the events a worker thread produces. Writes go one at a time (the
// callback API allows one outstanding write); the worker queues and never
// waits. Finish() is called once the worker is done and the queue drained;
// OnDone() deletes the reactor, after which the worker no longer touches it.
class AskReactor final : public grpc::ServerWriteReactor<v1::AskEvent> {
 public:
  // Called by the worker. False once the client is gone.
  bool Push(const v1::AskEvent& event) {
    absl::MutexLock lock(&mu_);
    if (broken_) return false;
    queue_.push_back(event);
    if (!writing_) WriteFront();
    return true;
  }

  // Called by the worker when it is done.
  void Complete(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    final_status_ = std::move(status);
    complete_ = true;
    if (!writing_) MaybeFinish();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    queue_.pop_front();
    if (!ok) {
      broken_ = true;
      queue_.clear();
    }
    if (!queue_.empty()) {
      WriteFront();
    } else if (complete_) {
      MaybeFinish();
    }
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    broken_ = true;
  }

  void OnDone() override { delete this; }

 private:
  void WriteFront() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    writing_ = true;
    StartWrite(&queue_.front());
  }
  void MaybeFinish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(final_status_);
  }

  absl::Mutex mu_;
  std::deque<v1::AskEvent> queue_ ABSL_GUARDED_BY(mu_);  // front() is being written
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool complete_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status final_status_ ABSL_GUARDED_BY(mu_);
};

// Runs `work` on the pool and finishes the unary call with its status
// (common::RunOnPool: a call that expired in the queue is dropped, and the
// caller's request id and deadline reach the services `work` calls).
template <typename Work>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, common::WorkerPool* pool,
                                   Work work) {
  return common::RunOnPool(*pool, context, std::move(work));
}

// Copies a StatusOr's value into the response and returns its status.
template <typename T>
absl::Status Into(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return result.status();
  *response = *std::move(result);
  return absl::OkStatus();
}

}  // namespace

grpc::ServerWriteReactor<v1::AskEvent>* AssistantServiceImpl::Ask(
    grpc::CallbackServerContext* context, const v1::AskRequest* request) {
  auto* reactor = new AskReactor();
  const std::string request_id = common::RequestIdOf(*context);
  // Bounded and deadline-checked like the unary calls (common/pool_runner.h);
  // the context stays valid until the reactor finishes.
  const bool queued = pool_->TrySchedule([this, context, reactor, request, request_id] {
    if (common::ExpiredWhileQueued(context, common::IncomingCall::Of(*context))) {
      reactor->Complete(common::ToGrpcStatus(common::TooBusyInTime()));
      return;
    }
    absl::Status status = pilot_->Ask(
        *request, request_id, [reactor](const v1::AskEvent& e) { return reactor->Push(e); });
    reactor->Complete(common::ToGrpcStatus(status));
  });
  if (!queued) {
    const absl::Status busy = common::BusyError(pool_->service());
    common::AddRetryAfterTrailer(context, busy);
    reactor->Complete(common::ToGrpcStatus(busy));
  }
  return reactor;
}

grpc::ServerUnaryReactor* AssistantServiceImpl::SubmitEmail(grpc::CallbackServerContext* context,
                                                            const v1::SubmitEmailRequest* request,
                                                            v1::SubmitEmailResponse* response) {
  const std::string rid = common::RequestIdOf(*context);
  return RunUnary(context, pool_, [this, request, response, rid] {
    return Into(consultant_->SubmitEmail(*request, rid), response);
  });
}

grpc::ServerUnaryReactor* AssistantServiceImpl::ListTickets(grpc::CallbackServerContext* context,
                                                            const v1::ListTicketsRequest* request,
                                                            v1::ListTicketsResponse* response) {
  const std::string rid = common::RequestIdOf(*context);
  return RunUnary(context, pool_, [this, request, response, rid] {
    return Into(consultant_->ListTickets(*request, rid), response);
  });
}

grpc::ServerUnaryReactor* AssistantServiceImpl::GetTicket(grpc::CallbackServerContext* context,
                                                          const v1::GetTicketRequest* request,
                                                          v1::GetTicketResponse* response) {
  const std::string rid = common::RequestIdOf(*context);
  return RunUnary(context, pool_, [this, request, response, rid] {
    return Into(consultant_->GetTicket(*request, rid), response);
  });
}

grpc::ServerUnaryReactor* AssistantServiceImpl::ClaimTicket(grpc::CallbackServerContext* context,
                                                            const v1::ClaimTicketRequest* request,
                                                            v1::ClaimTicketResponse* response) {
  const std::string rid = common::RequestIdOf(*context);
  return RunUnary(context, pool_, [this, request, response, rid] {
    return Into(consultant_->ClaimTicket(*request, rid), response);
  });
}

grpc::ServerUnaryReactor* AssistantServiceImpl::AnswerTicket(grpc::CallbackServerContext* context,
                                                             const v1::AnswerTicketRequest* request,
                                                             v1::AnswerTicketResponse* response) {
  const std::string rid = common::RequestIdOf(*context);
  return RunUnary(context, pool_, [this, request, response, rid] {
    return Into(consultant_->AnswerTicket(*request, rid), response);
  });
}

grpc::ServerUnaryReactor* AssistantServiceImpl::SubmitQuestion(
    grpc::CallbackServerContext* context, const v1::SubmitQuestionRequest* request,
    v1::SubmitQuestionResponse* response) {
  const std::string rid = common::RequestIdOf(*context);
  return RunUnary(context, pool_, [this, request, response, rid] {
    return Into(consultant_->SubmitQuestion(*request, rid), response);
  });
}

grpc::ServerUnaryReactor* AssistantServiceImpl::ListMyQuestions(
    grpc::CallbackServerContext* context, const v1::ListMyQuestionsRequest* request,
    v1::ListMyQuestionsResponse* response) {
  const std::string rid = common::RequestIdOf(*context);
  return RunUnary(context, pool_, [this, request, response, rid] {
    return Into(consultant_->ListMyQuestions(*request, rid), response);
  });
}

grpc::ServerUnaryReactor* AssistantServiceImpl::EraseAccountData(
    grpc::CallbackServerContext* context, const v1::EraseAccountDataRequest* request,
    v1::EraseAccountDataResponse* response) {
  return RunUnary(context, pool_, [this, request, response] {
    if (erasure_ == nullptr) {
      return Into(absl::StatusOr<v1::EraseAccountDataResponse>(
                      absl::UnimplementedError("this assistant server erases no account data")),
                  response);
    }
    return Into(erasure_->EraseAccountData(*request), response);
  });
}

}  // namespace openencoder::assistant
