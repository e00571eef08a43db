// Turns the jobs service's INVALID_ARGUMENT messages, which name the field
// by its proto path for programs ("fields.employment_type: required",
// "filters.states"), into sentences for people ("Employment type is
// required."). The web client shows error messages as they come, so this is
// where a person stops seeing field paths. Other messages ("the posting is
// closed") are returned as a sentence: capital first letter, final period.
#ifndef OPENENCODER_SERVICES_GATEWAY_JOBS_ERRORS_H_
#define OPENENCODER_SERVICES_GATEWAY_JOBS_ERRORS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::gateway {

// "fields.location.state: unknown state code" ->
// "State is not a US state code; use two letters, such as TX."
// Also the gateway's own "parameter 'filters.arrangements': unknown value 'x'".
std::string HumanJobsMessage(absl::string_view message);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_JOBS_ERRORS_H_
