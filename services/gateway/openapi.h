// Builds the OpenAPI 3.0 document of the gateway from its route table and
// the protobuf descriptors behind each route, so the document cannot drift
// from what is served. Schemas follow protobuf's JSON mapping (lowerCamel
// names, enums as strings, 64-bit integers as strings, Timestamps as
// date-time strings); gateway-owned and secret fields are left out.
#ifndef OPENENCODER_SERVICES_GATEWAY_OPENAPI_H_
#define OPENENCODER_SERVICES_GATEWAY_OPENAPI_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// The whole document as one JSON string.
std::string BuildOpenApiDocument(const std::vector<RouteSpec>& routes, absl::string_view version);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_OPENAPI_H_
