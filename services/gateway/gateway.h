// The gateway's request pipeline, independent of the HTTP library:
//   request id (X-Request-Id if acceptable, else a new one) -> client
//   address (X-Forwarded-For only from a trusted proxy), device cookie,
//   same-origin signal (for metered reads) -> route match
//   (405 for a known path with another method) -> CSRF check on
//   state-changing methods -> handler -> cookies, security headers,
//   X-Request-Id -> one access-log line.
// Paths that match no route are served from the static files (GET/HEAD),
// else 404. Handle() never throws and is safe to call from many threads.
#ifndef OPENENCODER_SERVICES_GATEWAY_GATEWAY_H_
#define OPENENCODER_SERVICES_GATEWAY_GATEWAY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/gateway/client_identity.h"
#include "services/gateway/http_types.h"
#include "services/gateway/route.h"
#include "services/gateway/static_files.h"

namespace openencoder::gateway {

struct GatewayOptions {
  // Secure attribute on cookies: always, or when a trusted proxy says
  // X-Forwarded-Proto: https.
  bool secure_cookies = false;
  bool trust_forwarded_proto = false;
  // Origins besides the gateway's own that may send state-changing requests.
  std::vector<std::string> allowed_origins;
  // Peers whose X-Forwarded-For is believed (OE_GATEWAY_TRUSTED_PROXIES);
  // empty: the peer's address is the client's.
  std::vector<Cidr> trusted_proxies;
  // Signs the oe_device cookie (OE_GATEWAY_DEVICE_KEY, 32 bytes); replicas
  // behind one load balancer need the same key. Empty: random per process.
  std::string device_key;
  std::string version = "1";
  bool access_log = true;
};

class Gateway {
 public:
  // `static_files` may be null (API only). Adds /healthz and /openapi.json.
  Gateway(GatewayOptions options, std::vector<Route> routes,
          std::shared_ptr<const StaticFiles> static_files);

  HttpResponse Handle(const HttpRequest& request) const;

  // The same pipeline for a request whose route has an async_handler: it
  // is started here without blocking, and `answer` gets the finished
  // response (headers, cookies, metrics and log line as Handle's) once, on
  // the gateway's completion thread or before this returns. False, with nothing done, for
  // any other request: call Handle (on a thread that may block).
  bool TryHandleAsync(const HttpRequest& request, AnswerFn answer) const;

  const std::vector<Route>& routes() const { return routes_; }
  const std::string& openapi_json() const { return openapi_json_; }

 private:
  // One request between its start and its answer.
  struct Pending;
  void Begin(const HttpRequest& request, Pending* p) const;
  // Headers, cookies, metrics and the access log on `response`.
  HttpResponse Finish(Pending& p, HttpResponse response) const;

  // The route for `method` `path` among the first `limit`; `path_known`
  // when another method has it.
  const Route* Match(absl::string_view method, absl::string_view path, Params* path_params,
                     bool* path_known, size_t limit = SIZE_MAX) const;
  // The 403 of a route whose CSRF check fails.
  std::optional<HttpResponse> CheckRouteCsrf(const Route& route, const HttpRequest& request,
                                             Pending& p) const;

  // Sets p.route, the metrics label: the matched route's path template,
  // "static" or "unmatched".
  HttpResponse Dispatch(const HttpRequest& request, Pending& p) const;

  GatewayOptions options_;
  DeviceSigner devices_;
  std::vector<Route> routes_;
  std::shared_ptr<const StaticFiles> static_files_;
  std::string openapi_json_;
  size_t async_routes_end_ = 0;  // one past the last route with an async_handler
  // Each route's path template split into segments (views into routes_).
  std::vector<std::vector<absl::string_view>> route_segments_;
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_GATEWAY_H_
