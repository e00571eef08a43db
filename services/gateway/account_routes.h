// Register, log in and out, the current session and its meter, password
// change and session management over AccountService. The session token
// never appears in a response body: it travels only in the HttpOnly cookie.
#ifndef OPENENCODER_SERVICES_GATEWAY_ACCOUNT_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_ACCOUNT_ROUTES_H_

#include <vector>

#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// `backends` must outlive the routes.
std::vector<Route> AccountRoutes(Backends& backends);

// The schema of GET /api/v1/session, for the OpenAPI document.
extern const char kSessionViewSchema[];

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_ACCOUNT_ROUTES_H_
