#include "services/common/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/call_log_interceptor.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/rpc_interceptors.h"
#include "services/common/settings.h"
#include "services/common/tls.h"

ABSL_FLAG(std::string, listen, "",
          "host:port to serve on (env OE_<SERVICE>_LISTEN); port 0 picks a free port");
ABSL_FLAG(std::string, admin_listen, "",
          "host:port of the metrics listener, GET /metrics (env OE_<SERVICE>_ADMIN_LISTEN; "
          "default 127.0.0.1:0, off: none)");
ABSL_FLAG(std::string, drain_timeout, "",
          "how long in-flight calls may run after SIGTERM (env OE_DRAIN_TIMEOUT), e.g. 10s");

namespace openencoder::common {
namespace {

void SetAllServing(grpc::Server* server, const std::vector<std::string>& names, bool serving) {
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);  // also "" (the whole server)
  for (const std::string& name : names) health->SetServingStatus(name, serving);
}

// Splits "host:port" at the last colon ("[::1]:80" keeps its brackets).
std::string HostOf(const std::string& address) {
  size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

// Keepalive and connection lifetime, in one place (the TLS credentials are
// set apart from it). Keepalive: the server pings idle clients so a dead
// peer is noticed, and lets clients ping every 10 s even without calls
// (client.cc pings every 30 s, also while idle) without being disconnected.
void SetConnectionArgs(grpc::ServerBuilder& builder, const ServerOptions& options) {
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_time)));
  builder.AddChannelArgument(
      GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_timeout)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  if (options.max_connection_age != absl::InfiniteDuration()) {
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_MS,
        static_cast<int>(absl::ToInt64Milliseconds(options.max_connection_age)));
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
        static_cast<int>(absl::ToInt64Milliseconds(options.max_connection_age_grace)));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<RunningServer>> RunningServer::Start(
    const ServerOptions& options, const std::vector<ServiceBinding>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<RunningServer> running(new RunningServer());
  running->options_ = options;
  running->host_ = HostOf(options.listen_address);

  // Mutual TLS and the per-method caller check (tls.h, method_acl.h).
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = MakeServerCredentials(
      options.tls_identity.empty() ? options.service_name : options.tls_identity);
  if (!credentials.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.service_name, ": ", credentials.status().message()));
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, *credentials, &running->port_);
  // gRPC sets SO_REUSEPORT by default, which lets a second process bind a
  // busy port and silently take half of its calls; a clash must fail loudly.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(options.max_send_message_bytes);
  SetConnectionArgs(builder, options);
  for (const ServiceBinding& binding : services) builder.RegisterService(binding.service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> f;
  // One interceptor per call does both when it can (each one more costs gRPC
  // a dispatch per hook of every batch).
  if (options.log_calls) {
    f.push_back(
        std::make_unique<CallLogInterceptorFactory>(options.service_name, MetricsEnabled()));
  } else if (MetricsEnabled()) {
    f.push_back(std::make_unique<RpcMetricsServerInterceptorFactory>());
  }
  if (!f.empty()) builder.experimental().SetInterceptorCreators(std::move(f));
  running->server_ = builder.BuildAndStart();
  if (running->server_ == nullptr || running->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(options.service_name, ": cannot listen on ",
                                               options.listen_address,
                                               " (address in use or not local?)"));
  }
  // Health names are the fully qualified service names clients ask for.
  for (const ServiceBinding& binding : services) {
    running->service_names_.push_back(binding.full_name);
  }
  if (!options.health_address.empty()) {
    // A server of its own with no service registered: only the default
    // health service, in plaintext, so the methods stay behind mutual TLS.
    grpc::ServerBuilder health;
    health.AddListeningPort(options.health_address, grpc::InsecureServerCredentials(),
                            &running->health_port_);
    health.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    running->health_server_ = health.BuildAndStart();
    if (running->health_server_ == nullptr || running->health_port_ == 0) {
      return absl::UnavailableError(absl::StrCat(
          options.service_name, ": cannot listen for health probes on ", options.health_address));
    }
  }
  running->SetServing(options.initially_serving);
  return running;
}

RunningServer::~RunningServer() { Shutdown(); }

std::string RunningServer::address() const {
  std::string host = host_;
  if (host.empty() || host == "0.0.0.0" || host == "[::]") host = "127.0.0.1";
  return absl::StrCat(host, ":", port_);
}

