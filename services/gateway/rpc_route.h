// Turns one unary RPC into one REST route: JSON body or URL parameters in,
// protobuf JSON out, errors through status_mapping. Every route over a
// backend RPC is built here, so they all parse, call and fail the same way.
#ifndef OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_H_
#define OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_H_

#include <google/protobuf/arena.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "services/common/client.h"
#include "services/common/rpc_interceptors.h"
#include "services/gateway/completion_thread.h"
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

// The 200 answer with a call's response: secret fields removed, and the
// gated ones unless the route is the metered one.
HttpResponse AnswerOf(google::protobuf::Message* response, bool route_is_metered);

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

// The gateway-owned fields of a call's request, from the request's context
// (SetGatewayFields).
inline GatewayFields GatewayFieldsOf(const RequestContext& ctx) {
  return {ctx.session_token, ctx.client_address, ctx.user_agent, ctx.request_id, ctx.device_id};
}

// The request message of a route's call, from the URL or the JSON body and
// the path parameters; a 400 when they do not make one.
template <class Req>
std::optional<HttpResponse> ParseRouteRequest(
    const HttpRequest& http, const Params& path_params, bool has_body, const RequestContext& ctx,
    const std::function<std::string(absl::string_view)>& explain, Req* request) {
  absl::Status parsed =
      has_body ? ParseJsonBody(http.body, request) : SetFieldsFromParams(http.query, request);
  if (parsed.ok()) parsed = SetFieldsFromParams(path_params, request);
  if (parsed.ok()) return std::nullopt;
  if (explain) parsed = absl::InvalidArgumentError(explain(parsed.message()));
  return GatewayErrorFor(parsed, ctx.request_id);
}

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
    if (std::optional<HttpResponse> bad =
            ParseRouteRequest(http, path_params, has_body, ctx, hooks.explain, &request)) {
      return *std::move(bad);
    }
    if (hooks.before) {
      if (std::optional<HttpResponse> early = hooks.before(request, ctx)) return *std::move(early);
    }
    SetGatewayFields(GatewayFieldsOf(ctx), &request);
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
    return AnswerOf(&response, route_is_metered);
  };
  return route;
}

// The same RPC as a route's stub method, called by name so that the answer
// arrives as bytes (see AsyncRpcRoute). The channel has no per-call
// interceptor (ChannelOptions::interceptors): the route counts the call
// (grpc_client_* metrics) and sends its traceparent itself.
struct WireCall {
  std::shared_ptr<grpc::Channel> channel;
  std::string method;                       // "/package.Service/Method"
  CompletionThread* completions = nullptr;  // starts and finishes the calls; outlives the route
};

// The 200 answer from a response's wire bytes (wire_json.h), as AnswerOf
// would give for the parsed response (`type`: the response type's default
// instance). Bytes or a type it declines are parsed and printed by
// AnswerOf; bytes that do not parse are a 500 naming `service`.
HttpResponse AnswerOfWire(const grpc::ByteBuffer& bytes, const google::protobuf::Message& type,
                          bool route_is_metered, absl::string_view service,
                          absl::string_view request_id);

// A route without hooks whose call is started on the HTTP server's I/O
// thread and answered when it ends, so that no worker thread waits for the
// backend: the call goes by name through a generic stub on `wire.channel`
// (same deadline and retries; no per-call interceptor, so the route counts
// the call and sends its traceparent itself, see WireCall), is started and
// finished on `wire.completions`' thread (completion_thread.h says why
// not gRPC's callback API), and the answer is printed from its bytes
// (AnswerOfWire): no parse into a message, no walk by reflection, no
// message to free. Search's answers were the gateway's largest own cost per
// request. Same parsing, fields, errors and JSON as RpcRoute, whose
// handler (on `stub`) answers what the HTTP server does not hand to
// async routes (HEAD, pipelined requests).
template <class Stub, class Req, class Resp>
Route AsyncRpcRoute(RouteSpec spec, Stub* stub, UnaryMethod<Stub, Req, Resp> method,
                    std::string service, absl::Duration timeout, WireCall wire) {
  Route route = RpcRoute(std::move(spec), stub, method, service, timeout);
  const bool has_body =
      route.spec.method == "POST" || route.spec.method == "PUT" || route.spec.method == "PATCH";
  const bool route_is_metered = route.spec.metered;
  auto generic = std::make_shared<grpc::GenericStub>(wire.channel);
  route.async_handler = [=](const HttpRequest& http, const Params& path_params,
                            const RequestContext& ctx, AnswerFn answer) -> bool {
    Req request;
    if (std::optional<HttpResponse> bad =
            ParseRouteRequest(http, path_params, has_body, ctx, nullptr, &request)) {
      answer(*std::move(bad));
      return true;
    }
    SetGatewayFields(GatewayFieldsOf(ctx), &request);
    // Everything the call needs, left on the completion queue as its tag.
    struct Call final : CompletionThread::Pending {
      Call(const std::string& method, const std::string& service, bool route_is_metered)
          : metrics(common::CallMetrics::Side::kClient, method.c_str()),
            service(service),
            route_is_metered(route_is_metered) {}
      void Start() override {
        reader->StartCall();
        reader->Finish(&response, &status, this);
      }
      void Done(bool) override {
        std::unique_ptr<Call> self(this);
        metrics.Finish(status.error_code());
        CallOutcome outcome = OutcomeOf(std::move(status), *context);
        answer(outcome.status.ok() ? AnswerOfWire(response, Resp::default_instance(),
                                                  route_is_metered, service, request_id)
                                   : ErrorFromOutcome(outcome, service, request_id));
      }
      common::CallMetrics metrics;
      const std::string service;
      const bool route_is_metered;
      grpc::ByteBuffer request;
      grpc::ByteBuffer response;
      grpc::Status status;
      std::unique_ptr<grpc::ClientContext> context;
      std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
      std::string request_id;
      AnswerFn answer;
    };
    auto* call = new Call(wire.method, service, route_is_metered);
    grpc::Slice bytes(request.SerializeAsString());
    call->request = grpc::ByteBuffer(&bytes, 1);
    call->context = common::MakeClientContext(timeout, ctx.request_id);
    common::AddTraceParent(call->context.get(), ctx.request_id);
    call->request_id = ctx.request_id;
    call->answer = std::move(answer);
    call->reader = generic->PrepareUnaryCall(call->context.get(), wire.method, call->request,
                                             wire.completions->queue());
    wire.completions->Start(call);
    return true;
  };
  return route;
}

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_H_
