// Server bootstrap shared by every service: listen address, grpc.health.v1,
// server reflection, keepalive, message-size limits, the call log, and a
// graceful drain on SIGTERM/SIGINT, and an optional reload on SIGHUP.
//
// A service's main() is wiring only:
//
//   int main(int argc, char** argv) {
//     auto options = common::InitServerProcess(argc, argv, "catalogue", 50051);
//     CatalogueServiceImpl service(...);
//     auto status = common::ServeUntilSignal(
//         options, {common::Bind<catalogue::v1::CatalogueService>(&service)});
//     return status.ok() ? 0 : 1;
//   }
#ifndef OPENENCODER_SERVICES_COMMON_SERVER_H_
#define OPENENCODER_SERVICES_COMMON_SERVER_H_

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace openencoder::common {

struct ServerOptions {
  std::string service_name;                    // for logs, e.g. "catalogue"
  std::string listen_address = "127.0.0.1:0";  // port 0: pick a free port
  absl::Duration drain_timeout = absl::Seconds(10);
  int max_receive_message_bytes = 4 * 1024 * 1024;
  int max_send_message_bytes = 16 * 1024 * 1024;
  absl::Duration keepalive_time = absl::Seconds(30);
  absl::Duration keepalive_timeout = absl::Seconds(10);
  // How long a client connection may live before the server asks the client
  // to reconnect (GOAWAY; calls in flight get max_connection_age_grace to
  // finish). Infinite: forever. A finite age spreads clients over replicas
  // added since they connected, and is how tests shorten the lifetime of
  // the channels' health-watch streams (OE_GRPC_MAX_CONNECTION_AGE).
  absl::Duration max_connection_age = absl::InfiniteDuration();
  absl::Duration max_connection_age_grace = absl::Seconds(10);
  bool log_calls = true;
  // Where ServeUntilSignal serves GET /metrics (metrics.h); "" or "off":
  // nowhere. RunningServer::Start alone never opens it. The per-RPC metrics
  // interceptor is installed whenever metrics are on (OE_METRICS != 0).
  std::string admin_address;
  // False for services that must warm up first (e.g. build an index): health
  // says NOT_SERVING until SetServing(true), so balancers send no calls.
  bool initially_serving = true;
  // A plaintext port that serves grpc.health.v1 and nothing else, for
  // probes that cannot present a client certificate (the kubelet's gRPC
  // probe); "" (the default): none. Health says no more than a probe needs.
  std::string health_address;
  // The certificate the server presents (tls.h); empty: the one named after
  // service_name (the process's own when it holds one certificate).
  std::string tls_identity;
};

// A service implementation and the fully qualified name that health checks
// and reflection use for it.
struct ServiceBinding {
  grpc::Service* service;
  std::string full_name;  // "openencoder.catalogue.v1.CatalogueService"
};

// Bind<GeneratedService>(&impl): the name comes from the generated code, so
// it cannot drift from the proto.
template <typename GeneratedService>
ServiceBinding Bind(grpc::Service* impl) {
  return ServiceBinding{impl, GeneratedService::service_full_name()};
}

// A started server. Health reports SERVING for "" and every registered
// service until Shutdown() begins.
class RunningServer {
 public:
  // Builds and starts the server. The services must outlive it.
  // Errors: UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<RunningServer>> Start(
      const ServerOptions& options, const std::vector<ServiceBinding>& services);

  ~RunningServer();  // shuts down if still running

  int port() const { return port_; }
  // The plaintext health-only port (ServerOptions::health_address); 0: none.
  int health_port() const { return health_port_; }
  // "127.0.0.1:<port>", ready for a client channel.
  std::string address() const;

  // Marks every service NOT_SERVING, stops accepting calls, lets in-flight
  // calls finish until the drain timeout and cancels the rest. Idempotent.
  void Shutdown();

  // Sets the health status of the server and of each registered service.
  // Ignored after Shutdown() began.
  void SetServing(bool serving);

  grpc::Server* server() { return server_.get(); }

 private:
  RunningServer() = default;
  ServerOptions options_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;  // options_.health_address
  std::vector<std::string> service_names_;
  std::string host_;
  int port_ = 0;
  int health_port_ = 0;
  std::atomic<bool> shut_down_{false};
};

// The signals ServeUntilSignal waits for: SIGTERM, SIGINT and SIGHUP.
sigset_t ServeSignals();

// Blocks ServeSignals() in the calling thread and every thread it creates
// from now on (InitServerProcess does it for a whole process).
void BlockServeSignals();

// For main(): parses flags (absl::ParseCommandLine), blocks SIGTERM, SIGINT
// and SIGHUP in every thread created from now on (ServeUntilSignal waits for
// them, so no signal handler runs and none interrupts a gRPC thread), and
// reads the common settings: --listen or OE_<SERVICE>_LISTEN (default
// 127.0.0.1:<default_port>), --drain_timeout or OE_DRAIN_TIMEOUT,
// --admin_listen or OE_<SERVICE>_ADMIN_LISTEN (metrics; default
// 127.0.0.1:0, a free loopback port named in the log),
// OE_<SERVICE>_HEALTH_LISTEN (plaintext health only; default none), and
// OE_GRPC_MAX_CONNECTION_AGE (e.g. 30m; unset: connections live forever).
// Call it first, before any thread starts. Exits the process with a message
// on bad settings.
ServerOptions InitServerProcess(int argc, char** argv, const std::string& service_name,
                                int default_port);

// What ServeUntilSignal calls, all on the thread that called it (never in a
// signal handler, so they may lock, log and allocate). Any may be empty.
struct ServeHooks {
  // Once, after the server started (e.g. to start a warm-up that later calls
  // SetServing(true)).
  std::function<void(RunningServer*)> on_started;
  // Once, on SIGTERM/SIGINT, before the drain (e.g. to stop background work
  // that holds the server pointer).
  std::function<void()> on_draining;
  // On every SIGHUP while serving. Must return quickly: hand the reload to a
  // background thread (signals that arrive meanwhile are not lost, but
  // SIGTERM waits for it). Without this hook SIGHUP keeps its usual meaning,
  // "stop": the server drains as on SIGTERM.
  std::function<void()> on_reload;
};

// Starts the metrics listener (options.admin_address) and the server, logs
// their addresses, calls hooks.on_started, then waits
// for signals: SIGHUP calls hooks.on_reload (logged as "reload requested")
// and waits again; SIGTERM or SIGINT calls hooks.on_draining and drains.
// The server is destroyed before this returns. The signals must be blocked
// in every thread (InitServerProcess does it).
absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<ServiceBinding>& services, ServeHooks hooks);

// The same without a reload hook (SIGHUP drains like SIGTERM).
absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<ServiceBinding>& services,
                              std::function<void(RunningServer*)> on_started = nullptr,
                              std::function<void()> on_draining = nullptr);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_SERVER_H_
