// Every internal-only method (method_acl.h) refuses a plaintext caller and a
// caller holding another service's certificate, and answers the identities
// the table names. A generic server with the production credentials answers
// any method, so that only the credentials decide; the catalogue started as
// deployed shows RunningServer installs them.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/rpc_method.h>

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/method_acl.h"
#include "services/common/rpc_interceptors.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "tests/support/inprocess_services.h"

namespace openencoder::common {
namespace {

const char* const kIdentities[] = {"catalogue", "search",  "account", "jobs",
                                   "assistant", "gateway", "operator"};

// Reads one message and answers it with an empty one, for every method.
class AnswerAll final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      Reactor() { StartRead(&request_); }
      void OnReadDone(bool ok) override {
        if (!ok) {
          Finish(grpc::Status::OK);
          return;
        }
        StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer request_;
      grpc::ByteBuffer response_{std::vector<grpc::Slice>{grpc::Slice("")}.data(), 1};
    };
    return new Reactor();
  }
};

class MutualTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto credentials = MakeServerCredentials("account");
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port_);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    address_ = absl::StrCat("127.0.0.1:", port_);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  static grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& path) {
    grpc::internal::RpcMethod method(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
    auto context = MakeClientContext(absl::Seconds(5));
    grpc::ByteBuffer request(std::vector<grpc::Slice>{grpc::Slice("")}.data(), 1);
    grpc::ByteBuffer response;
    return grpc::internal::BlockingUnaryCall(channel.get(), method, context.get(), request,
                                             &response);
  }

  grpc::Status CallAs(const std::string& identity, const std::string& path) {
    ChannelOptions options;
    options.client_identity = identity;
    options.server_identity = "account";
    options.health_check = false;
    return Call(MakeChannel(address_, options), path);
  }

  AnswerAll service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string address_;
};

TEST_F(MutualTlsTest, TheTableCoversTheMethodsTheIssueNames) {
  std::vector<std::string> listed;
  for (const InternalMethod& m : InternalMethods()) listed.push_back(m.method);
  for (const char* name : {"AccountService/ConsumeView", "AccountService/ValidateSession",
                           "AccountService/CreateGuestSession", "AccountService/SetPlan",
                           "AssistantService/SubmitEmail", "CatalogueService/StreamCodes",
                           "JobsService/EraseAccountData", "AssistantService/EraseAccountData"}) {
    bool found = false;
    for (const std::string& m : listed) found = found || absl::EndsWith(m, name);
    EXPECT_TRUE(found) << name << " is missing from services/common/method_acl.cc";
  }
}

TEST_F(MutualTlsTest, ThePermittedIdentityIsAnsweredOnEveryInternalMethod) {
  for (const InternalMethod& m : InternalMethods()) {
    for (const char* caller : m.callers) {
      grpc::Status s = CallAs(caller, m.method);
      EXPECT_TRUE(s.ok()) << m.method << " as " << caller << ": " << s.error_code() << " "
                          << s.error_message();
    }
  }
}

TEST_F(MutualTlsTest, EveryOtherServiceCertificateIsRefusedWithPermissionDenied) {
  for (const InternalMethod& m : InternalMethods()) {
    for (const char* identity : kIdentities) {
      bool permitted = false;
      for (const char* caller : m.callers) permitted = permitted || std::string(caller) == identity;
      if (permitted) continue;
      grpc::Status s = CallAs(identity, m.method);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << m.method << " as " << identity << ": " << s.error_message();
      // The message says who may call it and where the table is.
      EXPECT_TRUE(absl::StrContains(s.error_message(), m.callers.front())) << s.error_message();
      EXPECT_TRUE(absl::StrContains(s.error_message(), "method_acl.cc")) << s.error_message();
    }
  }
}

TEST_F(MutualTlsTest, APlaintextCallerIsRefusedOnEveryInternalMethod) {
  auto plaintext = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  for (const InternalMethod& m : InternalMethods()) {
    grpc::Status s = Call(plaintext, m.method);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE)
        << m.method << ": " << s.error_message();
  }
}

