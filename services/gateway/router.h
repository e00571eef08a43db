// Matches request paths against route templates written the way OpenAPI
// writes them ("/api/v1/codes/{code}"), so the table that serves requests is
// the same table the OpenAPI document is generated from.
#ifndef OPENENCODER_SERVICES_GATEWAY_ROUTER_H_
#define OPENENCODER_SERVICES_GATEWAY_ROUTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/gateway/http_types.h"

namespace openencoder::gateway {

// True when `path` matches `path_template` segment by segment; a segment
// "{name}" matches any one non-empty segment and is appended to `params`
// (which may be null). Trailing slashes are not significant.
bool MatchPath(absl::string_view path_template, absl::string_view path, Params* params);

// The non-empty segments of a path or template ("/a//b/" -> a, b).
std::vector<absl::string_view> PathSegments(absl::string_view path);

// MatchPath on paths already split with PathSegments, for a caller that
// tries one path against many templates (the gateway's route table) and
// splits each once.
bool MatchSegments(const std::vector<absl::string_view>& want,
                   const std::vector<absl::string_view>& got, Params* params);

// The names of the "{name}" segments of a template, in order.
std::vector<std::string> PathParamNames(absl::string_view path_template);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_ROUTER_H_
