#include "services/gateway/jobs_routes.h"

#include "services/gateway/rpc_route.h"

namespace openencoder::gateway {

std::vector<Route> JobsRoutes(Backends& b) {
  using Stub = jobs::v1::JobsService::StubInterface;
  Stub* s = b.jobs.get();
  const absl::Duration t = b.timeout;
  const std::vector<int> kWrite = {400, 401, 403, 404, 409, 429, 503};
  std::vector<Route> r;
  r.push_back(RpcRoute(RouteSpec{"GET",
                                 "/api/v1/jobs",
                                 "jobs",
                                 "Search published postings (?query=&filters.arrangements=REMOTE"
                                 "&filters.states=TX&sort=NEWEST)",
                                 nullptr,
                                 nullptr,
                                 "",
                                 {400, 503}},
                       s, &Stub::SearchJobs, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"GET",
                                 "/api/v1/jobs/{posting_id}",
                                 "jobs",
                                 "One posting",
                                 nullptr,
                                 nullptr,
                                 "",
                                 {404, 503}},
                       s, &Stub::GetPosting, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"POST", "/api/v1/jobs/{posting_id}/apply", "jobs",
                                 "Apply to a posting (coders)", nullptr, nullptr, "", kWrite},
                       s, &Stub::Apply, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"POST", "/api/v1/jobs/{posting_id}/save", "jobs", "Save a posting",
                                 nullptr, nullptr, "", kWrite},
                       s, &Stub::SaveJob, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"DELETE", "/api/v1/jobs/{posting_id}/save", "jobs",
                                 "Unsave a posting", nullptr, nullptr, "", kWrite},
                       s, &Stub::UnsaveJob, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"GET",
                                 "/api/v1/me/saved-jobs",
                                 "jobs",
                                 "My saved postings",
                                 nullptr,
                                 nullptr,
                                 "",
                                 {401, 503}},
                       s, &Stub::ListSavedJobs, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"GET",
                                 "/api/v1/me/applications",
                                 "jobs",
                                 "My applications",
                                 nullptr,
                                 nullptr,
                                 "",
                                 {401, 503}},
                       s, &Stub::ListMyApplications, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"DELETE", "/api/v1/me/applications/{application_id}", "jobs",
                                 "Withdraw an application", nullptr, nullptr, "", kWrite},
                       s, &Stub::WithdrawApplication, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"GET",
                                 "/api/v1/me/postings",
                                 "jobs",
                                 "My postings (employers), newest first",
                                 nullptr,
                                 nullptr,
                                 "",
                                 {401, 403, 503}},
                       s, &Stub::ListMyPostings, "jobs", t));
  r.push_back(
      RpcRoute(RouteSpec{"POST", "/api/v1/postings", "jobs", "Create a draft posting (employers)",
                         nullptr, nullptr, "", kWrite},
               s, &Stub::CreatePosting, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"PUT", "/api/v1/postings/{posting_id}", "jobs",
                                 "Replace a posting's fields (expectedVersion guards edits)",
                                 nullptr, nullptr, "", kWrite},
                       s, &Stub::UpdatePosting, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"POST", "/api/v1/postings/{posting_id}/publish", "jobs",
                                 "Publish a draft", nullptr, nullptr, "", kWrite},
                       s, &Stub::PublishPosting, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"POST", "/api/v1/postings/{posting_id}/close", "jobs",
                                 "Close a published posting", nullptr, nullptr, "", kWrite},
                       s, &Stub::ClosePosting, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"POST", "/api/v1/postings/{posting_id}/renew", "jobs",
                                 "Extend a posting's closing date", nullptr, nullptr, "", kWrite},
                       s, &Stub::RenewPosting, "jobs", t));
  r.push_back(RpcRoute(RouteSpec{"GET",
                                 "/api/v1/postings/{posting_id}/applicants",
                                 "jobs",
                                 "Applicants of one of my postings",
                                 nullptr,
                                 nullptr,
                                 "",
                                 {401, 403, 404, 503}},
                       s, &Stub::ListApplicants, "jobs", t));
  return r;
}

}  // namespace openencoder::gateway
