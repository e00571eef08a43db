#include "services/gateway/jobs_routes.h"

#include "services/gateway/jobs_errors.h"
#include "services/gateway/rpc_route.h"

namespace openencoder::gateway {
namespace {

using Stub = jobs::v1::JobsService::StubInterface;

// Every jobs route answers bad input in sentences (jobs_errors.h).
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
  r.push_back(JobsRpc(RouteSpec{"GET",
                                "/api/v1/jobs",
                                "jobs",
                                "Search published postings (?query=&filters.arrangements=REMOTE"
                                "&filters.states=TX&sort=NEWEST)",
                                nullptr,
                                nullptr,
                                "",
                                {400, 503}},
                      s, &Stub::SearchJobs, t));
  r.push_back(JobsRpc(RouteSpec{"GET",
                                "/api/v1/jobs/{posting_id}",
                                "jobs",
                                "One posting",
                                nullptr,
                                nullptr,
                                "",
                                {404, 503}},
                      s, &Stub::GetPosting, t));
  r.push_back(JobsRpc(RouteSpec{"POST", "/api/v1/jobs/{posting_id}/apply", "jobs",
                                "Apply to a posting (coders)", nullptr, nullptr, "", kWrite},
                      s, &Stub::Apply, t));
  r.push_back(JobsRpc(RouteSpec{"POST", "/api/v1/jobs/{posting_id}/save", "jobs", "Save a posting",
                                nullptr, nullptr, "", kWrite},
                      s, &Stub::SaveJob, t));
  r.push_back(JobsRpc(RouteSpec{"DELETE", "/api/v1/jobs/{posting_id}/save", "jobs",
                                "Unsave a posting", nullptr, nullptr, "", kWrite},
                      s, &Stub::UnsaveJob, t));
  r.push_back(JobsRpc(RouteSpec{"GET",
                                "/api/v1/me/saved-jobs",
                                "jobs",
                                "My saved postings",
                                nullptr,
                                nullptr,
                                "",
                                {401, 503}},
                      s, &Stub::ListSavedJobs, t));
  r.push_back(JobsRpc(RouteSpec{"GET",
                                "/api/v1/me/applications",
                                "jobs",
                                "My applications",
                                nullptr,
                                nullptr,
                                "",
                                {401, 503}},
                      s, &Stub::ListMyApplications, t));
  r.push_back(JobsRpc(RouteSpec{"DELETE", "/api/v1/me/applications/{application_id}", "jobs",
                                "Withdraw an application", nullptr, nullptr, "", kWrite},
                      s, &Stub::WithdrawApplication, t));
  r.push_back(JobsRpc(RouteSpec{"GET",
                                "/api/v1/me/postings",
                                "jobs",
                                "My postings (employers), newest first",
                                nullptr,
                                nullptr,
                                "",
                                {401, 403, 503}},
                      s, &Stub::ListMyPostings, t));
  r.push_back(JobsRpc(RouteSpec{"POST", "/api/v1/postings", "jobs",
                                "Create a draft posting (employers)", nullptr, nullptr, "", kWrite},
                      s, &Stub::CreatePosting, t));
  r.push_back(JobsRpc(RouteSpec{"PUT", "/api/v1/postings/{posting_id}", "jobs",
                                "Replace a posting's fields (expectedVersion guards edits)",
                                nullptr, nullptr, "", kWrite},
                      s, &Stub::UpdatePosting, t));
  r.push_back(JobsRpc(RouteSpec{"POST", "/api/v1/postings/{posting_id}/publish", "jobs",
                                "Publish a draft", nullptr, nullptr, "", kWrite},
                      s, &Stub::PublishPosting, t));
  r.push_back(JobsRpc(RouteSpec{"POST", "/api/v1/postings/{posting_id}/close", "jobs",
                                "Close a published posting", nullptr, nullptr, "", kWrite},
                      s, &Stub::ClosePosting, t));
  r.push_back(JobsRpc(RouteSpec{"POST", "/api/v1/postings/{posting_id}/renew", "jobs",
                                "Extend a posting's closing date", nullptr, nullptr, "", kWrite},
                      s, &Stub::RenewPosting, t));
  r.push_back(JobsRpc(RouteSpec{"GET",
                                "/api/v1/postings/{posting_id}/applicants",
                                "jobs",
                                "Applicants of one of my postings",
                                nullptr,
                                nullptr,
                                "",
                                {401, 403, 404, 503}},
                      s, &Stub::ListApplicants, t));
  r.push_back(JobsRpc(
      RouteSpec{"POST", "/api/v1/postings/{posting_id}/applicants/{application_id}/review", "jobs",
                "Mark an applicant of my posting reviewed (reviewed: false clears it)", nullptr,
                nullptr, "", kWrite},
      s, &Stub::MarkApplicationReviewed, t));
  r.push_back(
      JobsRpc(RouteSpec{"GET",
                        "/api/v1/admin/postings/pending",
                        "admin",
                        "Moderation queue: postings waiting for approval, oldest first (admins)",
                        nullptr,
                        nullptr,
                        "",
                        {400, 401, 403, 503}},
              s, &Stub::ListPendingPostings, t));
  r.push_back(
      JobsRpc(RouteSpec{"POST", "/api/v1/admin/postings/{posting_id}/review", "admin",
                        "Approve or reject the pending posting at expectedVersion (admins); "
                        "409 ABORTED when it changed since",
                        nullptr, nullptr, "", kWrite},
              s, &Stub::ReviewPosting, t));
  return r;
}

}  // namespace openencoder::gateway
