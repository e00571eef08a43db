// oe_gateway: HTTP/JSON in front of the OpenEncoder gRPC services, and the
// web client's files. Wiring only; settings are flag > environment > default.
#include <signal.h>

#include <cstdio>
#include <memory>
#include <tuple>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/secret_setting.h"
#include "services/common/settings.h"
#include "services/common/tls.h"
#include "services/gateway/account_routes.h"
#include "services/gateway/assistant_routes.h"
#include "services/gateway/backends.h"
#include "services/gateway/billing_routes.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/consult_routes.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "services/gateway/jobs_routes.h"
#include "services/gateway/search_routes.h"

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

namespace gw = openencoder::gateway;
namespace common = openencoder::common;

namespace {

[[noreturn]] void Fail(const std::string& what) {
  common::LogError("gateway cannot start", {{"error", what}});
  std::exit(2);
}

long long IntOrDie(const std::string& flag, const char* env, long long fallback) {
  auto v = common::IntSetting(flag, env, fallback);
  if (!v.ok()) Fail(std::string(v.status().message()));
  return *v;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with Mutex deadlock detection on, which keeps
  // a lock graph on every acquisition: about 1% of the gateway's profile
  // under load, where locks hand each request between threads.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Block the stop signals before any thread exists; main waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill us
  // Its calls present the gateway's certificate (services/common/tls.h);
  // without one every backend call would fail, so refuse to start.
  common::SetDefaultTlsIdentity("gateway");
  if (auto tls = common::MakeChannelCredentials(); !tls.ok()) {
    Fail(std::string(tls.status().message()));
  }

  std::string listen =
      common::Setting(absl::GetFlag(FLAGS_listen), "OE_GATEWAY_LISTEN", "127.0.0.1:8080");
  size_t colon = listen.rfind(':');
  gw::HttpServerOptions http;
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
    Fail("listen address must be host:port, got " + listen);
  }
  http.host = listen.substr(0, colon);
  http.port = port;
  http.threads = static_cast<int>(IntOrDie(absl::GetFlag(FLAGS_threads), "OE_GATEWAY_THREADS", 64));
  http.max_body_bytes =
      static_cast<size_t>(IntOrDie(absl::GetFlag(FLAGS_max_body), "OE_GATEWAY_MAX_BODY", 65536));
  http.io_threads =
      static_cast<int>(IntOrDie(absl::GetFlag(FLAGS_io_threads), "OE_GATEWAY_IO_THREADS", 2));
  http.max_queue =
      static_cast<size_t>(IntOrDie(absl::GetFlag(FLAGS_max_queue), "OE_GATEWAY_MAX_QUEUE", 256));
  http.max_connections_per_network = static_cast<int>(
      IntOrDie(absl::GetFlag(FLAGS_max_connections_per_network),
               "OE_GATEWAY_MAX_CONNECTIONS_PER_NETWORK", http.max_connections_per_network));
  for (auto [flag, env, field] : {std::tuple{absl::GetFlag(FLAGS_header_timeout),
                                             "OE_GATEWAY_HEADER_TIMEOUT", &http.header_timeout},
                                  std::tuple{absl::GetFlag(FLAGS_drain_timeout),
                                             "OE_GATEWAY_DRAIN_TIMEOUT", &http.drain_timeout}}) {
    auto d = common::DurationSetting(flag, env, *field);
    if (!d.ok()) Fail(std::string(d.status().message()));
    *field = *d;
  }

  auto timeout = common::DurationSetting(absl::GetFlag(FLAGS_rpc_timeout), "OE_GATEWAY_RPC_TIMEOUT",
                                         absl::Seconds(3));
  if (!timeout.ok()) Fail(std::string(timeout.status().message()));
  gw::BackendAddresses addresses;
  addresses.catalogue = common::Setting("", "OE_CATALOGUE_ADDR", addresses.catalogue);
  addresses.search = common::Setting("", "OE_SEARCH_ADDR", addresses.search);
  addresses.account = common::Setting("", "OE_ACCOUNT_ADDR", addresses.account);
  addresses.jobs = common::Setting("", "OE_JOBS_ADDR", addresses.jobs);
  addresses.assistant = common::Setting("", "OE_ASSISTANT_ADDR", addresses.assistant);
  gw::Backends backends = gw::ConnectBackends(addresses, *timeout);

