// The job board's use cases, one method per RPC, knowing nothing of gRPC:
// who is calling (IdentityClient), what they may do (permissions.h), how a
// posting moves (lifecycle.h), where it is kept (JobStore) and how it is
// found (SearchIndex). Status codes per method are the ones documented on
// the RPC in jobs_service.proto; UNAVAILABLE when the store or the account
// service does not answer.
//
// Writes go to the store first; the local search index is then updated at
// once, so the writer's next search on this replica sees the change (other
// replicas see it through the change feed within a poll interval).
//
// Thread-safe; blocks on the store and the account service (bounded by
// their timeouts), so call it off gRPC's callback threads.
#ifndef OPENENCODER_SERVICES_JOBS_JOB_BOARD_H_
#define OPENENCODER_SERVICES_JOBS_JOB_BOARD_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"
#include "services/jobs/identity_client.h"
#include "services/jobs/job_store.h"
#include "services/jobs/search_index.h"

namespace openencoder::jobs {

struct JobBoardOptions {
  // New postings per employer per UTC day (spam brake).
  int daily_posting_limit = 20;
  // Clock; tests move it to see postings expire.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class JobBoard {
 public:
  // The pointers must outlive the board.
  JobBoard(JobStore* store, IdentityClient* identity, SearchIndex* index,
           JobBoardOptions options = {});

  absl::StatusOr<v1::CreatePostingResponse> CreatePosting(const v1::CreatePostingRequest& r);
  absl::StatusOr<v1::UpdatePostingResponse> UpdatePosting(const v1::UpdatePostingRequest& r);
  absl::StatusOr<v1::PublishPostingResponse> PublishPosting(const v1::PublishPostingRequest& r);
  absl::StatusOr<v1::ClosePostingResponse> ClosePosting(const v1::ClosePostingRequest& r);
  absl::StatusOr<v1::RenewPostingResponse> RenewPosting(const v1::RenewPostingRequest& r);
  absl::StatusOr<v1::GetPostingResponse> GetPosting(const v1::GetPostingRequest& r);
  absl::StatusOr<v1::ListMyPostingsResponse> ListMyPostings(const v1::ListMyPostingsRequest& r);
  absl::StatusOr<v1::ListPendingPostingsResponse> ListPendingPostings(
      const v1::ListPendingPostingsRequest& r);
  absl::StatusOr<v1::ReviewPostingResponse> ReviewPosting(const v1::ReviewPostingRequest& r);
  // The response comes serialised (SearchIndex::SearchWire), in `wire`.
  absl::Status SearchJobs(const v1::SearchJobsRequest& r, std::string& wire);
  absl::StatusOr<v1::ApplyResponse> Apply(const v1::ApplyRequest& r);
  absl::StatusOr<v1::WithdrawApplicationResponse> WithdrawApplication(
      const v1::WithdrawApplicationRequest& r);
  absl::StatusOr<v1::ListMyApplicationsResponse> ListMyApplications(
      const v1::ListMyApplicationsRequest& r);
  absl::StatusOr<v1::ListApplicantsResponse> ListApplicants(const v1::ListApplicantsRequest& r);
  absl::StatusOr<v1::MarkApplicationReviewedResponse> MarkApplicationReviewed(
      const v1::MarkApplicationReviewedRequest& r);
  // Internal (the account service, after DeleteAccount): the rule is on the
  // RPC in jobs_service.proto. No session: the caller's certificate is the
  // permission (services/common/method_acl.cc).
  absl::StatusOr<v1::EraseAccountDataResponse> EraseAccountData(
      const v1::EraseAccountDataRequest& r);
  absl::StatusOr<v1::SaveJobResponse> SaveJob(const v1::SaveJobRequest& r);
  absl::StatusOr<v1::UnsaveJobResponse> UnsaveJob(const v1::UnsaveJobRequest& r);
  absl::StatusOr<v1::ListSavedJobsResponse> ListSavedJobs(const v1::ListSavedJobsRequest& r);

 private:
  using Change = std::function<absl::Status(v1::JobPosting&, absl::Time now)>;

  // Reads the posting, checks the caller manages it, applies `change` and
  // writes it back with a version check; without `expected_version` a lost
  // race is retried a few times, since the change is re-applied to the
  // fresh state.
  absl::StatusOr<v1::JobPosting> Mutate(const Caller& caller, const std::string& posting_id,
                                        int64_t expected_version, const Change& change);
  // The posting as a given caller may see it: expiry computed,
  // applicant_count only for its managers.
  v1::JobPosting View(v1::JobPosting posting, const Caller* caller, absl::Time now) const;

  JobStore* store_;
  IdentityClient* identity_;
  SearchIndex* index_;
  JobBoardOptions options_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_JOB_BOARD_H_
