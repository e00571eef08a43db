// Checks the lines of one claim against the NCCI procedure-to-procedure
// edits and the MUEs of the snapshot, explaining each finding in a
// sentence. Demo edits are labelled "[DEMO]" in every sentence.
//
// An edit applies when both its codes are on the claim, it is in force
// (no deletion date, or one after `today`) and its modifier indicator is 0
// or 1 (9 means the edit is void). With indicator 1 an NCCI-associated
// modifier on either line bypasses it (25 and 57 only on an E/M line);
// with indicator 0 nothing does. MUE units are summed per code for
// date-of-service edits and taken per line for line edits.
#ifndef OPENENCODER_SERVICES_CATALOGUE_CLAIM_CHECKER_H_
#define OPENENCODER_SERVICES_CATALOGUE_CLAIM_CHECKER_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

inline constexpr int kMaxClaimLines = 100;

// Errors: INVALID_ARGUMENT (no lines, more than 100, units < 1, a code that
// is neither CPT nor HCPCS shaped; the message names the line). Unknown but
// well-formed codes are listed in unknown_codes.
absl::Status CheckClaim(const CatalogueSnapshot& snapshot, const pb::CheckClaimRequest& request,
                        absl::CivilDay today, pb::CheckClaimResponse* response);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CLAIM_CHECKER_H_
