#include "services/common/client.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/call_scope.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/request_id.h"
#include "services/common/rpc_interceptors.h"
#include "services/common/tls.h"

namespace openencoder::common {
namespace {

std::string Seconds(absl::Duration d) { return absl::StrCat(absl::ToDoubleSeconds(d), "s"); }

enum class AddressKind { kIpv4, kIpv6, kOther };

AddressKind KindOf(absl::string_view host_port) {
  size_t colon = host_port.rfind(':');
  if (colon == absl::string_view::npos) return AddressKind::kOther;
  std::string host(host_port.substr(0, colon));
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) return AddressKind::kIpv4;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    std::string inner = host.substr(1, host.size() - 2);
    if (inet_pton(AF_INET6, inner.c_str(), buf) == 1) return AddressKind::kIpv6;
  }
  return AddressKind::kOther;
}

// Keepalive, in one place (the TLS credentials are set apart from it): a
// ping every 30 s, also while no call is open, answered within 10 s or the
// connection is dropped and redialled. gRPC's client default stops pinging
// after 2 pings without data ("Ping delayed: too many recent pings" in its
// http_keepalive trace), so an idle channel stopped checking its connection
// after a minute and learned that it was dead only from the next call. The
// server allows a ping every 10 s (server.cc).
void SetKeepaliveArgs(grpc::ChannelArguments& args) {
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
}

}  // namespace

std::string ChannelTarget(absl::string_view targets) {
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(targets, ',', absl::SkipWhitespace())) {
    parts.emplace_back(absl::StripAsciiWhitespace(part));
  }
  if (parts.empty()) return "";
  AddressKind first = KindOf(parts[0]);
  bool same_ip_kind = first != AddressKind::kOther;
  for (const std::string& p : parts) same_ip_kind = same_ip_kind && KindOf(p) == first;
  if (same_ip_kind) {
    return absl::StrCat(first == AddressKind::kIpv4 ? "ipv4:" : "ipv6:", absl::StrJoin(parts, ","));
  }
  if (parts.size() > 1) {
    LogWarning("replica list mixes host names and addresses; using the first",
               {{"targets", std::string(targets)}});
  }
  if (parts[0].find(":///") != std::string::npos || absl::StartsWith(parts[0], "unix:") ||
      absl::StartsWith(parts[0], "ipv4:") || absl::StartsWith(parts[0], "ipv6:")) {
    return parts[0];
  }
  return absl::StrCat("dns:///", parts[0]);
}

std::string ServiceConfigJson(const ChannelOptions& options) {
  std::vector<std::string> names;
  for (const std::string& m : options.idempotent_methods) {
    size_t slash = m.find('/');
    if (slash == std::string::npos) {
      names.push_back(absl::StrCat("{\"service\":\"", m, "\"}"));
    } else {
      names.push_back(absl::StrCat("{\"service\":\"", m.substr(0, slash), "\",\"method\":\"",
                                   m.substr(slash + 1), "\"}"));
    }
  }
  std::string json = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]";
  if (options.health_check) {
    absl::StrAppend(&json, ",\"healthCheckConfig\":{\"serviceName\":\"",
                    options.health_service_name, "\"}");
  }
  // A method takes the most specific entry only, so waitForReady goes in
  // the idempotent methods' entry too, and in a default entry (name [{}])
  // for all others.
  const std::string wait = options.wait_for_ready ? "\"waitForReady\":true," : "";
  std::vector<std::string> configs;
  if (!names.empty()) {
    configs.push_back(absl::StrCat(
        "{", wait, "\"name\":[", absl::StrJoin(names, ","),
        "],\"retryPolicy\":{\"maxAttempts\":", options.max_attempts, ",\"initialBackoff\":\"",
        Seconds(options.initial_backoff), "\",\"maxBackoff\":\"", Seconds(options.max_backoff),
        "\",\"backoffMultiplier\":2,\"retryableStatusCodes\":[\"UNAVAILABLE\"]}}"));
  }
  if (options.wait_for_ready) configs.push_back("{\"waitForReady\":true,\"name\":[{}]}");
  if (!configs.empty()) {
    absl::StrAppend(&json, ",\"methodConfig\":[", absl::StrJoin(configs, ","), "]");
  }
  json += "}";
  return json;
}

std::shared_ptr<grpc::Channel> MakeChannel(absl::string_view targets,
                                           const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(ServiceConfigJson(options));
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  SetKeepaliveArgs(args);
  // Reconnect quickly after a replica restarts instead of the 1 s..120 s
  // default backoff, so a rolling restart is invisible to callers.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  // Every call on the channel is counted (grpc_client_* metrics) and carries
  // the trace of its request id (rpc_interceptors.h): one place for all, but
  // for a channel whose caller does both itself (ChannelOptions::interceptors).
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      ChannelCredentialsFor(targets, options.client_identity, options.server_identity, &args);
  if (!options.interceptors) {
    return grpc::CreateCustomChannel(ChannelTarget(targets), std::move(credentials), args);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> f;
  f.push_back(std::make_unique<ClientCallInterceptorFactory>(MetricsEnabled()));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      ChannelTarget(targets), std::move(credentials), args, std::move(f));
}

std::unique_ptr<grpc::ClientContext> MakeClientContext(absl::Duration timeout,
                                                       absl::string_view request_id) {
  auto context = std::make_unique<grpc::ClientContext>();
  absl::Time deadline = absl::Now() + timeout;
  // Inside a CallScope the caller's request id and deadline travel on: the
  // call never outlives the incoming call it works for.
  const IncomingCall* incoming = CurrentCall();
  if (incoming != nullptr) {
    deadline = std::min(deadline, incoming->deadline);
    if (request_id.empty()) request_id = incoming->request_id;
  }
  context->set_deadline(absl::ToChronoTime(deadline));
  std::string id = IsAcceptableRequestId(std::string_view(request_id.data(), request_id.size()))
                       ? std::string(request_id)
                       : NewRequestId();
  context->AddMetadata(kRequestIdHeader, id);
  return context;
}

}  // namespace openencoder::common