TEST_F(MutualTlsTest, PublicMethodsAnswerAnyIdentityOfTheCa) {
  EXPECT_TRUE(CallAs("jobs", "/openencoder.catalogue.v1.CatalogueService/GetCodePage").ok());
  EXPECT_TRUE(CallAs("gateway", "/openencoder.search.v1.SearchService/Search").ok());
}

TEST_F(MutualTlsTest, AServerThatIsNotTheExpectedIdentityIsRefusedByTheClient) {
  ChannelOptions options;
  options.server_identity = "search";  // the server holds the account certificate
  options.health_check = false;
  // Fail fast: a waiting channel would only report the refused handshake as
  // DEADLINE_EXCEEDED when the call's time is up.
  options.wait_for_ready = false;
  grpc::Status s = Call(MakeChannel(address_, options), "/any.Service/Method");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST(MutualTlsServiceTest, TheCatalogueAsDeployedStreamsCodesOnlyToSearch) {
  test_support::InProcessOptions options;
  options.catalogue.emplace();
  auto services = test_support::InProcessServices::Start(std::move(options));
  ASSERT_TRUE(services.ok()) << services.status();
  auto stream_as = [&](const std::string& identity) {
    ChannelOptions channel;
    channel.client_identity = identity;
    auto stub = catalogue::v1::CatalogueService::NewStub(
        MakeChannel((*services)->catalogue_address(), channel));
    auto context = MakeClientContext(absl::Seconds(10));
    catalogue::v1::StreamCodesRequest request;
    auto reader = stub->StreamCodes(context.get(), request);
    catalogue::v1::StreamCodesResponse response;
    while (reader->Read(&response)) {
    }
    return reader->Finish();
  };
  grpc::Status refused = stream_as("gateway");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED) << refused.error_message();
  grpc::Status answered = stream_as("search");
  EXPECT_TRUE(answered.ok()) << answered.error_message();
}

TEST(MutualTlsServiceTest, TheHealthPortAnswersProbesInPlaintextAndNothingElse) {
  ServerOptions options;
  options.service_name = "catalogue";
  options.log_calls = false;
  options.health_address = "127.0.0.1:0";
  catalogue::v1::CatalogueService::CallbackService service;  // answers UNIMPLEMENTED
  auto running = RunningServer::Start(options, {Bind<catalogue::v1::CatalogueService>(&service)});
  ASSERT_TRUE(running.ok()) << running.status();
  ASSERT_NE((*running)->health_port(), 0);
  auto check = [](const std::string& address) {
    auto health = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(catalogue::v1::CatalogueService::service_full_name());
    grpc::health::v1::HealthCheckResponse response;
    auto context = MakeClientContext(absl::Seconds(5));
    grpc::Status s = health->Check(context.get(), request, &response);
    return s.ok() ? (response.status() == response.SERVING ? "SERVING" : "NOT_SERVING")
                  : GrpcCodeName(s.error_code());
  };
  const std::string health = absl::StrCat("127.0.0.1:", (*running)->health_port());
  EXPECT_STREQ(check(health), "SERVING");
  EXPECT_STREQ(check((*running)->address()), "UNAVAILABLE");  // the main port wants TLS
  // The methods are not on the health port.
  auto stub = catalogue::v1::CatalogueService::NewStub(
      grpc::CreateChannel(health, grpc::InsecureChannelCredentials()));
  auto context = MakeClientContext(absl::Seconds(5));
  catalogue::v1::GetEditionsRequest request;
  catalogue::v1::GetEditionsResponse response;
  EXPECT_EQ(stub->GetEditions(context.get(), request, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  (*running)->SetServing(false);
  EXPECT_STREQ(check(health), "NOT_SERVING");
}

}  // namespace
}  // namespace openencoder::common
