// oe_loadgen: load any unary RPC of any gRPC server (with reflection) and
// report it against a same-run health-check baseline. See bench/README.md.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bench/loadgen/benchmark.h"
#include "bench/loadgen/metadata.h"
#include "bench/loadgen/report.h"
#include "services/common/tls.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "server host:port");
ABSL_FLAG(std::string, method, "", "package.Service/Method to call");
ABSL_FLAG(std::string, request, "", "request in protobuf text format");
ABSL_FLAG(int, concurrency, 1, "calls kept in flight");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "measured time per side (target and baseline each)");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "discarded warm-up time");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(1), "deadline of each RPC");
ABSL_FLAG(std::string, metadata, "", "request headers: key:value,...");
ABSL_FLAG(std::string, baseline, "health",
          "health: interleave grpc.health.v1.Health/Check runs; none: skip");
ABSL_FLAG(int, rounds, 4, "interleaved slices per side");
ABSL_FLAG(bool, json, false, "print one JSON object instead of a table");
ABSL_FLAG(std::string, identity, "operator",
          "certificate to present (mutual TLS, services/common/tls.h: OE_TLS_DIR)");
ABSL_FLAG(std::string, server_name, "",
          "identity the server must prove, e.g. account (default: localhost for IPs, "
          "else the target's host)");
ABSL_FLAG(bool, insecure, false, "plaintext, for local debugging only (also OE_INSECURE=1)");

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "oe_loadgen: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "oe_loadgen --target=host:port --method=pkg.Service/Method "
      "--request='<text proto>' --concurrency=N --duration=10s");
  absl::ParseCommandLine(argc, argv);
  namespace lg = openencoder::loadgen;

  std::string baseline = absl::GetFlag(FLAGS_baseline);
  if (baseline != "health" && baseline != "none") {
    return Fail(absl::InvalidArgumentError("--baseline must be health or none"));
  }
  absl::StatusOr<lg::Metadata> metadata = lg::ParseMetadata(absl::GetFlag(FLAGS_metadata));
  if (!metadata.ok()) return Fail(metadata.status());

  lg::BenchmarkConfig config;
  config.target = absl::GetFlag(FLAGS_target);
  config.method = absl::GetFlag(FLAGS_method);
  config.request_text = absl::GetFlag(FLAGS_request);
  config.concurrency = absl::GetFlag(FLAGS_concurrency);
  config.duration = absl::GetFlag(FLAGS_duration);
  config.warmup = absl::GetFlag(FLAGS_warmup);
  config.deadline = absl::GetFlag(FLAGS_deadline);
  config.metadata = *std::move(metadata);
  config.health_baseline = baseline == "health";
  config.rounds = absl::GetFlag(FLAGS_rounds);

  // The operator's certificate by default, as scripts/oe-admin: every
  // server requires one of the deployment's CA.
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  if (absl::GetFlag(FLAGS_insecure) || openencoder::common::InsecureTransport()) {
    std::fprintf(stderr,
                 "oe_loadgen: WARNING: --insecure: PLAINTEXT, no client certificate; every "
                 "server of a normal deployment refuses it. For local debugging only.\n");
  } else {
    auto tls = openencoder::common::MakeChannelCredentials(absl::GetFlag(FLAGS_identity));
    if (!tls.ok()) return Fail(tls.status());
    credentials = *std::move(tls);
    std::string name =
        openencoder::common::ExpectedServerName(config.target, absl::GetFlag(FLAGS_server_name));
    if (!name.empty()) args.SetSslTargetNameOverride(name);
  }
  auto channel = grpc::CreateCustomChannel(config.target, credentials, args);
  absl::StatusOr<lg::BenchmarkResult> result = lg::RunBenchmark(channel, config);
  if (!result.ok()) return Fail(result.status());

  std::string out =
      absl::GetFlag(FLAGS_json) ? lg::FormatJson(*result) + "\n" : lg::FormatText(*result);
  std::fputs(out.c_str(), stdout);
  return 0;
}
