// gRPC adapter for JobsService: each RPC hands its request to JobBoard and
// maps the absl::Status to a gRPC status at this edge. SearchJobs is pure
// in-memory work and runs on the callback thread; every other RPC waits on
// Redis or the account service and runs on a worker pool.
//
// SearchJobs is registered as a raw method: its response is assembled as wire
// bytes by the index (SearchIndex::SearchWire), so it is sent as they are
// instead of being built as a message and serialised again. Clients see the
// ordinary SearchJobsResponse.
#ifndef OPENENCODER_SERVICES_JOBS_JOBS_SERVICE_H_
#define OPENENCODER_SERVICES_JOBS_JOBS_SERVICE_H_

#include "openencoder/jobs/v1/jobs_service.grpc.pb.h"
#include "services/common/worker_pool.h"
#include "services/jobs/job_board.h"

namespace openencoder::jobs {

class JobsServiceImpl final
    : public v1::JobsService::WithRawCallbackMethod_SearchJobs<v1::JobsService::CallbackService> {
 public:
  // `board` and `pool` must outlive the service (and the server).
  JobsServiceImpl(JobBoard* board, common::WorkerPool* pool) : board_(board), pool_(pool) {}

  grpc::ServerUnaryReactor* CreatePosting(grpc::CallbackServerContext* c,
                                          const v1::CreatePostingRequest* r,
                                          v1::CreatePostingResponse* out) override;
  grpc::ServerUnaryReactor* UpdatePosting(grpc::CallbackServerContext* c,
                                          const v1::UpdatePostingRequest* r,
                                          v1::UpdatePostingResponse* out) override;
  grpc::ServerUnaryReactor* PublishPosting(grpc::CallbackServerContext* c,
                                           const v1::PublishPostingRequest* r,
                                           v1::PublishPostingResponse* out) override;
  grpc::ServerUnaryReactor* ClosePosting(grpc::CallbackServerContext* c,
                                         const v1::ClosePostingRequest* r,
                                         v1::ClosePostingResponse* out) override;
  grpc::ServerUnaryReactor* RenewPosting(grpc::CallbackServerContext* c,
                                         const v1::RenewPostingRequest* r,
                                         v1::RenewPostingResponse* out) override;
  grpc::ServerUnaryReactor* GetPosting(grpc::CallbackServerContext* c,
                                       const v1::GetPostingRequest* r,
                                       v1::GetPostingResponse* out) override;
  grpc::ServerUnaryReactor* ListMyPostings(grpc::CallbackServerContext* c,
                                           const v1::ListMyPostingsRequest* r,
                                           v1::ListMyPostingsResponse* out) override;
  grpc::ServerUnaryReactor* ListPendingPostings(grpc::CallbackServerContext* c,
                                                const v1::ListPendingPostingsRequest* r,
                                                v1::ListPendingPostingsResponse* out) override;
  grpc::ServerUnaryReactor* ReviewPosting(grpc::CallbackServerContext* c,
                                          const v1::ReviewPostingRequest* r,
                                          v1::ReviewPostingResponse* out) override;
  grpc::ServerUnaryReactor* SearchJobs(grpc::CallbackServerContext* c,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Apply(grpc::CallbackServerContext* c, const v1::ApplyRequest* r,
                                  v1::ApplyResponse* out) override;
  grpc::ServerUnaryReactor* WithdrawApplication(grpc::CallbackServerContext* c,
                                                const v1::WithdrawApplicationRequest* r,
                                                v1::WithdrawApplicationResponse* out) override;
  grpc::ServerUnaryReactor* ListMyApplications(grpc::CallbackServerContext* c,
                                               const v1::ListMyApplicationsRequest* r,
                                               v1::ListMyApplicationsResponse* out) override;
  grpc::ServerUnaryReactor* ListApplicants(grpc::CallbackServerContext* c,
                                           const v1::ListApplicantsRequest* r,
                                           v1::ListApplicantsResponse* out) override;
  grpc::ServerUnaryReactor* MarkApplicationReviewed(
      grpc::CallbackServerContext* c, const v1::MarkApplicationReviewedRequest* r,
      v1::MarkApplicationReviewedResponse* out) override;
  grpc::ServerUnaryReactor* EraseAccountData(grpc::CallbackServerContext* c,
                                             const v1::EraseAccountDataRequest* r,
                                             v1::EraseAccountDataResponse* out) override;
  grpc::ServerUnaryReactor* SaveJob(grpc::CallbackServerContext* c, const v1::SaveJobRequest* r,
                                    v1::SaveJobResponse* out) override;
  grpc::ServerUnaryReactor* UnsaveJob(grpc::CallbackServerContext* c, const v1::UnsaveJobRequest* r,
                                      v1::UnsaveJobResponse* out) override;
  grpc::ServerUnaryReactor* ListSavedJobs(grpc::CallbackServerContext* c,
                                          const v1::ListSavedJobsRequest* r,
                                          v1::ListSavedJobsResponse* out) override;

 private:
  JobBoard* board_;
  common::WorkerPool* pool_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_JOBS_SERVICE_H_