void RunningServer::SetServing(bool serving) {
  if (shut_down_ || server_ == nullptr) return;
  SetAllServing(server_.get(), service_names_, serving);
  if (health_server_ != nullptr) SetAllServing(health_server_.get(), service_names_, serving);
}

void RunningServer::Shutdown() {
  if (server_ == nullptr || shut_down_.exchange(true)) return;
  SetAllServing(server_.get(), service_names_, false);
  if (health_server_ != nullptr) {
    SetAllServing(health_server_.get(), service_names_, false);
    health_server_->Shutdown(std::chrono::system_clock::now());
  }
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(options_.drain_timeout));
  server_->Wait();
}

sigset_t ServeSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

void BlockServeSignals() {
  const sigset_t signals = ServeSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

ServerOptions InitServerProcess(int argc, char** argv, const std::string& service_name,
                                int default_port) {
  absl::ParseCommandLine(argc, argv);
  BlockServeSignals();
  // A client that disconnects mid-write must not kill the process.
  signal(SIGPIPE, SIG_IGN);
  // Debian builds Abseil without NDEBUG, so every Mutex acquisition would
  // also update a global lock-order graph (measured: ~2 % of a search
  // server's CPU, and a global lock of its own). That is a debugging aid;
  // tests, which never call this, keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  ServerOptions options;
  options.service_name = service_name;
  // The service's certificate is the one named after it (tls.h).
  SetDefaultTlsIdentity(service_name);
  std::string env_name = absl::StrCat("OE_", absl::AsciiStrToUpper(service_name), "_LISTEN");
  options.listen_address = Setting(absl::GetFlag(FLAGS_listen), env_name.c_str(),
                                   absl::StrCat("127.0.0.1:", default_port));
  auto drain =
      DurationSetting(absl::GetFlag(FLAGS_drain_timeout), "OE_DRAIN_TIMEOUT", absl::Seconds(10));
  if (!drain.ok()) {
    std::fprintf(stderr, "%s\n", std::string(drain.status().message()).c_str());
    std::exit(2);
  }
  options.drain_timeout = *drain;
  // Unset: connections live forever (gRPC's default).
  auto age = DurationSetting("", "OE_GRPC_MAX_CONNECTION_AGE", absl::InfiniteDuration());
  if (!age.ok()) {
    std::fprintf(stderr, "%s\n", std::string(age.status().message()).c_str());
    std::exit(2);
  }
  options.max_connection_age = *age;
  options.admin_address = AdminListenSetting(absl::GetFlag(FLAGS_admin_listen), service_name);
  std::string health_env =
      absl::StrCat("OE_", absl::AsciiStrToUpper(service_name), "_HEALTH_LISTEN");
  options.health_address = Setting("", health_env.c_str(), "");
  return options;
}

absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<ServiceBinding>& services, ServeHooks hooks) {
  std::unique_ptr<AdminServer> admin;
  if (!options.admin_address.empty()) {
    auto started = StartAdminServerFor(options.service_name, options.admin_address);
    if (!started.ok()) return started.status();
    admin = *std::move(started);
  }
  auto running = RunningServer::Start(options, services);
  if (!running.ok()) return running.status();
  LogInfo("serving", {{"service", options.service_name}, {"address", (*running)->address()}});
  if (hooks.on_started) hooks.on_started(running->get());
  const sigset_t signals = ServeSignals();
  int received = 0;
  // sigwait, not a handler: the hooks run on this thread and may lock and
  // allocate. Signals that arrive while a hook runs stay pending (one of a
  // kind), so a burst of SIGHUPs asks for at most one more reload here.
  while (sigwait(&signals, &received) == 0 && received == SIGHUP && hooks.on_reload) {
    LogInfo("reload requested", {{"service", options.service_name}, {"signal", received}});
    hooks.on_reload();
  }
  LogInfo("draining", {{"service", options.service_name},
                       {"signal", received},
                       {"drain_timeout_ms",
                        static_cast<long long>(absl::ToInt64Milliseconds(options.drain_timeout))}});
  if (hooks.on_draining) hooks.on_draining();
  (*running)->Shutdown();
  LogInfo("stopped", {{"service", options.service_name}});
  return absl::OkStatus();
}

absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<ServiceBinding>& services,
                              std::function<void(RunningServer*)> on_started,
                              std::function<void()> on_draining) {
  ServeHooks hooks;
  hooks.on_started = std::move(on_started);
  hooks.on_draining = std::move(on_draining);
  return ServeUntilSignal(options, services, std::move(hooks));
}

}  // namespace openencoder::common
