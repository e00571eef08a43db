// Turns one unary RPC into one REST route: JSON body or URL parameters in,
// protobuf JSON out, errors through status_mapping. Every route over a
// backend RPC is built here, so they all parse, call and fail the same way.
#ifndef OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_H_
#define OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "services/gateway/proto_json.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

template <class Stub, class Req, class Resp>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Req&, Resp*);

// A finished backend call.
struct CallOutcome {
  grpc::Status status;
  std::optional<long long> retry_after_ms;  // the "retry-after-ms" trailer
};

// Calls with a deadline of now + timeout and x-request-id = request_id.
// The outcome of a finished call: its status and, for RESOURCE_EXHAUSTED,
// the "retry-after-ms" trailer the backend sent with it. The one place the
// trailer is read (unary calls and the assistant's Ask stream).
CallOutcome OutcomeOf(grpc::Status status, const grpc::ClientContext& context);

CallOutcome CallUnary(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                      absl::Duration timeout, const std::string& request_id);

// The error response for a failed call to `service`.
HttpResponse ErrorFromOutcome(const CallOutcome& outcome, absl::string_view service,
                              absl::string_view request_id);

// 400 for a request the gateway could not turn into a protobuf message.
HttpResponse GatewayErrorFor(const absl::Status& status, absl::string_view request_id);

template <class Req, class Resp>
struct RpcHooks {
  // Before the call, after parsing; a response here is sent instead of calling.
  std::function<std::optional<HttpResponse>(Req&, RequestContext&)> before;
  // After a successful call, before secrets are cleared (sets cookies).
  std::function<void(const Resp&, RequestContext&)> after;
  // Rewrites error messages for people (field paths into labels, sentence
  // case): the gateway's parse errors and every backend error (5xx get the
  // gateway's own message anyway).
  std::function<std::string(absl::string_view)> explain;
};

// `stub` must outlive the route. `service` names the backend in 503 messages.
template <class Stub, class Req, class Resp>
Route RpcRoute(RouteSpec spec, Stub* stub, UnaryMethod<Stub, Req, Resp> method, std::string service,
               absl::Duration timeout, RpcHooks<Req, Resp> hooks = {}) {
  spec.request = Req::descriptor();
  spec.response = Resp::descriptor();
  const bool has_body = spec.method == "POST" || spec.method == "PUT" || spec.method == "PATCH";
  const bool route_is_metered = spec.metered;
  Route route;
  route.spec = std::move(spec);
  route.handler = [=](const HttpRequest& http, const Params& path_params,
                      RequestContext& ctx) -> HttpResponse {
    Req request;
    absl::Status parsed =
        has_body ? ParseJsonBody(http.body, &request) : SetFieldsFromParams(http.query, &request);
    if (parsed.ok()) parsed = SetFieldsFromParams(path_params, &request);
    if (!parsed.ok()) {
      if (hooks.explain) {
        parsed = absl::InvalidArgumentError(hooks.explain(parsed.message()));
      }
      return GatewayErrorFor(parsed, ctx.request_id);
    }
    if (hooks.before) {
      if (std::optional<HttpResponse> early = hooks.before(request, ctx)) return *std::move(early);
    }
    SetGatewayFields(
        {ctx.session_token, ctx.client_address, ctx.user_agent, ctx.request_id, ctx.device_id},
        &request);
    Resp response;
    CallOutcome outcome =
        CallUnary([&](grpc::ClientContext* c) { return (stub->*method)(c, request, &response); },
                  timeout, ctx.request_id);
    if (hooks.explain && !outcome.status.ok()) {
      outcome.status =
          grpc::Status(outcome.status.error_code(), hooks.explain(outcome.status.error_message()));
    }
    if (!outcome.status.ok()) return ErrorFromOutcome(outcome, service, ctx.request_id);
    if (hooks.after) hooks.after(response, ctx);
    ClearSecretFields(&response);
    if (!route_is_metered) ClearGatedFields(&response);
    return JsonResponse(200, ToJson(response));
  };
  return route;
}

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_H_
