// gRPC status -> HTTP status, Retry-After and a JSON error body a person can
// read. One table, so every route answers errors the same way.
//
//   INVALID_ARGUMENT, OUT_OF_RANGE              -> 400
//   UNAUTHENTICATED                             -> 401
//   PERMISSION_DENIED                           -> 403
//   NOT_FOUND                                   -> 404
//   ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION-> 409 (the resource's state
//       conflicts with the request: closed posting, stale version)
//   RESOURCE_EXHAUSTED                          -> 429 + Retry-After
//   UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED   -> 503 + Retry-After ("the X
//       service is not answering"; the backend's own text is not shown)
//   UNIMPLEMENTED                               -> 501
//   INTERNAL, UNKNOWN, DATA_LOSS                -> 500 (generic text: internal
//       messages may carry details that are not for the public)
#ifndef OPENENCODER_SERVICES_GATEWAY_STATUS_MAPPING_H_
#define OPENENCODER_SERVICES_GATEWAY_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "services/gateway/http_types.h"

namespace openencoder::gateway {

struct HttpError {
  int http_status = 500;
  std::string status;   // the gRPC code name, e.g. "NOT_FOUND"
  std::string message;  // for people
  std::optional<int> retry_after_seconds;
};

// Maps a failed call to `service` ("search", "account"...).
// `retry_after_ms` is the "retry-after-ms" trailer when the backend sent one.
HttpError MapGrpcError(grpc::StatusCode code, absl::string_view message, absl::string_view service,
                       std::optional<long long> retry_after_ms);

// The HTTP status alone, for the table above.
int HttpStatusFor(grpc::StatusCode code);

// The code's canonical name, e.g. "RESOURCE_EXHAUSTED".
std::string StatusCodeName(grpc::StatusCode code);

// {"error":{"code":404,"status":"NOT_FOUND","message":"...","requestId":"..."}}
// with Retry-After when set.
HttpResponse ErrorResponse(const HttpError& error, absl::string_view request_id);

// An error the gateway itself raises (bad JSON, CSRF, unknown route).
HttpResponse GatewayError(int http_status, absl::string_view status, absl::string_view message,
                          absl::string_view request_id);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_STATUS_MAPPING_H_
