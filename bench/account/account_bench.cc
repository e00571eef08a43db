// oe_account_bench: two same-run comparisons, printed as ratios.
//
// 1. ConsumeView over gRPC (in-process server on loopback, N client threads)
//    versus `redis-benchmark -c N` running the same metering script with
//    EVALSHA against the same redis-server (AOF on, appendfsync always).
// 2. Logins per second over gRPC versus the ceiling the argon2id cost allows:
//    one crypto_pwhash_str_verify timed alone, single-threaded, times the
//    cores.
//
// Keep runs short on the shared 2-core machine (--seconds, default 3).
#include <grpcpp/grpcpp.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/account/redis_keys.h"
#include "services/account/redis_meter_store.h"
#include "services/account/time_windows.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"
#include "tests/support/test_tls.h"

ABSL_FLAG(int, seconds, 3, "length of each measured phase");
ABSL_FLAG(int, clients, 8, "concurrent clients (gRPC threads and redis-benchmark -c)");
ABSL_FLAG(int, cores, 2, "cores the login ceiling is computed for");

namespace oe = openencoder;
namespace pb = openencoder::account::v1;

namespace {

struct Latencies {
  absl::Mutex mu;
  std::vector<double> ms;
  double Percentile(double p) {
    absl::MutexLock lock(&mu);
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  }
};

// Runs `call` from `threads` threads for `seconds`; returns calls per second.
template <typename Call>
double RunLoad(int threads, int seconds, Latencies* lat, std::atomic<int>* failures, Call call) {
  std::atomic<bool> stop{false};
  std::atomic<long> done{0};
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<double> local;
      for (long i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const absl::Time a = absl::Now();
        if (!call(t, i)) ++*failures;
        local.push_back(absl::ToDoubleMilliseconds(absl::Now() - a));
        ++done;
      }
      absl::MutexLock lock(&lat->mu);
      lat->ms.insert(lat->ms.end(), local.begin(), local.end());
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (std::thread& w : workers) w.join();
  return done.load() / absl::ToDoubleSeconds(absl::Now() - start);
}

struct RedisBenchmarkResult {
  double rps = 0;
  double p99_ms = 0;
};

// Runs redis-benchmark with fixed arguments (no user input reaches the
// command line) and parses its --csv line.
// It logs in as the same Redis user as the service (the test Redis has the
// production ACLs on), so both sides run under the same permission checks.
RedisBenchmarkResult RunRedisBenchmark(const oe::redis::RedisOptions& login, int clients,
                                       int requests, const std::vector<std::string>& command) {
  std::string line = absl::StrCat("redis-benchmark -h ", login.host, " -p ", login.port, " -c ",
                                  clients, " -n ", requests, " -r 1000000000 --csv");
  if (login.user.has_value() && login.password.has_value()) {
    absl::StrAppend(&line, " --user '", *login.user, "' -a '", *login.password, "'");
  }
  absl::StrAppend(&line, " 2>/dev/null");
  for (const std::string& arg : command) absl::StrAppend(&line, " '", arg, "'");
  RedisBenchmarkResult result;
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[1024];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) {
    // "test","rps","avg","min","p50","p95","p99","max"
    std::vector<std::string> cells = absl::StrSplit(buffer, ',');
    if (cells.size() < 7 || cells[0] == "\"test\"") continue;
    auto number = [](std::string cell) {
      cell.erase(std::remove(cell.begin(), cell.end(), '"'), cell.end());
      return std::atof(cell.c_str());
    };
    result.rps = number(cells[1]);
    result.p99_ms = number(cells[6]);
  }
  pclose(pipe);
  return result;
}

