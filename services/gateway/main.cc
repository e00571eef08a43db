// oe_gateway: HTTP/JSON in front of the OpenEncoder gRPC services, and the
// web client's files. Wiring only: settings come from GatewayConfig
// (gateway_config.h: flag > environment > default).
#include <signal.h>

#include <cstdio>
#include <memory>

#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/tls.h"
#include "services/gateway/account_routes.h"
#include "services/gateway/assistant_routes.h"
#include "services/gateway/backends.h"
#include "services/gateway/billing_routes.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/consult_routes.h"
#include "services/gateway/gateway.h"
#include "services/gateway/gateway_config.h"
#include "services/gateway/http_server.h"
#include "services/gateway/jobs_routes.h"
#include "services/gateway/search_routes.h"

namespace gw = openencoder::gateway;
namespace common = openencoder::common;

namespace {

[[noreturn]] void Fail(const std::string& what) {
  common::LogError("gateway cannot start", {{"error", what}});
  std::exit(2);
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

  absl::StatusOr<gw::GatewayConfig> config = gw::GatewayConfig::FromSettings();
  if (!config.ok()) Fail(std::string(config.status().message()));
  const gw::HttpServerOptions& http = config->http;
  const gw::BackendAddresses& addresses = config->backends;
  if (config->gateway.device_key.empty()) {
    common::LogWarning(
        "OE_GATEWAY_DEVICE_KEY is not set: device cookies are signed with a per-process key");
  }
  if (config->assistant.inbound_mail_secret.empty()) {
    common::LogWarning("OE_INBOUND_MAIL_SECRET is not set: every inbound-mail post is refused");
  }
  gw::Backends backends = gw::ConnectBackends(addresses, config->rpc_timeout);

  std::shared_ptr<const gw::StaticFiles> files;
  if (auto loaded = gw::StaticFiles::Load(config->static_dir); loaded.ok()) {
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
  for (gw::Route& r : gw::AssistantRoutes(backends, config->assistant)) {
    routes.push_back(std::move(r));
  }
  for (gw::Route& r : gw::ConsultRoutes(backends)) routes.push_back(std::move(r));
  gw::Gateway gateway(config->gateway, std::move(routes), files);

  // Metrics on their own listener: the public port must not show them.
  auto admin = common::StartAdminServerFor("gateway", config->admin_listen);
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
