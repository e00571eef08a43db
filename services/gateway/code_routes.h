// Code pages (metered), claim check, browse, modifiers, crosswalks, fees and
// edition changes over CatalogueService.
#ifndef OPENENCODER_SERVICES_GATEWAY_CODE_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_CODE_ROUTES_H_

#include <vector>

#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// `backends` must outlive the routes.
std::vector<Route> CodeRoutes(Backends& backends);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_CODE_ROUTES_H_
