// The shared server bootstrap against a real gRPC channel on loopback.
#include "services/common/server.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <future>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/client.h"
#include "tests/common/runtime/slow_lookup_service.h"

namespace openencoder::common {
namespace {

namespace sv1 = ::openencoder::search::v1;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

using testing::SlowLookupService;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.service_name = "test";
    options.drain_timeout = absl::Seconds(5);
    auto running = RunningServer::Start(options, {Bind<sv1::SearchService>(&service_)});
    ASSERT_TRUE(running.ok()) << running.status();
    server_ = std::move(*running);
    channel_ = MakeChannel(server_->address());
  }

  HealthCheckResponse::ServingStatus Health(const std::string& name) {
    auto stub = Health::NewStub(channel_);
    HealthCheckRequest request;
    request.set_service(name);
    HealthCheckResponse response;
    auto context = MakeClientContext(absl::Seconds(5));
    grpc::Status status = stub->Check(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  SlowLookupService service_;
  std::unique_ptr<RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ServerTest, HealthIsServingForServerAndEachService) {
  EXPECT_GT(server_->port(), 0);
  EXPECT_EQ(Health(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("openencoder.search.v1.SearchService"), HealthCheckResponse::SERVING);
}

TEST_F(ServerTest, UnknownHealthServiceIsNotFound) {
  auto stub = Health::NewStub(channel_);
  HealthCheckRequest request;
  request.set_service("no.such.Service");
  HealthCheckResponse response;
  auto context = MakeClientContext(absl::Seconds(5));
  EXPECT_EQ(stub->Check(context.get(), request, &response).error_code(), grpc::NOT_FOUND);
}

TEST_F(ServerTest, RequestIdIsEchoedOrAssignedInTrailers) {
  auto stub = sv1::SearchService::NewStub(channel_);
  sv1::LookupRequest request;
  request.set_code("X");
  sv1::LookupResponse response;

  auto with_id = MakeClientContext(absl::Seconds(5), "req-123");
  EXPECT_EQ(stub->Lookup(with_id.get(), request, &response).error_code(), grpc::NOT_FOUND);
  auto trailers = with_id->GetServerTrailingMetadata();
  auto it = trailers.find("x-request-id");
  ASSERT_NE(it, trailers.end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "req-123");

  grpc::ClientContext bare;
  bare.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  bare.AddMetadata("x-request-id", "bad id with spaces");
  EXPECT_EQ(stub->Lookup(&bare, request, &response).error_code(), grpc::NOT_FOUND);
  auto assigned = bare.GetServerTrailingMetadata().find("x-request-id");
  ASSERT_NE(assigned, bare.GetServerTrailingMetadata().end());
  EXPECT_EQ(assigned->second.size(), 32u);
}

TEST_F(ServerTest, ShutdownDrainsInFlightCallsAndThenRefusesNewOnes) {
  auto stub = sv1::SearchService::NewStub(channel_);
  auto in_flight = std::async(std::launch::async, [&] {
    sv1::LookupRequest request;
    request.set_code("sleep:600");
    sv1::LookupResponse response;
    auto context = MakeClientContext(absl::Seconds(10));
    return stub->Lookup(context.get(), request, &response).error_code();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // let it start
  server_->Shutdown();
  EXPECT_EQ(in_flight.get(), grpc::OK) << "the in-flight call must finish during the drain";

  sv1::LookupRequest request;
  request.set_code("X");
  sv1::LookupResponse response;
  auto context = MakeClientContext(absl::Milliseconds(500));
  // Our channels wait for a ready replica within the deadline (client.h
  // wait_for_ready); a fail-fast one is refused at once.
  EXPECT_EQ(stub->Lookup(context.get(), request, &response).error_code(), grpc::DEADLINE_EXCEEDED);
  auto fail_fast = sv1::SearchService::NewStub(
      MakeChannel(server_->address(), ChannelOptions{.wait_for_ready = false}));
  context = MakeClientContext(absl::Seconds(2));
  EXPECT_EQ(fail_fast->Lookup(context.get(), request, &response).error_code(), grpc::UNAVAILABLE);
}

TEST(ServerStart, WarmingUpServerIsNotServingAndGetsNoCallsUntilItSaysSo) {
  SlowLookupService service;
  ServerOptions options;
  options.service_name = "warming";
  options.initially_serving = false;
  auto running = RunningServer::Start(options, {Bind<sv1::SearchService>(&service)});
  ASSERT_TRUE(running.ok());
  // A probe channel without client-side health checking sees the status.
  ChannelOptions probe_options;
  probe_options.health_check = false;
  auto health = Health::NewStub(MakeChannel((*running)->address(), probe_options));
  auto check = [&](const std::string& name) {
    HealthCheckRequest request;
    request.set_service(name);
    HealthCheckResponse response;
    auto context = MakeClientContext(absl::Seconds(5));
    EXPECT_TRUE(health->Check(context.get(), request, &response).ok());
    return response.status();
  };
  EXPECT_EQ(check(""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(check("openencoder.search.v1.SearchService"), HealthCheckResponse::NOT_SERVING);

  // A service client (health-checking channel) sends nothing to it: a
  // fail-fast call is refused at once, ours wait until their deadline.
  auto stub = sv1::SearchService::NewStub(
      MakeChannel((*running)->address(), ChannelOptions{.wait_for_ready = false}));
  auto waiting = sv1::SearchService::NewStub(MakeChannel((*running)->address()));
  auto lookup_on = [&](sv1::SearchService::Stub* s, absl::Duration timeout) {
    sv1::LookupRequest request;
    request.set_code("X");
    sv1::LookupResponse response;
    auto context = MakeClientContext(timeout);
    return s->Lookup(context.get(), request, &response).error_code();
  };
  auto lookup = [&] { return lookup_on(stub.get(), absl::Seconds(2)); };
  EXPECT_EQ(lookup(), grpc::UNAVAILABLE);
  EXPECT_EQ(lookup_on(waiting.get(), absl::Milliseconds(300)), grpc::DEADLINE_EXCEEDED);

  (*running)->SetServing(true);
  EXPECT_EQ(check(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(check("openencoder.search.v1.SearchService"), HealthCheckResponse::SERVING);
  // The channel learns of the change through its health watch; allow it time.
  grpc::StatusCode code = grpc::UNAVAILABLE;
  for (int i = 0; i < 50 && code == grpc::UNAVAILABLE; ++i) {
    code = lookup();
    if (code == grpc::UNAVAILABLE) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(code, grpc::NOT_FOUND) << "calls reach the server once it is serving";
}

TEST(ServerStart, BusyPortIsUnavailableWithTheAddressInTheMessage) {
  SlowLookupService service;
  ServerOptions options;
  options.service_name = "first";
  auto first = RunningServer::Start(options, {Bind<sv1::SearchService>(&service)});
  ASSERT_TRUE(first.ok());
  SlowLookupService other;
  options.listen_address = (*first)->address();
  options.service_name = "second";
  auto second = RunningServer::Start(options, {Bind<sv1::SearchService>(&other)});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find((*first)->address()), absl::string_view::npos);
}

// ServeUntilSignal on a thread of its own that blocks the signals it waits
// for, as InitServerProcess does for a whole process. Signals go to that
// thread only (pthread_kill), so no other thread of the test sees them.
class SignalledServer {
 public:
  explicit SignalledServer(ServeHooks hooks) {
    std::promise<std::string> address;
    std::future<std::string> started = address.get_future();
    thread_ = std::thread([this, hooks = std::move(hooks), &address]() mutable {
      BlockServeSignals();
      std::function<void(RunningServer*)> user_started = std::move(hooks.on_started);
      hooks.on_started = [&address, user_started](RunningServer* server) {
        if (user_started) user_started(server);
        address.set_value(server->address());
      };
      ServerOptions options;
      options.service_name = "signalled";
      options.drain_timeout = absl::Seconds(2);
      options.log_calls = false;
      absl::Status status =
          ServeUntilSignal(options, {Bind<sv1::SearchService>(&service_)}, std::move(hooks));
      EXPECT_TRUE(status.ok()) << status;
      stopped_.set_value();
    });
    address_ = started.get();
    stopped_future_ = stopped_.get_future();
  }

  ~SignalledServer() {
    if (!Stopped(absl::ZeroDuration())) Send(SIGTERM);
    thread_.join();
  }

  void Send(int signal) { ASSERT_EQ(pthread_kill(thread_.native_handle(), signal), 0); }

  // True once ServeUntilSignal returned; waits up to `timeout` for it.
  bool Stopped(absl::Duration timeout) {
    return stopped_future_.wait_for(absl::ToChronoMilliseconds(timeout)) ==
           std::future_status::ready;
  }

  // The status of a Lookup of an unknown code: NOT_FOUND while serving.
  grpc::StatusCode Lookup() {
    auto stub = sv1::SearchService::NewStub(MakeChannel(address_));
    sv1::LookupRequest request;
    request.set_code("X");
    sv1::LookupResponse response;
    auto context = MakeClientContext(absl::Seconds(5));
    return stub->Lookup(context.get(), request, &response).error_code();
  }

 private:
  SlowLookupService service_;
  std::thread thread_;
  std::string address_;
  std::promise<void> stopped_;
  std::future<void> stopped_future_;
};

// Polls `done` until it holds or `timeout` passes.
template <typename Predicate>
bool Eventually(Predicate done, absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

TEST(ServeUntilSignal, SighupCallsTheReloadHookEachTimeAndKeepsServing) {
  std::atomic<int> reloads{0};
  std::atomic<bool> drained{false};
  ServeHooks hooks;
  hooks.on_reload = [&] { ++reloads; };
  hooks.on_draining = [&] { drained = true; };
  SignalledServer server(std::move(hooks));
  ASSERT_EQ(server.Lookup(), grpc::NOT_FOUND);

  server.Send(SIGHUP);
  ASSERT_TRUE(Eventually([&] { return reloads.load() == 1; }));
  EXPECT_FALSE(server.Stopped(absl::ZeroDuration()));
  EXPECT_EQ(server.Lookup(), grpc::NOT_FOUND) << "still serving after a reload";

  server.Send(SIGHUP);
  ASSERT_TRUE(Eventually([&] { return reloads.load() == 2; }));
  EXPECT_FALSE(drained.load());

  server.Send(SIGTERM);
  ASSERT_TRUE(server.Stopped(absl::Seconds(10)));
  EXPECT_TRUE(drained.load());
  EXPECT_EQ(reloads.load(), 2);
}

TEST(ServeUntilSignal, SighupWithoutAReloadHookDrainsLikeSigterm) {
  std::atomic<bool> drained{false};
  ServeHooks hooks;
  hooks.on_draining = [&] { drained = true; };
  SignalledServer server(std::move(hooks));
  ASSERT_EQ(server.Lookup(), grpc::NOT_FOUND);
  server.Send(SIGHUP);
  ASSERT_TRUE(server.Stopped(absl::Seconds(10)));
  EXPECT_TRUE(drained.load());
}

}  // namespace
}  // namespace openencoder::common
