// Client side of internal calls: channels that spread calls over replicas
// and retry idempotent methods, and call contexts that always carry a
// deadline and the caller's request id.
#ifndef OPENENCODER_SERVICES_COMMON_CLIENT_H_
#define OPENENCODER_SERVICES_COMMON_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::common {

struct ChannelOptions {
  // Fully qualified names of methods that are safe to send twice, as
  // "package.Service/Method" or "package.Service" for all its methods.
  // Only these are retried (on UNAVAILABLE), up to max_attempts in all.
  std::vector<std::string> idempotent_methods;
  int max_attempts = 3;
  absl::Duration initial_backoff = absl::Milliseconds(20);
  absl::Duration max_backoff = absl::Milliseconds(200);
  // The health service name replicas are checked with; a replica that does
  // not answer SERVING gets no calls. Empty: the whole server ("").
  std::string health_service_name;
  bool health_check = true;
  // Calls wait (within their deadline) for a replica that is READY instead
  // of failing at once with UNAVAILABLE while none is, e.g. for the second
  // after a channel lost its Health/Watch stream: gRPC's health client then
  // reports TRANSIENT_FAILURE until a new watch answers SERVING (about 1 s
  // of backoff), and a fail-fast call landing in it failed although the
  // server was SERVING ("503 after idle", issue 18). The cost: while no
  // replica is reachable, calls fail at their deadline (DEADLINE_EXCEEDED)
  // rather than at once. Every internal call carries a deadline
  // (MakeClientContext), so the wait is bounded.
  bool wait_for_ready = true;
  int max_receive_message_bytes = 16 * 1024 * 1024;
  // Mutual TLS (tls.h). The certificate this caller presents; empty: the
  // process's own (DefaultTlsIdentity()). Only processes that hold several
  // identities (tests) name one.
  std::string client_identity;
  // The identity the server must prove ("account"): its certificate must
  // carry it as a DNS name. Empty: "localhost" for IP targets, else the
  // target's host name.
  std::string server_identity;
  // The per-call interceptor (rpc_interceptors.h: grpc_client_* metrics and
  // traceparent). Off only for a hot path that does both itself, with
  // CallMetrics and AddTraceParent: gRPC's interceptor machinery cost
  // the gateway's search route about 5 us and a fifth of a context switch
  // per call.
  bool interceptors = true;
};

// `targets` is one gRPC target ("dns:///catalogue:50051") or a comma
// separated list of host:port replicas ("127.0.0.1:50051,127.0.0.1:50061"),
// balanced round-robin.
std::shared_ptr<grpc::Channel> MakeChannel(absl::string_view targets,
                                           const ChannelOptions& options = {});

// The service config JSON MakeChannel uses (exposed for tests).
std::string ServiceConfigJson(const ChannelOptions& options);

// The target URI MakeChannel dials (exposed for tests): a list of IP
// literals becomes "ipv4:a,b" / "ipv6:a,b"; anything else is used as is
// with "dns:///" added when it has no scheme.
std::string ChannelTarget(absl::string_view targets);

// A context whose deadline is now + timeout and which carries request_id
// (a fresh one when empty) as x-request-id. Inside a CallScope
// (call_scope.h) the deadline is at most the incoming call's, and an empty
// request_id is the incoming call's.
std::unique_ptr<grpc::ClientContext> MakeClientContext(absl::Duration timeout,
                                                       absl::string_view request_id = "");

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_CLIENT_H_
