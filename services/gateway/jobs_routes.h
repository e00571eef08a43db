// The job board over JobsService: public search and posting pages, coders'
// applications and saved jobs, employers' postings.
#ifndef OPENENCODER_SERVICES_GATEWAY_JOBS_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_JOBS_ROUTES_H_

#include <vector>

#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// `backends` must outlive the routes.
std::vector<Route> JobsRoutes(Backends& backends);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_JOBS_ROUTES_H_
