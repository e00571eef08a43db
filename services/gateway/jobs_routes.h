// The job board over JobsService: public search and posting pages, coders'
// applications and saved jobs, employers' postings.
//
// The jobs service's INVALID_ARGUMENT messages name the field by its proto
// path for programs ("fields.employment_type: required", "filters.states");
// the routes turn them into sentences for people ("Employment type is
// required.", HumanJobsMessage). The web client shows error messages as they
// come, so this is where a person stops seeing field paths. Other messages
// ("the posting is closed") are returned as a sentence: capital first
// letter, final period.
#ifndef OPENENCODER_SERVICES_GATEWAY_JOBS_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_JOBS_ROUTES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// `backends` must outlive the routes.
std::vector<Route> JobsRoutes(Backends& backends);

// "fields.location.state: unknown state code" ->
// "State is not a US state code; use two letters, such as TX."
// Also the gateway's own "parameter 'filters.arrangements': unknown value 'x'".
std::string HumanJobsMessage(absl::string_view message);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_JOBS_ROUTES_H_
