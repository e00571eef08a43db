#include "services/gateway/gateway.h"

#include <algorithm>
#include <exception>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/common/request_id.h"
#include "services/common/trace_context.h"
#include "services/gateway/cookies.h"
#include "services/gateway/csrf.h"
#include "services/gateway/gateway_metrics.h"
#include "services/gateway/openapi.h"
#include "services/gateway/router.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {
namespace {

bool IsApiPath(absl::string_view path) { return absl::StartsWith(path, "/api/"); }

void AddSecurityHeaders(HttpResponse& r) {
  r.AddHeader("X-Content-Type-Options", "nosniff");
  r.AddHeader("Referrer-Policy", "same-origin");
  r.AddHeader("X-Frame-Options", "DENY");
  if (absl::StartsWith(r.content_type, "text/html")) {
    r.AddHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  }
}

}  // namespace

Gateway::Gateway(GatewayOptions options, std::vector<Route> routes,
                 std::shared_ptr<const StaticFiles> static_files)
    : options_(std::move(options)),
      devices_(options_.device_key),
      routes_(std::move(routes)),
      static_files_(std::move(static_files)) {
  Route health;
  health.spec = RouteSpec{"GET",
                          "/healthz",
                          "ops",
                          "Liveness: the gateway process answers",
                          nullptr,
                          nullptr,
                          "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"}}}",
                          {}};
  health.handler = [](const HttpRequest&, const Params&, RequestContext&) {
    return JsonResponse(200, "{\"status\":\"SERVING\"}");
  };
  routes_.push_back(std::move(health));
  Route openapi;
  openapi.spec = RouteSpec{"GET",   "/openapi.json",         "ops", "This document", nullptr,
                           nullptr, "{\"type\":\"object\"}", {}};
  routes_.push_back(std::move(openapi));  // handler set below, once the table is complete
  std::vector<RouteSpec> specs;
  for (const Route& r : routes_) specs.push_back(r.spec);
  openapi_json_ = BuildOpenApiDocument(specs, options_.version);
  routes_.back().handler = [this](const HttpRequest&, const Params&, RequestContext&) {
    return JsonResponse(200, openapi_json_);
  };
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].async_handler) async_routes_end_ = i + 1;
    // Split once here, not for every request and route (11 % of a /healthz).
    route_segments_.push_back(PathSegments(routes_[i].spec.path));
  }
}

struct Gateway::Pending {
  absl::Time start;
  RequestContext ctx;
  common::TraceContext trace;
  // The trace registered under the request id while the request is served,
  // so backend calls carry it and log lines and error bodies name it.
  std::optional<common::ActiveTrace> active_trace;
  std::string csrf_token;
  bool csrf_cookie_needed = false;
  std::string route;  // the metrics label
  // What Finish needs of the request, which may be gone by then.
  std::string method;
  std::string path;
};

const Route* Gateway::Match(absl::string_view method, absl::string_view path, Params* path_params,
                            bool* path_known, size_t limit) const {
  *path_known = false;
  const std::vector<absl::string_view> got = PathSegments(path);
  for (size_t i = 0; i < std::min(limit, routes_.size()); ++i) {
    const Route& r = routes_[i];
    Params p;
    if (!MatchSegments(route_segments_[i], got, &p)) continue;
    *path_known = true;
    if (r.spec.method == method) {
      *path_params = std::move(p);
      return &r;
    }
  }
  return nullptr;
}

std::optional<HttpResponse> Gateway::CheckRouteCsrf(const Route& route, const HttpRequest& request,
                                                    Pending& p) const {
  if (!route.spec.csrf_exempt) {
    CsrfInput csrf;
    csrf.method = request.method;
    csrf.cookie_token = p.csrf_token;
    csrf.header_token = request.Header(kCsrfHeader);
    csrf.origin = request.Header("origin");
    csrf.referer = request.Header("referer");
    csrf.sec_fetch_site = request.Header("sec-fetch-site");
    std::string host = request.Header("host");
    csrf.self_origin =
        absl::StrCat(p.ctx.secure ? "https://" : "http://", absl::AsciiStrToLower(host));
    csrf.allowed_origins = options_.allowed_origins;
    if (absl::Status s = CheckCsrf(csrf); !s.ok()) {
      p.csrf_cookie_needed = p.csrf_token.empty();
      RecordRejected("csrf");
      return GatewayError(403, "PERMISSION_DENIED", s.message(), p.ctx.request_id);
    }
  }
  if (IsApiPath(request.path) && p.csrf_token.empty()) p.csrf_cookie_needed = true;
  return std::nullopt;
}

