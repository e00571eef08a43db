#include "services/gateway/jobs_routes.h"

#include "services/gateway/rpc_route.h"
#include "services/gateway/rpc_route_list.h"

namespace openencoder::gateway {
namespace {

using Stub = jobs::v1::JobsService::StubInterface;

// Every jobs route answers bad input in sentences (HumanJobsMessage,
// jobs_errors.cc).
struct JobsHooks {
  template <class Req, class Resp>
  static RpcHooks<Req, Resp> For() {
    RpcHooks<Req, Resp> hooks;
    hooks.explain = [](absl::string_view m) { return HumanJobsMessage(m); };
    return hooks;
  }
};

}  // namespace

std::vector<Route> JobsRoutes(Backends& b) {
  const std::vector<int> kWrite = {400, 401, 403, 404, 409, 429, 503};
  RpcRouteList<Stub, JobsHooks> r(b.jobs.get(), "jobs", b.timeout);
  r.Add(Spec("GET", "/api/v1/jobs", "jobs",
             "Search published postings (?query=&filters.arrangements=REMOTE"
             "&filters.states=TX&sort=NEWEST)",
             {400, 503}),
        &Stub::SearchJobs);
  r.Add(Spec("GET", "/api/v1/jobs/{posting_id}", "jobs", "One posting", {404, 503}),
        &Stub::GetPosting);
  r.Add(Spec("POST", "/api/v1/jobs/{posting_id}/apply", "jobs", "Apply to a posting (coders)",
             kWrite),
        &Stub::Apply);
  r.Add(Spec("POST", "/api/v1/jobs/{posting_id}/save", "jobs", "Save a posting", kWrite),
        &Stub::SaveJob);
  r.Add(Spec("DELETE", "/api/v1/jobs/{posting_id}/save", "jobs", "Unsave a posting", kWrite),
        &Stub::UnsaveJob);
  r.Add(Spec("GET", "/api/v1/me/saved-jobs", "jobs", "My saved postings", {401, 503}),
        &Stub::ListSavedJobs);
  r.Add(Spec("GET", "/api/v1/me/applications", "jobs", "My applications", {401, 503}),
        &Stub::ListMyApplications);
  r.Add(Spec("DELETE", "/api/v1/me/applications/{application_id}", "jobs",
             "Withdraw an application", kWrite),
        &Stub::WithdrawApplication);
  r.Add(Spec("GET", "/api/v1/me/postings", "jobs", "My postings (employers), newest first",
             {401, 403, 503}),
        &Stub::ListMyPostings);
  r.Add(Spec("POST", "/api/v1/postings", "jobs", "Create a draft posting (employers)", kWrite),
        &Stub::CreatePosting);
  r.Add(Spec("PUT", "/api/v1/postings/{posting_id}", "jobs",
             "Replace a posting's fields (expectedVersion guards edits)", kWrite),
        &Stub::UpdatePosting);
  r.Add(Spec("POST", "/api/v1/postings/{posting_id}/publish", "jobs", "Publish a draft", kWrite),
        &Stub::PublishPosting);
  r.Add(Spec("POST", "/api/v1/postings/{posting_id}/close", "jobs", "Close a published posting",
             kWrite),
        &Stub::ClosePosting);
  r.Add(Spec("POST", "/api/v1/postings/{posting_id}/renew", "jobs",
             "Extend a posting's closing date", kWrite),
        &Stub::RenewPosting);
  r.Add(Spec("GET", "/api/v1/postings/{posting_id}/applicants", "jobs",
             "Applicants of one of my postings", {401, 403, 404, 503}),
        &Stub::ListApplicants);
  r.Add(Spec("POST", "/api/v1/postings/{posting_id}/applicants/{application_id}/review", "jobs",
             "Mark an applicant of my posting reviewed (reviewed: false clears it)", kWrite),
        &Stub::MarkApplicationReviewed);
  r.Add(Spec("GET", "/api/v1/admin/postings/pending", "admin",
             "Moderation queue: postings waiting for approval, oldest first (admins)",
             {400, 401, 403, 503}),
        &Stub::ListPendingPostings);
  r.Add(Spec("POST", "/api/v1/admin/postings/{posting_id}/review", "admin",
             "Approve or reject the pending posting at expectedVersion (admins); "
             "409 ABORTED when it changed since",
             kWrite),
        &Stub::ReviewPosting);
  return std::move(r).Take();
}

}  // namespace openencoder::gateway
