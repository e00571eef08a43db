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

#include <memory>
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

  const std::vector<Route>& routes() const { return routes_; }
  const std::string& openapi_json() const { return openapi_json_; }

 private:
  // `route` gets the metrics label: the matched route's path template,
  // "static" or "unmatched".
  HttpResponse Dispatch(const HttpRequest& request, RequestContext& ctx, bool& csrf_cookie_needed,
                        std::string& csrf_token, std::string& route) const;

  GatewayOptions options_;
  DeviceSigner devices_;
  std::vector<Route> routes_;
  std::shared_ptr<const StaticFiles> static_files_;
  std::string openapi_json_;
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_GATEWAY_H_