  gw::GatewayOptions options;
  std::string secure =
      common::Setting(absl::GetFlag(FLAGS_secure_cookies), "OE_GATEWAY_SECURE_COOKIES", "proxy");
  options.secure_cookies = secure == "always";
  options.trust_forwarded_proto = secure == "proxy";
  for (absl::string_view o : absl::StrSplit(
           common::Setting(absl::GetFlag(FLAGS_allowed_origins), "OE_GATEWAY_ALLOWED_ORIGINS", ""),
           ',', absl::SkipWhitespace())) {
    options.allowed_origins.emplace_back(absl::StripAsciiWhitespace(o));
  }
  options.access_log =
      common::Setting(absl::GetFlag(FLAGS_access_log), "OE_GATEWAY_ACCESS_LOG", "1") != "0";
  auto proxies = gw::ParseCidrList(
      common::Setting(absl::GetFlag(FLAGS_trusted_proxies), "OE_GATEWAY_TRUSTED_PROXIES", ""));
  if (!proxies.ok()) Fail(absl::StrCat("OE_GATEWAY_TRUSTED_PROXIES: ", proxies.status().message()));
  options.trusted_proxies = *std::move(proxies);
  // A proxy's connections carry many clients: the per-network cap would
  // throttle the whole site behind it.
  http.uncapped_networks = options.trusted_proxies;
  // A secret, so from the environment only (flags show in `ps`): 64 hex.
  absl::StatusOr<std::string> device_key_setting =
      common::SecretSetting("OE_GATEWAY_DEVICE_KEY", 64);
  if (!device_key_setting.ok()) Fail(std::string(device_key_setting.status().message()));
  const std::string device_key = *std::move(device_key_setting);
  if (!device_key.empty()) {
    if (device_key.size() != 64 ||
        device_key.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      Fail("OE_GATEWAY_DEVICE_KEY must be 64 hex characters");
    }
    options.device_key = absl::HexStringToBytes(device_key);
  } else {
    common::LogWarning(
        "OE_GATEWAY_DEVICE_KEY is not set: device cookies are signed with a per-process key");
  }

  std::string static_dir =
      common::Setting(absl::GetFlag(FLAGS_static_dir), "OE_STATIC_DIR", "services/gateway/web");
  std::shared_ptr<const gw::StaticFiles> files;
  if (auto loaded = gw::StaticFiles::Load(static_dir); loaded.ok()) {
    files = std::make_shared<const gw::StaticFiles>(*std::move(loaded));
  } else {
    common::LogWarning("serving the API without the web client",
                       {{"error", std::string(loaded.status().message())}});
  }

  std::vector<gw::Route> routes;
  for (auto* area : {&gw::SearchRoutes, &gw::CodeRoutes, &gw::AccountRoutes, &gw::JobsRoutes,
                     &gw::BillingRoutes}) {
    for (gw::Route& r : (*area)(backends)) routes.push_back(std::move(r));
  }
  gw::AssistantRouteOptions assistant;
  auto ask_timeout = common::DurationSetting(absl::GetFlag(FLAGS_ask_timeout),
                                             "OE_GATEWAY_ASK_TIMEOUT", assistant.ask_timeout);
  if (!ask_timeout.ok()) Fail(std::string(ask_timeout.status().message()));
  assistant.ask_timeout = *ask_timeout;
  auto mail_window =
      common::DurationSetting(absl::GetFlag(FLAGS_inbound_mail_window), "OE_INBOUND_MAIL_WINDOW",
                              assistant.inbound_mail_window);
  if (!mail_window.ok()) Fail(std::string(mail_window.status().message()));
  assistant.inbound_mail_window = *mail_window;
  // A secret, so from the environment or a mounted file only (flags show in
  // `ps`), and long enough that its HMAC cannot be guessed.
  absl::StatusOr<std::string> inbound_mail_secret =
      common::SecretSetting("OE_INBOUND_MAIL_SECRET", common::kMinSecretBytes);
  if (!inbound_mail_secret.ok()) Fail(std::string(inbound_mail_secret.status().message()));
  assistant.inbound_mail_secret = *std::move(inbound_mail_secret);
  if (assistant.inbound_mail_secret.empty()) {
    common::LogWarning("OE_INBOUND_MAIL_SECRET is not set: every inbound-mail post is refused");
  }
  for (gw::Route& r : gw::AssistantRoutes(backends, std::move(assistant))) {
    routes.push_back(std::move(r));
  }
  for (gw::Route& r : gw::ConsultRoutes(backends)) routes.push_back(std::move(r));
  gw::Gateway gateway(options, std::move(routes), files);

  // Metrics on their own listener: the public port must not show them.
  auto admin = common::StartAdminServerFor(
      "gateway", common::AdminListenSetting(absl::GetFlag(FLAGS_admin_listen), "gateway"));
  if (!admin.ok()) Fail(std::string(admin.status().message()));
  auto server = gw::HttpServer::Start(http, &gateway);
  if (!server.ok()) Fail(std::string(server.status().message()));
  common::LogInfo("gateway serving",
                  {{"address", absl::StrCat("http://", http.host, ":", (*server)->port(), "/")},
                   {"static_files", static_cast<long long>(files ? files->size() : 0)},
                   {"catalogue", addresses.catalogue},
                   {"search", addresses.search},
                   {"account", addresses.account},
                   {"jobs", addresses.jobs},
                   {"assistant", addresses.assistant}});

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  common::LogInfo("gateway draining", {{"signal", signal_number}});
  (*server)->Shutdown();
  common::LogInfo("gateway stopped");
  return 0;
}
