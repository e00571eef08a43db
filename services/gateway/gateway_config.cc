#include "services/gateway/gateway_config.h"

#include <tuple>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/metrics.h"
#include "services/common/secret_setting.h"
#include "services/common/settings.h"
#include "services/gateway/client_identity.h"

ABSL_FLAG(std::string, listen, "", "host:port (OE_GATEWAY_LISTEN, default 127.0.0.1:8080)");
ABSL_FLAG(std::string, admin_listen, "",
          "host:port of GET /metrics, never the public port (OE_GATEWAY_ADMIN_LISTEN, default "
          "127.0.0.1:0; off: none)");
ABSL_FLAG(std::string, static_dir, "",
          "web client folder (OE_STATIC_DIR, default services/gateway/web)");
ABSL_FLAG(std::string, rpc_timeout, "", "deadline of backend calls (OE_GATEWAY_RPC_TIMEOUT, 3s)");
ABSL_FLAG(std::string, threads, "",
          "workers running requests, which wait on backends (OE_GATEWAY_THREADS, 64)");
ABSL_FLAG(std::string, io_threads, "",
          "event loops holding the connections (OE_GATEWAY_IO_THREADS, 2)");
ABSL_FLAG(std::string, max_queue, "",
          "requests waiting for a worker before 503 (OE_GATEWAY_MAX_QUEUE, 256)");
ABSL_FLAG(std::string, max_connections_per_network, "",
          "open connections per client /24 or /64, trusted proxies exempt "
          "(OE_GATEWAY_MAX_CONNECTIONS_PER_NETWORK, 256)");
ABSL_FLAG(std::string, header_timeout, "",
          "time for a request's headers to arrive (OE_GATEWAY_HEADER_TIMEOUT, 10s)");
ABSL_FLAG(std::string, drain_timeout, "",
          "time given to requests in progress on SIGTERM (OE_GATEWAY_DRAIN_TIMEOUT, 10s)");
ABSL_FLAG(std::string, max_body, "", "largest request body in bytes (OE_GATEWAY_MAX_BODY, 65536)");
ABSL_FLAG(std::string, secure_cookies, "", "always|proxy|never (OE_GATEWAY_SECURE_COOKIES, proxy)");
ABSL_FLAG(std::string, allowed_origins, "",
          "extra origins for writes (OE_GATEWAY_ALLOWED_ORIGINS)");
ABSL_FLAG(std::string, access_log, "", "1 or 0 (OE_GATEWAY_ACCESS_LOG, 1)");
ABSL_FLAG(std::string, trusted_proxies, "",
          "networks whose X-Forwarded-For is believed, e.g. 10.0.0.0/8 "
          "(OE_GATEWAY_TRUSTED_PROXIES; default none)");
ABSL_FLAG(std::string, ask_timeout, "",
          "deadline of one assistant answer (OE_GATEWAY_ASK_TIMEOUT, 60s)");
ABSL_FLAG(std::string, inbound_mail_window, "",
          "accepted clock difference of signed mail posts (OE_INBOUND_MAIL_WINDOW, 5m)");

