// "No 503 after idle" (issue 18): a channel that idles past the lifetime of
// its connection or of its client-side Health/Watch stream must carry the
// next call, not fail it at once with UNAVAILABLE while the server is
// SERVING. Both lifetimes are shortened to about a second so the tests
// idle past several of them.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "tests/common/runtime/slow_lookup_service.h"

namespace openencoder::common {
namespace {

namespace sv1 = ::openencoder::search::v1;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// Its lookups answer NOT_FOUND at once.
using testing::SlowLookupService;

// A server whose watch streams end while the connection stays up, as the
// account log showed for every client's watch (UNKNOWN after 55-60 s), and
// whose next watch fails before answering (as one does on a connection that
// is going away). gRPC's health client restarts an ended watch at once, but
// a watch that fails before its first answer puts the subchannel in
// TRANSIENT_FAILURE for the retry backoff (about 1 s), and a fail-fast call
// in that window fails with UNAVAILABLE although the server is SERVING.
// Odd watches answer SERVING and end after `lifetime`; even ones fail at
// once.
class ShortLivedWatchHealth final : public Health::CallbackService {
 public:
  explicit ShortLivedWatchHealth(absl::Duration lifetime) : lifetime_(lifetime) {}
  ~ShortLivedWatchHealth() override {
    absl::MutexLock lock(&mu_);
    for (std::thread& t : enders_) t.join();
  }

  grpc::ServerWriteReactor<HealthCheckResponse>* Watch(grpc::CallbackServerContext*,
                                                       const HealthCheckRequest*) override {
    absl::MutexLock lock(&mu_);
    const bool answers = watches_++ % 2 == 0;
    auto* reactor = new Reactor(answers);
    if (!answers) {
      reactor->End();
      return reactor;
    }
    enders_.emplace_back([reactor, lifetime = lifetime_] {
      absl::SleepFor(lifetime);
      reactor->End();
    });
    return reactor;
  }

 private:
  class Reactor final : public grpc::ServerWriteReactor<HealthCheckResponse> {
   public:
    explicit Reactor(bool answers) {
      if (!answers) return;
      response_.set_status(HealthCheckResponse::SERVING);
      StartWrite(&response_);
    }
    void End() { Finish(grpc::Status(grpc::StatusCode::UNKNOWN, "watch lifetime over")); }
    void OnWriteDone(bool) override {}
    void OnDone() override { delete this; }

   private:
    HealthCheckResponse response_;
  };

  const absl::Duration lifetime_;
  absl::Mutex mu_;
  int watches_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> enders_ ABSL_GUARDED_BY(mu_);
};

// Idles `rounds` times a little longer than a lifetime (each round at
// another point of the cycle), calls once, and lists the calls that failed.
std::vector<std::string> IdleAndCall(sv1::SearchService::Stub* stub, int rounds) {
  auto lookup = [&] {
    sv1::LookupRequest request;
    request.set_code("X");
    sv1::LookupResponse response;
    auto context = MakeClientContext(absl::Seconds(5));
    return stub->Lookup(context.get(), request, &response);
  };
  std::vector<std::string> failures;
  grpc::Status first = lookup();
  if (first.error_code() != grpc::NOT_FOUND) failures.push_back("the first call failed");
  for (int round = 0; round < rounds; ++round) {
    absl::SleepFor(absl::Milliseconds(1100 + 130 * round));
    grpc::Status status = lookup();
    if (status.error_code() != grpc::NOT_FOUND) {
      failures.push_back(absl::StrCat("round ", round, ": code ", status.error_code(), " ",
                                      status.error_message()));
    }
  }
  return failures;
}

TEST(IdleChannel, FirstCallAfterTheWatchStreamEndedSucceeds) {
  SlowLookupService lookup;
  ShortLivedWatchHealth health(absl::Seconds(1));
  grpc::EnableDefaultHealthCheckService(false);  // this test's Health instead
  grpc::ServerBuilder builder;
  int port = 0;
  // The same mutual TLS as every server (the test process's throw-away CA).
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      common::MakeServerCredentials("search");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  builder.AddListeningPort("127.0.0.1:0", *credentials, &port);
  builder.RegisterService(&lookup);
  builder.RegisterService(&health);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  // Not idempotent (no retries), as most account calls.
  auto stub = sv1::SearchService::NewStub(MakeChannel(absl::StrCat("127.0.0.1:", port)));
  std::vector<std::string> failures = IdleAndCall(stub.get(), 6);
  EXPECT_TRUE(failures.empty()) << absl::StrJoin(failures, "\n");
  server->Shutdown(std::chrono::system_clock::now());
}

TEST(IdleChannel, FirstCallAfterIdlingPastTheConnectionLifetimeSucceeds) {
  grpc::EnableDefaultHealthCheckService(true);
  SlowLookupService service;
  ServerOptions options;
  options.service_name = "idle";
  options.log_calls = false;
  options.max_connection_age = absl::Seconds(1);
  options.max_connection_age_grace = absl::Milliseconds(200);
  auto running = RunningServer::Start(options, {Bind<sv1::SearchService>(&service)});
  ASSERT_TRUE(running.ok()) << running.status();
  auto stub = sv1::SearchService::NewStub(MakeChannel((*running)->address()));
  std::vector<std::string> failures = IdleAndCall(stub.get(), 6);
  EXPECT_TRUE(failures.empty()) << absl::StrJoin(failures, "\n");
}

}  // namespace
}  // namespace openencoder::common