int Fail(const char* step, const absl::Status& status) {
  std::fprintf(stderr, "oe_account_bench: %s failed: %s\n", step, status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int cores = absl::GetFlag(FLAGS_cores);

  oe::test_support::RedisServerOptions redis_options;
  redis_options.appendonly = true;
  auto redis = oe::test_support::RedisServer::Start(redis_options);
  if (!redis.ok()) {
    std::fprintf(stderr, "redis: %s\n", redis.status().ToString().c_str());
    return 1;
  }
  oe::account::AccountConfig config;
  // Never hit the cap (the bench account is free and unverified, which has
  // the guest's allowance).
  config.views_per_month.guest = oe::account::PlanLimits::kUnlimited;
  config.views_per_month.free = oe::account::PlanLimits::kUnlimited;
  config.login_failures_per_address = 1 << 30;
  config.hash_workers = cores;
  auto hasher = oe::account::PasswordHasher::Create(config.hash_cost);  // production cost
  oe::redis::RedisOptions options = oe::test_support::RedisOptionsAs(**redis, "account");
  options.pool_size = clients;
  auto backend = oe::account::AccountBackend::Create(config, oe::account::PasswordPolicy({}),
                                                     *std::move(hasher), options);
  if (!backend.ok()) return Fail("account backend", backend.status());
  // Mutual TLS as deployed: a throw-away CA for this process.
  if (absl::Status tls = oe::test_support::UseThrowAwayCertificates(); !tls.ok()) {
    return Fail("certificates", tls);
  }
  oe::common::ServerOptions server_options;
  server_options.service_name = "account";
  server_options.log_calls = false;
  auto server = oe::common::RunningServer::Start(
      server_options, {oe::common::Bind<pb::AccountService>((*backend)->service())});
  if (!server.ok()) return Fail("server", server.status());
  // ConsumeView answers only to the catalogue (services/common/method_acl.cc).
  auto credentials = oe::common::MakeChannelCredentials("catalogue");
  if (!credentials.ok()) return Fail("client credentials", credentials.status());
  auto channel = grpc::CreateChannel((*server)->address(), *credentials);
  auto stub = pb::AccountService::NewStub(channel);

  pb::RegisterRequest reg;
  reg.set_email("bench@example.com");
  reg.set_password("bench-password-long");
  reg.set_display_name("Bench");
  reg.set_role(pb::ROLE_CODER);
  reg.set_client_address("127.0.0.1");
  pb::RegisterResponse registered;
  {
    grpc::ClientContext ctx;
    grpc::Status status = stub->Register(&ctx, reg, &registered);
    if (!status.ok()) return Fail("Register", absl::UnknownError(status.error_message()));
  }
  const std::string token = registered.session().token();
  const std::string account_id = registered.account().account_id();

  // Phase 1a: ConsumeView over gRPC.
  Latencies grpc_lat;
  std::atomic<int> grpc_failures{0};
  const double grpc_rps = RunLoad(clients, seconds, &grpc_lat, &grpc_failures, [&](int t, long i) {
    pb::ConsumeViewRequest req;
    req.set_session_token(token);
    req.set_code(absl::StrCat("C", t, "-", i));
    req.set_request_id(absl::StrCat("r", t, "-", i));
    pb::ConsumeViewResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    return stub->ConsumeView(&ctx, req, &resp).ok() && resp.allowed();
  });

  // Phase 1b: the same script through redis-benchmark, same keys, same Redis.
  const oe::redis::LuaScript& script = oe::account::RedisMeterStore::ConsumeViewScript();
  const oe::account::Window month = oe::account::MonthWindow(absl::Now());
  const std::string expire_at = std::to_string(absl::ToUnixMillis(month.end + absl::Hours(24)));
  (void)(*backend)->redis()->Command({"SCRIPT", "LOAD", script.source()},
                                     absl::Now() + absl::Seconds(1));
  const int requests = std::max(1000, static_cast<int>(grpc_rps * seconds));
  // redis-benchmark counts an error reply as an answer, so the arguments
  // are first checked to open a view.
  auto evalsha = [&](const std::string& code, const std::string& request_id) {
    return std::vector<std::string>{"EVALSHA",
                                    script.sha1(),
                                    "4",
                                    oe::account::keys::Views(account_id, month.label),
                                    oe::account::keys::ViewRequests(account_id, month.label),
                                    oe::account::keys::Account(account_id),
                                    oe::account::keys::Sessions(account_id),
                                    code,
                                    request_id,
                                    expire_at,
                                    "-1",
                                    "-1",
                                    "-1",
                                    "-1",
                                    "0",
                                    registered.session().session_id(),
                                    "0"};
  };
  const std::vector<std::string> probe_command = evalsha("probe-code", "probe-id");
  const std::vector<absl::string_view> probe_args(probe_command.begin(), probe_command.end());
  absl::StatusOr<oe::redis::RedisReply> probe =
      (*backend)->redis()->Command(probe_args, absl::Now() + absl::Seconds(1));
  if (!probe.ok() || !probe->is_array()) {
    return Fail("the metering script with the bench's arguments",
                probe.ok() ? absl::InternalError(probe->DebugString()) : probe.status());
  }
  const RedisBenchmarkResult baseline =
      RunRedisBenchmark(options, clients, requests, evalsha("B__rand_int__", "q__rand_int__"));

  // Phase 2a: the hash alone, single-threaded.
  const oe::account::HashCost cost = config.hash_cost;
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, "bench-password-long", 19, cost.opslimit, cost.memlimit_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return 1;
  }
  const int verifies = 10;
  const absl::Time v0 = absl::Now();
  for (int i = 0; i < verifies; ++i) {
    if (crypto_pwhash_str_verify(encoded, "bench-password-long", 19) != 0) return 1;
  }
  const double verify_ms = absl::ToDoubleMilliseconds(absl::Now() - v0) / verifies;
  const double ceiling = cores * 1000.0 / verify_ms;

  // Phase 2b: logins over gRPC.
  Latencies login_lat;
  std::atomic<int> login_failures{0};
  const double login_rps = RunLoad(cores * 2, seconds, &login_lat, &login_failures, [&](int, long) {
    pb::LoginRequest req;
    req.set_email("bench@example.com");
    req.set_password("bench-password-long");
    req.set_client_address("127.0.0.1");
    pb::LoginResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    return stub->Login(&ctx, req, &resp).ok();
  });

  std::printf(
      "ConsumeView over gRPC:        %8.0f/s  p50 %.2f ms  p99 %.2f ms  (%d clients, %d failed)\n",
      grpc_rps, grpc_lat.Percentile(0.50), grpc_lat.Percentile(0.99), clients,
      grpc_failures.load());
  std::printf("redis-benchmark EVALSHA:      %8.0f/s  p99 %.2f ms  (same script, same Redis)\n",
              baseline.rps, baseline.p99_ms);
  std::printf("ratio gRPC / redis-benchmark: %8.0f%%  (target >= 50%%)\n",
              baseline.rps > 0 ? 100.0 * grpc_rps / baseline.rps : 0.0);
  std::printf(
      "argon2id verify alone:        %8.1f ms  (t=%llu, m=%zu KiB) -> ceiling %.1f/s on %d cores\n",
      verify_ms, static_cast<unsigned long long>(cost.opslimit), cost.memlimit_bytes >> 10, ceiling,
      cores);
  std::printf("Login over gRPC:              %8.1f/s  p99 %.1f ms  (%d failed)\n", login_rps,
              login_lat.Percentile(0.99), login_failures.load());
  std::printf("ratio logins / ceiling:       %8.0f%%\n", 100.0 * login_rps / ceiling);
  (*server)->Shutdown();
  return 0;
}