namespace openencoder::gateway {
namespace {

// Reads a count setting into `field`, whose value is the default.
template <typename T>
absl::Status ReadCount(const std::string& flag, const char* env, T* field) {
  absl::StatusOr<long long> v = common::IntSetting(flag, env, static_cast<long long>(*field));
  if (!v.ok()) return v.status();
  *field = static_cast<T>(*v);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GatewayConfig> GatewayConfig::FromSettings() {
  GatewayConfig c;
  HttpServerOptions& http = c.http;
  c.http.threads = 64;  // workers wait on backends, so more than the library's default

  const std::string listen =
      common::Setting(absl::GetFlag(FLAGS_listen), "OE_GATEWAY_LISTEN", "127.0.0.1:8080");
  const size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError("OE_GATEWAY_LISTEN must be host:port, got " + listen);
  }
  http.host = listen.substr(0, colon);
  http.port = port;

  for (const absl::Status& read :
       {ReadCount(absl::GetFlag(FLAGS_threads), "OE_GATEWAY_THREADS", &http.threads),
        ReadCount(absl::GetFlag(FLAGS_max_body), "OE_GATEWAY_MAX_BODY", &http.max_body_bytes),
        ReadCount(absl::GetFlag(FLAGS_io_threads), "OE_GATEWAY_IO_THREADS", &http.io_threads),
        ReadCount(absl::GetFlag(FLAGS_max_queue), "OE_GATEWAY_MAX_QUEUE", &http.max_queue),
        ReadCount(absl::GetFlag(FLAGS_max_connections_per_network),
                  "OE_GATEWAY_MAX_CONNECTIONS_PER_NETWORK", &http.max_connections_per_network)}) {
    if (!read.ok()) return read;
  }

  for (auto [flag, env, field] :
       {std::tuple{absl::GetFlag(FLAGS_header_timeout), "OE_GATEWAY_HEADER_TIMEOUT",
                   &http.header_timeout},
        std::tuple{absl::GetFlag(FLAGS_drain_timeout), "OE_GATEWAY_DRAIN_TIMEOUT",
                   &http.drain_timeout},
        std::tuple{absl::GetFlag(FLAGS_rpc_timeout), "OE_GATEWAY_RPC_TIMEOUT", &c.rpc_timeout},
        std::tuple{absl::GetFlag(FLAGS_ask_timeout), "OE_GATEWAY_ASK_TIMEOUT",
                   &c.assistant.ask_timeout},
        std::tuple{absl::GetFlag(FLAGS_inbound_mail_window), "OE_INBOUND_MAIL_WINDOW",
                   &c.assistant.inbound_mail_window}}) {
    absl::StatusOr<absl::Duration> d = common::DurationSetting(flag, env, *field);
    if (!d.ok()) return d.status();
    *field = *d;
  }

  for (auto [env, field] : {std::pair{"OE_CATALOGUE_ADDR", &c.backends.catalogue},
                            std::pair{"OE_SEARCH_ADDR", &c.backends.search},
                            std::pair{"OE_ACCOUNT_ADDR", &c.backends.account},
                            std::pair{"OE_JOBS_ADDR", &c.backends.jobs},
                            std::pair{"OE_ASSISTANT_ADDR", &c.backends.assistant}}) {
    *field = common::Setting("", env, *field);
  }

  const std::string secure =
      common::Setting(absl::GetFlag(FLAGS_secure_cookies), "OE_GATEWAY_SECURE_COOKIES", "proxy");
  if (secure != "always" && secure != "proxy" && secure != "never") {
    return absl::InvalidArgumentError(
        "OE_GATEWAY_SECURE_COOKIES must be always, proxy or never, got " + secure);
  }
  c.gateway.secure_cookies = secure == "always";
  c.gateway.trust_forwarded_proto = secure == "proxy";
  for (absl::string_view o : absl::StrSplit(
           common::Setting(absl::GetFlag(FLAGS_allowed_origins), "OE_GATEWAY_ALLOWED_ORIGINS", ""),
           ',', absl::SkipWhitespace())) {
    c.gateway.allowed_origins.emplace_back(absl::StripAsciiWhitespace(o));
  }
  c.gateway.access_log =
      common::Setting(absl::GetFlag(FLAGS_access_log), "OE_GATEWAY_ACCESS_LOG", "1") != "0";
  absl::StatusOr<std::vector<Cidr>> proxies = ParseCidrList(
      common::Setting(absl::GetFlag(FLAGS_trusted_proxies), "OE_GATEWAY_TRUSTED_PROXIES", ""));
  if (!proxies.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("OE_GATEWAY_TRUSTED_PROXIES: ", proxies.status().message()));
  }
  c.gateway.trusted_proxies = *std::move(proxies);
  // A proxy's connections carry many clients: the per-network cap would
  // throttle the whole site behind it.
  http.uncapped_networks = c.gateway.trusted_proxies;

  absl::StatusOr<std::string> device_key = common::SecretSetting("OE_GATEWAY_DEVICE_KEY", 64);
  if (!device_key.ok()) return device_key.status();
  if (!device_key->empty()) {
    if (device_key->size() != 64 ||
        device_key->find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      return absl::InvalidArgumentError("OE_GATEWAY_DEVICE_KEY must be 64 hex characters");
    }
    c.gateway.device_key = absl::HexStringToBytes(*device_key);
  }
  // Long enough that its HMAC cannot be guessed.
  absl::StatusOr<std::string> mail_secret =
      common::SecretSetting("OE_INBOUND_MAIL_SECRET", common::kMinSecretBytes);
  if (!mail_secret.ok()) return mail_secret.status();
  c.assistant.inbound_mail_secret = *std::move(mail_secret);

  c.static_dir =
      common::Setting(absl::GetFlag(FLAGS_static_dir), "OE_STATIC_DIR", "services/gateway/web");
  c.admin_listen = common::AdminListenSetting(absl::GetFlag(FLAGS_admin_listen), "gateway");
  return c;
}

}  // namespace openencoder::gateway
