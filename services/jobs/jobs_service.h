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
#include "services/common/unary_handler.h"
#include "services/common/worker_pool.h"
#include "services/jobs/job_board.h"

namespace openencoder::jobs {

class JobsServiceImpl final
    : public v1::JobsService::WithRawCallbackMethod_SearchJobs<v1::JobsService::CallbackService> {
 public:
  // `board` and `pool` must outlive the service (and the server).
  JobsServiceImpl(JobBoard* board, common::WorkerPool* pool) : board_(board), pool_(pool) {}

  OE_UNARY_METHOD(v1, CreatePosting);
  OE_UNARY_METHOD(v1, UpdatePosting);
  OE_UNARY_METHOD(v1, PublishPosting);
  OE_UNARY_METHOD(v1, ClosePosting);
  OE_UNARY_METHOD(v1, RenewPosting);
  OE_UNARY_METHOD(v1, GetPosting);
  OE_UNARY_METHOD(v1, ListMyPostings);
  OE_UNARY_METHOD(v1, ListPendingPostings);
  OE_UNARY_METHOD(v1, ReviewPosting);
  OE_UNARY_HANDLER(SearchJobs, grpc::ByteBuffer, grpc::ByteBuffer);
  OE_UNARY_METHOD(v1, Apply);
  OE_UNARY_METHOD(v1, WithdrawApplication);
  OE_UNARY_METHOD(v1, ListMyApplications);
  OE_UNARY_METHOD(v1, ListApplicants);
  OE_UNARY_METHOD(v1, MarkApplicationReviewed);
  OE_UNARY_METHOD(v1, EraseAccountData);
  OE_UNARY_METHOD(v1, SaveJob);
  OE_UNARY_METHOD(v1, UnsaveJob);
  OE_UNARY_METHOD(v1, ListSavedJobs);

 private:
  JobBoard* board_;
  common::WorkerPool* pool_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_JOBS_SERVICE_H_
