// The posting lifecycle as pure state transitions:
//
//   draft --publish--> published            (trusted employer)
//   draft --publish--> pending_approval     (employer without an approved posting yet)
//   pending --review--> published | rejected;   rejected --publish--> pending/published
//   published --close--> closed;   published --(closes_at passes)--> expired
//   published | expired --renew--> published (new closing date)
//
// Expiry is never stored: a posting stored as published whose closes_at has
// passed *is* expired, computed on every read (EffectiveStatus), so it
// leaves search and stops taking applications at that instant with no job
// running. Each function edits a copy of the stored posting; the caller
// writes it back with a version check.
#ifndef OPENENCODER_SERVICES_JOBS_LIFECYCLE_H_
#define OPENENCODER_SERVICES_JOBS_LIFECYCLE_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"

namespace openencoder::jobs {

// The stored status, with PUBLISHED turned into EXPIRED once closes_at <= now.
v1::PostingStatus EffectiveStatus(const v1::JobPosting& posting, absl::Time now);

// Replaces the editable fields (already validated). FAILED_PRECONDITION for
// closed or expired postings.
absl::Status ApplyEdit(v1::JobPosting& posting, const v1::PostingFields& fields, absl::Time now);

// Draft or rejected -> published (employer_trusted) or pending approval.
// Published and pending are left as they are (idempotent). FAILED_PRECONDITION
// for closed or expired postings; INVALID_ARGUMENT for a bad closing date.
absl::Status ApplyPublish(v1::JobPosting& posting, bool employer_trusted, absl::Time now);

// Published or expired -> closed; closed stays closed. FAILED_PRECONDITION
// for drafts, pending and rejected postings (withdraw them by not publishing).
absl::Status ApplyClose(v1::JobPosting& posting, absl::Time now);

// Published or expired -> published until `closes_at` (null: 30 days from
// now). INVALID_ARGUMENT for a date in the past or over 90 days ahead;
// FAILED_PRECONDITION otherwise.
absl::Status ApplyRenew(v1::JobPosting& posting, const google::protobuf::Timestamp* closes_at,
                        absl::Time now);

// Pending -> published (approve) or rejected, with the admin's note.
// FAILED_PRECONDITION when not pending.
absl::Status ApplyReview(v1::JobPosting& posting, bool approve, absl::string_view note,
                         absl::Time now);

// True while coders can apply: published and not expired.
bool IsOpen(const v1::JobPosting& posting, absl::Time now);

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_LIFECYCLE_H_
