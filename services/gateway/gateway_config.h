// Every setting of the gateway. FromSettings reads each from its flag, else
// its environment variable, else the default (common/settings.h):
//
//   --listen                       OE_GATEWAY_LISTEN            default 127.0.0.1:8080 (host:port)
//   --admin_listen                 OE_GATEWAY_ADMIN_LISTEN      default 127.0.0.1:0; off: none
//                                                               (GET /metrics, never the public
//                                                               port)
//   --static_dir                   OE_STATIC_DIR                default services/gateway/web
//   --rpc_timeout                  OE_GATEWAY_RPC_TIMEOUT       default 3s: deadline of backend
//   calls
//   --threads                      OE_GATEWAY_THREADS           default 64: workers running
//   requests
//   --io_threads                   OE_GATEWAY_IO_THREADS        default 2: event loops
//   --max_queue                    OE_GATEWAY_MAX_QUEUE         default 256: waiting requests, then
//   503
//   --max_connections_per_network  OE_GATEWAY_MAX_CONNECTIONS_PER_NETWORK  default 256 per /24 or
//   /64
//   --header_timeout               OE_GATEWAY_HEADER_TIMEOUT    default 10s
//   --drain_timeout                OE_GATEWAY_DRAIN_TIMEOUT     default 10s: given to requests on
//   SIGTERM
//   --max_body                     OE_GATEWAY_MAX_BODY          default 65536 bytes
//   --secure_cookies               OE_GATEWAY_SECURE_COOKIES    always|proxy|never, default proxy
//   --allowed_origins              OE_GATEWAY_ALLOWED_ORIGINS   comma separated extra origins for
//   writes
//   --access_log                   OE_GATEWAY_ACCESS_LOG        1 or 0, default 1
//   --trusted_proxies              OE_GATEWAY_TRUSTED_PROXIES   CIDR list whose X-Forwarded-For is
//                                                               believed; default none
//   --ask_timeout                  OE_GATEWAY_ASK_TIMEOUT       default 60s: one assistant answer
//   --inbound_mail_window          OE_INBOUND_MAIL_WINDOW       default 5m: clock difference of
//   signed
//                                                               mail posts
//   OE_CATALOGUE_ADDR, OE_SEARCH_ADDR, OE_ACCOUNT_ADDR, OE_JOBS_ADDR, OE_ASSISTANT_ADDR: the
//   backends
// Secrets, from the environment or a mounted file only (flags show in `ps`):
//   OE_GATEWAY_DEVICE_KEY     64 hex characters signing the device cookie; unset: a per-process key
//   OE_INBOUND_MAIL_SECRET    the mail provider's HMAC secret; unset: every inbound-mail post
//   refused
#ifndef OPENENCODER_SERVICES_GATEWAY_GATEWAY_CONFIG_H_
#define OPENENCODER_SERVICES_GATEWAY_GATEWAY_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/assistant_routes.h"
#include "services/gateway/backends.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"

namespace openencoder::gateway {

struct GatewayConfig {
  HttpServerOptions http;  // listen address, threads, queue, limits, timeouts
  GatewayOptions gateway;  // cookies, origins, proxies, device key, access log
  BackendAddresses backends;
  absl::Duration rpc_timeout = absl::Seconds(3);
  AssistantRouteOptions assistant;  // ask timeout, inbound-mail secret and window
  std::string static_dir = "services/gateway/web";
  std::string admin_listen;  // common::AdminListenSetting's answer

  // INVALID_ARGUMENT naming the setting that does not parse.
  static absl::StatusOr<GatewayConfig> FromSettings();
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_GATEWAY_CONFIG_H_