HttpResponse Gateway::Dispatch(const HttpRequest& request, Pending& p) const {
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  Params path_params;
  bool path_known = false;
  const Route* match = Match(method, request.path, &path_params, &path_known);
  p.route = match != nullptr ? match->spec.path : path_known ? "unmatched" : "static";
  if (match == nullptr) {
    if (path_known) {
      return GatewayError(405, "METHOD_NOT_ALLOWED", "This method is not allowed on this path.",
                          p.ctx.request_id);
    }
    if (method == "GET" && !IsApiPath(request.path) && static_files_ != nullptr) {
      std::optional<HttpResponse> file = static_files_->Serve(
          request.path, request.Header("accept-encoding"), request.Header("if-none-match"));
      if (file.has_value()) {
        // The page's script needs a CSRF token before its first POST.
        if (absl::StartsWith(file->content_type, "text/html"))
          p.csrf_cookie_needed = p.csrf_token.empty();
        return *std::move(file);
      }
    }
    return GatewayError(404, "NOT_FOUND", "There is nothing at this address.", p.ctx.request_id);
  }
  if (std::optional<HttpResponse> refused = CheckRouteCsrf(*match, request, p)) {
    return *std::move(refused);
  }
  return match->handler(request, path_params, p.ctx);
}

void Gateway::Begin(const HttpRequest& request, Pending* p) const {
  p->start = absl::Now();
  p->method = request.method;
  p->path = request.path;
  RequestContext& ctx = p->ctx;
  std::string incoming_id = request.Header(common::kRequestIdHeader);
  ctx.request_id =
      common::IsAcceptableRequestId(incoming_id) ? incoming_id : common::NewRequestId();
  ctx.client_address = ClientAddress(request.client_address, request.Header("x-forwarded-for"),
                                     options_.trusted_proxies);
  ctx.user_agent = request.Header("user-agent").substr(0, 256);
  ctx.secure = options_.secure_cookies ||
               (options_.trust_forwarded_proto &&
                absl::EqualsIgnoreCase(request.Header("x-forwarded-proto"), "https"));
  // Join the caller's W3C trace or start one.
  std::optional<common::TraceContext> incoming =
      common::ParseTraceParent(request.Header(common::kTraceParentHeader));
  p->trace = incoming.has_value() ? common::ChildOf(*incoming) : common::NewTraceContext();
  p->active_trace.emplace(ctx.request_id, p->trace);
  auto cookies = ParseCookieHeader(request.Header("cookie"));
  if (auto it = cookies.find(kSessionCookie); it != cookies.end() && IsCookieSafe(it->second)) {
    ctx.session_token = it->second;
  }
  if (auto it = cookies.find(kCsrfCookie); it != cookies.end() && IsCookieSafe(it->second)) {
    p->csrf_token = it->second;
  }
  // A read that spends a view must come from our own pages: a script of
  // ours sends the CSRF header (a cross-site page cannot read the cookie to
  // copy it), and browsers say Sec-Fetch-Site: same-origin. A cross-site
  // link or image gets the teaser and spends nothing.
  const std::string csrf_header = request.Header(kCsrfHeader);
  ctx.same_origin = (!p->csrf_token.empty() && csrf_header == p->csrf_token) ||
                    request.Header("sec-fetch-site") == "same-origin";
  if (auto it = cookies.find(kDeviceCookie); it != cookies.end()) {
    ctx.device_id = devices_.IdOf(it->second);
  }
  if (ctx.device_id.empty() && IsApiPath(request.path)) {
    const std::string value = devices_.NewValue(&ctx.device_id);
    ctx.set_cookies.push_back(DeviceCookie(value, ctx.secure));
  }
}

