#include "services/gateway/jobs_routes.h"

#include "services/gateway/rpc_route.h"

namespace openencoder::gateway {
namespace {

using Stub = jobs::v1::JobsService::StubInterface;

// Every jobs route answers bad input in sentences (HumanJobsMessage,
// jobs_errors.cc).
template <class Req, class Resp>
Route JobsRpc(RouteSpec spec, Stub* stub, UnaryMethod<Stub, Req, Resp> method,
              absl::Duration timeout) {
  RpcHooks<Req, Resp> hooks;
  hooks.explain = [](absl::string_view m) { return HumanJobsMessage(m); };
  return RpcRoute(std::move(spec), stub, method, "jobs", timeout, std::move(hooks));
}

}  // namespace

std::vector<Route> JobsRoutes(Backends& b) {
  Stub* s = b.jobs.get();
  const absl::Duration t = b.timeout;
  const std::vector<int> kWrite = {400, 401, 403, 404, 409, 429, 503};
  std::vector<Route> r;
  r.push_back(JobsRpc(Spec("GET", "/api/v1/jobs", "jobs",
                           "Search published postings (?query=&filters.arrangements=REMOTE"
                           "&filters.states=TX&sort=NEWEST)",
                           {400, 503}),
                      s, &Stub::SearchJobs, t));
  r.push_back(JobsRpc(Spec("GET", "/api/v1/jobs/{posting_id}", "jobs", "One posting", {404, 503}),
                      s, &Stub::GetPosting, t));
  r.push_back(JobsRpc(Spec("POST", "/api/v1/jobs/{posting_id}/apply", "jobs",
                           "Apply to a posting (coders)", kWrite),
                      s, &Stub::Apply, t));
  r.push_back(
      JobsRpc(Spec("POST", "/api/v1/jobs/{posting_id}/save", "jobs", "Save a posting", kWrite), s,
              &Stub::SaveJob, t));
  r.push_back(
      JobsRpc(Spec("DELETE", "/api/v1/jobs/{posting_id}/save", "jobs", "Unsave a posting", kWrite),
              s, &Stub::UnsaveJob, t));
  r.push_back(JobsRpc(Spec("GET", "/api/v1/me/saved-jobs", "jobs", "My saved postings", {401, 503}),
                      s, &Stub::ListSavedJobs, t));
  r.push_back(JobsRpc(Spec("GET", "/api/v1/me/applications", "jobs", "My applications", {401, 503}),
                      s, &Stub::ListMyApplications, t));
  r.push_back(JobsRpc(Spec("DELETE", "/api/v1/me/applications/{application_id}", "jobs",
                           "Withdraw an application", kWrite),
                      s, &Stub::WithdrawApplication, t));
  r.push_back(JobsRpc(Spec("GET", "/api/v1/me/postings", "jobs",
                           "My postings (employers), newest first", {401, 403, 503}),
                      s, &Stub::ListMyPostings, t));
  r.push_back(JobsRpc(
      Spec("POST", "/api/v1/postings", "jobs", "Create a draft posting (employers)", kWrite), s,
      &Stub::CreatePosting, t));
  r.push_back(JobsRpc(Spec("PUT", "/api/v1/postings/{posting_id}", "jobs",
                           "Replace a posting's fields (expectedVersion guards edits)", kWrite),
                      s, &Stub::UpdatePosting, t));
  r.push_back(JobsRpc(
      Spec("POST", "/api/v1/postings/{posting_id}/publish", "jobs", "Publish a draft", kWrite), s,
      &Stub::PublishPosting, t));
  r.push_back(JobsRpc(Spec("POST", "/api/v1/postings/{posting_id}/close", "jobs",
                           "Close a published posting", kWrite),
                      s, &Stub::ClosePosting, t));
  r.push_back(JobsRpc(Spec("POST", "/api/v1/postings/{posting_id}/renew", "jobs",
                           "Extend a posting's closing date", kWrite),
                      s, &Stub::RenewPosting, t));
  r.push_back(JobsRpc(Spec("GET", "/api/v1/postings/{posting_id}/applicants", "jobs",
                           "Applicants of one of my postings", {401, 403, 404, 503}),
                      s, &Stub::ListApplicants, t));
  r.push_back(JobsRpc(
      Spec("POST", "/api/v1/postings/{posting_id}/applicants/{application_id}/review", "jobs",
           "Mark an applicant of my posting reviewed (reviewed: false clears it)", kWrite),
      s, &Stub::MarkApplicationReviewed, t));
  r.push_back(JobsRpc(Spec("GET", "/api/v1/admin/postings/pending", "admin",
                           "Moderation queue: postings waiting for approval, oldest first (admins)",
                           {400, 401, 403, 503}),
                      s, &Stub::ListPendingPostings, t));
  r.push_back(JobsRpc(Spec("POST", "/api/v1/admin/postings/{posting_id}/review", "admin",
                           "Approve or reject the pending posting at expectedVersion (admins); "
                           "409 ABORTED when it changed since",
                           kWrite),
                      s, &Stub::ReviewPosting, t));
  return r;
}

}  // namespace openencoder::gateway
