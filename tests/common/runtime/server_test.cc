// The shared server bootstrap against a real gRPC channel on loopback.
#include "services/common/server.h"

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/client.h"

namespace openencoder::common {
namespace {

namespace sv1 = ::openencoder::search::v1;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// Lookup("sleep:N") answers after N ms, so a test can hold a call in flight.
class SlowLookupService final : public sv1::SearchService::CallbackService {
  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* context,
                                   const sv1::LookupRequest* request,
                                   sv1::LookupResponse* response) override {
    auto* reactor = context->DefaultReactor();
    int ms = 0;
    absl::string_view code = request->code();
    if (absl::ConsumePrefix(&code, "sleep:") && absl::SimpleAtoi(code, &ms)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(grpc::Status(grpc::NOT_FOUND, "no such code"));
    }
    return reactor;
  }
};

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
  auto context = MakeClientContext(absl::Seconds(2));
  EXPECT_EQ(stub->Lookup(context.get(), request, &response).error_code(), grpc::UNAVAILABLE);
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

  // A service client (health-checking channel) sends nothing to it.
  auto stub = sv1::SearchService::NewStub(MakeChannel((*running)->address()));
  auto lookup = [&] {
    sv1::LookupRequest request;
    request.set_code("X");
    sv1::LookupResponse response;
    auto context = MakeClientContext(absl::Seconds(2));
    return stub->Lookup(context.get(), request, &response).error_code();
  };
  EXPECT_EQ(lookup(), grpc::UNAVAILABLE);

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

}  // namespace
}  // namespace openencoder::common
