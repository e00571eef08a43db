// Search, suggest and lookup over SearchService. No session needed.
#ifndef OPENENCODER_SERVICES_GATEWAY_SEARCH_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_SEARCH_ROUTES_H_

#include <vector>

#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// `backends` must outlive the routes.
std::vector<Route> SearchRoutes(Backends& backends);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_SEARCH_ROUTES_H_
