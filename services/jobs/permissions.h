// Who may do what on the job board. Pure functions over a Caller and a
// posting; every denial is PERMISSION_DENIED with a message that stands on
// its own, except where the API hides existence (CanSee).
#ifndef OPENENCODER_SERVICES_JOBS_PERMISSIONS_H_
#define OPENENCODER_SERVICES_JOBS_PERMISSIONS_H_

#include "absl/status/status.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"
#include "services/jobs/identity_client.h"

namespace openencoder::jobs {

// Employers and admins create postings.
absl::Status RequireEmployer(const Caller& caller);

// Only coders apply.
absl::Status RequireCoder(const Caller& caller);

// The moderation queue is for admins.
absl::Status RequireAdmin(const Caller& caller);

// The owning employer or an admin edits a posting and sees its applicants.
bool CanManage(const Caller& caller, const v1::JobPosting& posting);
absl::Status RequireManager(const Caller& caller, const v1::JobPosting& posting);

// Whether `caller` (null: anonymous) may read `posting` at all. Published
// (and expired) postings are public; drafts, pending, rejected and closed
// ones only for their managers. Callers turn `false` into NOT_FOUND so that
// hidden postings cannot be probed.
bool CanSee(const Caller* caller, const v1::JobPosting& posting);

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_PERMISSIONS_H_
