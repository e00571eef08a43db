// Checks and normalises what an employer writes into a posting, before
// anything is stored. The first problem found is returned as
// INVALID_ARGUMENT whose message starts with the field's name
// ("fields.title: ...") so that a form can point at it.
#ifndef OPENENCODER_SERVICES_JOBS_POSTING_VALIDATION_H_
#define OPENENCODER_SERVICES_JOBS_POSTING_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"

namespace openencoder::jobs {

inline constexpr int kMaxTitleChars = 120;
inline constexpr int kMaxOrganizationChars = 120;
inline constexpr int kMaxDescriptionChars = 10000;
inline constexpr int kMaxNoteChars = 2000;
inline constexpr absl::Duration kMaxPostingLifetime = absl::Hours(24 * 90);
inline constexpr absl::Duration kDefaultPostingLifetime = absl::Hours(24 * 30);

// Validates `fields` and normalises it in place: trims text, upper-cases
// state codes and credentials, lower-cases specialties, sorts and
// de-duplicates the repeated fields. A closing date, if set, must lie after
// `now` and at most 90 days ahead. Plain text: valid UTF-8 without control
// characters (newline and tab are allowed in the description only).
absl::Status ValidatePostingFields(v1::PostingFields& fields, absl::Time now);

// A closing date for publishing or renewing: `requested` (unset: now + 30
// days) must be after `now` and at most 90 days ahead.
absl::StatusOr<absl::Time> ClosingTime(const google::protobuf::Timestamp* requested,
                                       absl::Time now);

// Application note (up to 2,000 characters of plain text) and résumé link
// (https URL). INVALID_ARGUMENT naming the field.
absl::Status ValidateApplication(absl::string_view note, absl::string_view resume_url);

// USPS two-letter state and territory codes (upper case).
bool IsStateCode(absl::string_view code);

// Credentials the board knows (upper case), e.g. "CPC", "CCS-P".
bool IsKnownCredential(absl::string_view credential);

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_POSTING_VALIDATION_H_
