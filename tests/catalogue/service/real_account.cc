#include "tests/catalogue/service/real_account.h"

#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace openencoder::catalogue::testing {
namespace {

namespace apb = ::openencoder::account::v1;

constexpr char kPassword[] = "purple-otter-tuesday";

void WithDeadline(grpc::ClientContext* context) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RealAccount>> RealAccount::Start() {
  std::unique_ptr<RealAccount> a(new RealAccount);
  absl::StatusOr<std::unique_ptr<test_support::RedisServer>> redis =
      test_support::RedisServer::Start();
  if (!redis.ok()) return redis.status();
  a->redis_ = *std::move(redis);

  account::AccountConfig config;
  config.admin_emails = {kAdminEmail};
  config.hash_workers = 2;
  // The shared machine is often busy; the production 250 ms per Redis call
  // would turn load into flaky UNAVAILABLE answers that no test is about.
  config.redis_call_timeout = absl::Seconds(2);
  config.request_budget = absl::Seconds(5);
  // The account tests check the production hash cost; a cheap one keeps
  // registrations here fast.
  absl::StatusOr<account::PasswordHasher> hasher = account::PasswordHasher::Create(
      account::HashCost{1, size_t{1} << 20}, /*allow_weak_for_tests=*/true);
  if (!hasher.ok()) return hasher.status();
  redis::RedisOptions options;
  options.port = a->redis_->port();
  absl::StatusOr<std::unique_ptr<account::AccountBackend>> backend =
      account::AccountBackend::Create(std::move(config), account::PasswordPolicy({"password"}),
                                      *std::move(hasher), options);
  if (!backend.ok()) return backend.status();
  a->backend_ = *std::move(backend);

  common::ServerOptions server_options;
  server_options.service_name = "account";
  server_options.log_calls = false;
  absl::StatusOr<std::unique_ptr<common::RunningServer>> server = common::RunningServer::Start(
      server_options, {common::Bind<apb::AccountService>(a->backend_->service())});
  if (!server.ok()) return server.status();
  a->server_ = *std::move(server);
  a->stub_ = apb::AccountService::NewStub(
      grpc::CreateChannel(a->server_->address(), grpc::InsecureChannelCredentials()));
  a->admin_token_ = a->RegisterFree(kAdminEmail);
  return a;
}

RealAccount::~RealAccount() {
  if (server_) server_->Shutdown();
  server_.reset();
  backend_.reset();
}

std::string RealAccount::GuestSession() {
  apb::CreateGuestSessionRequest request;
  ++guests_;
  request.set_client_address(absl::StrCat("10.0.", guests_ / 250, ".", guests_ % 250));
  apb::CreateGuestSessionResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  grpc::Status s = stub_->CreateGuestSession(&context, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.session().token();
}

std::string RealAccount::RegisterFree(const std::string& email, const std::string& guest_token,
                                      std::string* account_id) {
  apb::RegisterRequest request;
  request.set_email(email);
  request.set_password(kPassword);
  request.set_display_name("Test Coder");
  request.set_role(apb::ROLE_CODER);
  request.set_guest_session_token(guest_token);
  request.set_client_address("10.1.0.1");
  apb::RegisterResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  grpc::Status s = stub_->Register(&context, request, &response);
  EXPECT_TRUE(s.ok()) << email << ": " << s.error_message();
  if (account_id != nullptr) *account_id = response.account().account_id();
  return response.session().token();
}

std::string RealAccount::SessionOnPlan(const std::string& email, apb::Plan plan) {
  std::string id;
  const std::string token = RegisterFree(email, "", &id);
  apb::SetPlanRequest request;
  request.set_session_token(admin_token_);
  request.set_account_id(id);
  request.set_plan(plan);
  apb::SetPlanResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  grpc::Status s = stub_->SetPlan(&context, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.account().plan(), plan);
  return token;
}

apb::Quota RealAccount::Quota(const std::string& token) {
  apb::GetQuotaRequest request;
  request.set_session_token(token);
  apb::GetQuotaResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  grpc::Status s = stub_->GetQuota(&context, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.quota();
}

}  // namespace openencoder::catalogue::testing