HttpResponse Gateway::Finish(Pending& p, HttpResponse response) const {
  RequestContext& ctx = p.ctx;
  if (p.csrf_cookie_needed) {
    response.AddHeader("Set-Cookie", CsrfCookie(NewCsrfToken(), ctx.secure));
  }
  for (std::string& c : ctx.set_cookies) response.AddHeader("Set-Cookie", std::move(c));
  if (IsApiPath(p.path)) response.AddHeader("Cache-Control", "no-store");
  response.AddHeader("X-Request-Id", ctx.request_id);
  response.AddHeader("X-Trace-Id", p.trace.trace_id);
  AddSecurityHeaders(response);

  const absl::Duration elapsed = absl::Now() - p.start;
  const double seconds = absl::ToDoubleSeconds(elapsed);
  // A 404 from the static files is no known file: "unmatched", so that
  // probes of random paths do not look like web-client traffic.
  if (p.route.empty() || (p.route == "static" && response.status == 404)) p.route = "unmatched";
  RecordHttpRequest(p.route, p.method, response.status, seconds);
  if (response.status == 429) RecordRejected("rate_limit");

  if (options_.access_log) {
    // The path only: query strings carry search terms, which can be health
    // information about the person typing them.
    // The trace is named here (last, where common::Log would put it), not
    // looked up by request id under the active traces' lock.
    common::LogInfo("http", {{"request_id", ctx.request_id},
                             {"method", p.method},
                             {"path", p.path},
                             {"status", response.status},
                             {"bytes", static_cast<long long>(response.body.size())},
                             {"ms", absl::ToDoubleMilliseconds(elapsed)},
                             {"client", ctx.client_address},
                             {"trace_id", p.trace.trace_id}});
  }
  p.active_trace.reset();
  return response;
}

HttpResponse Gateway::Handle(const HttpRequest& request) const {
  Pending p;
  Begin(request, &p);
  HttpResponse response;
  try {
    response = Dispatch(request, p);
  } catch (const std::exception& e) {
    // Our code does not throw; this guards the HTTP server's thread against
    // std::bad_alloc and the like, so one request cannot take the process down.
    common::LogError("request handler threw",
                     {{"request_id", p.ctx.request_id}, {"what", e.what()}});
    response = GatewayError(500, "INTERNAL", "Something went wrong on our side.", p.ctx.request_id);
  } catch (...) {
    response = GatewayError(500, "INTERNAL", "Something went wrong on our side.", p.ctx.request_id);
  }
  return Finish(p, std::move(response));
}

bool Gateway::TryHandleAsync(const HttpRequest& request, AnswerFn answer) const {
  // Matched on the request's own method, so HEAD (which Handle answers as
  // GET without a body) finds no route here. Only the routes up to the last
  // async one: a request for any other (most of them, /healthz last) is
  // declined without matching the rest of the table here and again in Handle.
  Params path_params;
  bool path_known = false;
  const Route* match =
      Match(request.method, request.path, &path_params, &path_known, async_routes_end_);
  if (match == nullptr || !match->async_handler) return false;
  auto p = std::make_shared<Pending>();
  Begin(request, p.get());
  p->route = match->spec.path;
  if (std::optional<HttpResponse> refused = CheckRouteCsrf(*match, request, *p)) {
    answer(Finish(*p, *std::move(refused)));
    return true;
  }
  try {
    return match->async_handler(
        request, path_params, p->ctx,
        [this, p, answer](HttpResponse response) { answer(Finish(*p, std::move(response))); });
  } catch (const std::exception& e) {
    // As in Handle; the handler has not answered (it starts a call or
    // answers, and neither throws but for the memory running out).
    common::LogError("request handler threw",
                     {{"request_id", p->ctx.request_id}, {"what", e.what()}});
    answer(Finish(
        *p, GatewayError(500, "INTERNAL", "Something went wrong on our side.", p->ctx.request_id)));
    return true;
  }
}

}  // namespace openencoder::gateway
