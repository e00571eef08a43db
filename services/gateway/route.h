// One REST route: what it is (method, path template, documentation) and
// what it does (a handler). The same table serves requests and generates
// /openapi.json, so a route cannot exist undocumented.
#ifndef OPENENCODER_SERVICES_GATEWAY_ROUTE_H_
#define OPENENCODER_SERVICES_GATEWAY_ROUTE_H_

#include <google/protobuf/descriptor.h>

#include <functional>
#include <string>
#include <vector>

#include "services/gateway/http_types.h"

namespace openencoder::gateway {

// What a handler knows about the caller beyond the request itself.
struct RequestContext {
  std::string request_id;     // passed to every backend call as x-request-id
  std::string session_token;  // from the oe_session cookie; "" when none
  std::string client_address;
  std::string user_agent;
  bool secure = false;  // cookies get the Secure attribute
  // The id in the signed oe_device cookie (a new one on a first API call).
  std::string device_id;
  // The request carries the CSRF header matching the cookie, or
  // Sec-Fetch-Site: same-origin: only such a request may spend a view.
  bool same_origin = false;
  // Set-Cookie values the handler wants sent (new or ended sessions).
  std::vector<std::string> set_cookies;
};

struct RouteSpec {
  std::string method;   // "GET", "POST", "PUT", "DELETE"
  std::string path;     // OpenAPI template: "/api/v1/codes/{code}"
  std::string tag;      // OpenAPI tag: "search", "codes", "account", "jobs", "ops"
  std::string summary;  // one line for people
  // The protobuf messages behind the route. For GET and DELETE the request's
  // fields are query parameters (path parameters excluded); otherwise the
  // request is the JSON body. Null: no body / no parameters.
  const google::protobuf::Descriptor* request = nullptr;
  const google::protobuf::Descriptor* response = nullptr;
  // When `response` is null: a schema written out in the OpenAPI generator.
  std::string response_schema;
  // Status codes this route can answer besides 200 (for the document).
  std::vector<int> errors;
  // True for writes that servers, not browsers, send and that prove who they
  // are by other means (a signature): no Origin / CSRF-token check. Such a
  // route must never act on the session cookie.
  bool csrf_exempt = false;
  // True only for the metered code page: every other route's answers have
  // the gated fields removed (proto_json.h IsGatedField).
  bool metered = false;
};

// A spec with only what a person reads and the errors: an RpcRoute fills
// `request` and `response` from its RPC's messages.
inline RouteSpec Spec(std::string method, std::string path, std::string tag, std::string summary,
                      std::vector<int> errors) {
  RouteSpec spec;
  spec.method = std::move(method);
  spec.path = std::move(path);
  spec.tag = std::move(tag);
  spec.summary = std::move(summary);
  spec.errors = std::move(errors);
  return spec;
}

using Handler =
    std::function<HttpResponse(const HttpRequest&, const Params& path_params, RequestContext&)>;

// Receives the answer of an asynchronous handler, once, on any thread.
using AnswerFn = std::function<void(HttpResponse)>;

// A handler that never blocks: it starts its backend call and returns true;
// `answer` is called once when the call ends (on the gateway's completion
// thread, completion_thread.h, or before the handler returns). It copies
// from the request and the context what it needs, since neither outlives
// the call. False, with nothing done and `answer` not called: it cannot run
// here, and `handler` answers instead.
using AsyncHandler = std::function<bool(const HttpRequest&, const Params& path_params,
                                        const RequestContext&, AnswerFn answer)>;

struct Route {
  RouteSpec spec;
  Handler handler;
  // Optional; when set, the HTTP server runs it on its I/O thread instead
  // of handing `handler` to a worker that blocks on the backend.
  AsyncHandler async_handler;
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_ROUTE_H_
