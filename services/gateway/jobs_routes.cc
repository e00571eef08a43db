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
  RpcRouteList<Stub, JobsHooks> r(b.jobs.get(), "jobs", "jobs", b.timeout);
  r.Add("GET", "/api/v1/jobs",
        "Search published postings (?query=&filters.arrangements=REMOTE"
        "&filters.states=TX&sort=NEWEST)",
        {400, 503}, &Stub::SearchJobs);
  r.Add("GET", "/api/v1/jobs/{posting_id}", "One posting", {404, 503}, &Stub::GetPosting);
  r.Add("POST", "/api/v1/jobs/{posting_id}/apply", "Apply to a posting (coders)", kWrite,
        &Stub::Apply);
  r.Add("POST", "/api/v1/jobs/{posting_id}/save", "Save a posting", kWrite, &Stub::SaveJob);
  r.Add("DELETE", "/api/v1/jobs/{posting_id}/save", "Unsave a posting", kWrite, &Stub::UnsaveJob);
  r.Add("GET", "/api/v1/me/saved-jobs", "My saved postings", {401, 503}, &Stub::ListSavedJobs);
  r.Add("GET", "/api/v1/me/applications", "My applications", {401, 503}, &Stub::ListMyApplications);
  r.Add("DELETE", "/api/v1/me/applications/{application_id}", "Withdraw an application", kWrite,
        &Stub::WithdrawApplication);
  r.Add("GET", "/api/v1/me/postings", "My postings (employers), newest first", {401, 403, 503},
        &Stub::ListMyPostings);
  r.Add("POST", "/api/v1/postings", "Create a draft posting (employers)", kWrite,
        &Stub::CreatePosting);
  r.Add("PUT", "/api/v1/postings/{posting_id}",
        "Replace a posting's fields (expectedVersion guards edits)", kWrite, &Stub::UpdatePosting);
  r.Add("POST", "/api/v1/postings/{posting_id}/publish", "Publish a draft", kWrite,
        &Stub::PublishPosting);
  r.Add("POST", "/api/v1/postings/{posting_id}/close", "Close a published posting", kWrite,
        &Stub::ClosePosting);
  r.Add("POST", "/api/v1/postings/{posting_id}/renew", "Extend a posting's closing date", kWrite,
        &Stub::RenewPosting);
  r.Add("GET", "/api/v1/postings/{posting_id}/applicants", "Applicants of one of my postings",
        {401, 403, 404, 503}, &Stub::ListApplicants);
  r.Add("POST", "/api/v1/postings/{posting_id}/applicants/{application_id}/review",
        "Mark an applicant of my posting reviewed (reviewed: false clears it)", kWrite,
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
