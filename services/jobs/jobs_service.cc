#include "services/jobs/jobs_service.h"

#include <string>
#include <utility>

#include "services/common/pool_runner.h"
#include "services/common/status.h"

namespace openencoder::jobs {
namespace {

// Runs `call` on the pool (common::RunOnPool: expired calls are dropped, the
// caller's request id and deadline reach the account service) and finishes
// the RPC with its result.
template <typename Response, typename Call>
grpc::ServerUnaryReactor* Offload(grpc::CallbackServerContext* context, common::WorkerPool* pool,
                                  Response* out, Call call) {
  return common::RunOnPool(*pool, context, [out, call = std::move(call)]() mutable {
    absl::StatusOr<Response> result = call();
    if (result.ok()) *out = std::move(*result);
    return result.status();
  });
}

}  // namespace

grpc::ServerUnaryReactor* JobsServiceImpl::CreatePosting(grpc::CallbackServerContext* c,
                                                         const v1::CreatePostingRequest* r,
                                                         v1::CreatePostingResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->CreatePosting(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::UpdatePosting(grpc::CallbackServerContext* c,
                                                         const v1::UpdatePostingRequest* r,
                                                         v1::UpdatePostingResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->UpdatePosting(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::PublishPosting(grpc::CallbackServerContext* c,
                                                          const v1::PublishPostingRequest* r,
                                                          v1::PublishPostingResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->PublishPosting(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::ClosePosting(grpc::CallbackServerContext* c,
                                                        const v1::ClosePostingRequest* r,
                                                        v1::ClosePostingResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->ClosePosting(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::RenewPosting(grpc::CallbackServerContext* c,
                                                        const v1::RenewPostingRequest* r,
                                                        v1::RenewPostingResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->RenewPosting(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::GetPosting(grpc::CallbackServerContext* c,
                                                      const v1::GetPostingRequest* r,
                                                      v1::GetPostingResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->GetPosting(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::ListMyPostings(grpc::CallbackServerContext* c,
                                                          const v1::ListMyPostingsRequest* r,
                                                          v1::ListMyPostingsResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->ListMyPostings(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::ListPendingPostings(
    grpc::CallbackServerContext* c, const v1::ListPendingPostingsRequest* r,
    v1::ListPendingPostingsResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->ListPendingPostings(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::ReviewPosting(grpc::CallbackServerContext* c,
                                                         const v1::ReviewPostingRequest* r,
                                                         v1::ReviewPostingResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->ReviewPosting(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::Apply(grpc::CallbackServerContext* c,
                                                 const v1::ApplyRequest* r,
                                                 v1::ApplyResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->Apply(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::WithdrawApplication(
    grpc::CallbackServerContext* c, const v1::WithdrawApplicationRequest* r,
    v1::WithdrawApplicationResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->WithdrawApplication(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::ListMyApplications(
    grpc::CallbackServerContext* c, const v1::ListMyApplicationsRequest* r,
    v1::ListMyApplicationsResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->ListMyApplications(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::ListApplicants(grpc::CallbackServerContext* c,
                                                          const v1::ListApplicantsRequest* r,
                                                          v1::ListApplicantsResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->ListApplicants(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::MarkApplicationReviewed(
    grpc::CallbackServerContext* c, const v1::MarkApplicationReviewedRequest* r,
    v1::MarkApplicationReviewedResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->MarkApplicationReviewed(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::EraseAccountData(grpc::CallbackServerContext* c,
                                                            const v1::EraseAccountDataRequest* r,
                                                            v1::EraseAccountDataResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->EraseAccountData(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::SaveJob(grpc::CallbackServerContext* c,
                                                   const v1::SaveJobRequest* r,
                                                   v1::SaveJobResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->SaveJob(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::UnsaveJob(grpc::CallbackServerContext* c,
                                                     const v1::UnsaveJobRequest* r,
                                                     v1::UnsaveJobResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->UnsaveJob(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::ListSavedJobs(grpc::CallbackServerContext* c,
                                                         const v1::ListSavedJobsRequest* r,
                                                         v1::ListSavedJobsResponse* out) {
  return Offload(c, pool_, out, [this, r] { return board_->ListSavedJobs(*r); });
}

grpc::ServerUnaryReactor* JobsServiceImpl::SearchJobs(grpc::CallbackServerContext* c,
                                                      const grpc::ByteBuffer* request_bytes,
                                                      grpc::ByteBuffer* response_bytes) {
  grpc::ServerUnaryReactor* reactor = c->DefaultReactor();
  v1::SearchJobsRequest request;
  grpc::ByteBuffer copy(*request_bytes);  // shares the slices; Deserialize consumes it
  if (!grpc::SerializationTraits<v1::SearchJobsRequest>::Deserialize(&copy, &request).ok()) {
    // What the generated handler would refuse too, but with a status that
    // says whose fault it is.
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "request: not a SearchJobsRequest (malformed bytes or a string "
                                 "that is not UTF-8)"));
    return reactor;
  }
  // Reused per callback thread: its capacity stays, so a search allocates
  // nothing here but the one slice handed to gRPC.
  thread_local std::string wire;
  absl::Status status = board_->SearchJobs(request, wire);
  if (status.ok()) {
    grpc::Slice slice(wire.data(), wire.size());
    *response_bytes = grpc::ByteBuffer(&slice, 1);
  }
  reactor->Finish(common::ToGrpcStatus(status));
  return reactor;
}

}  // namespace openencoder::jobs
