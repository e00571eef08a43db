#include "tests/support/account_sessions.h"

#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/status.h"

namespace openencoder::test_support {
namespace {

namespace apb = ::openencoder::account::v1;

constexpr char kPassword[] = "purple-otter-tuesday";
// Registrations and logins share one address (the per-address caps are far
// above what a suite makes); guests get addresses of their own, apart.
constexpr char kMemberAddress[] = "10.1.0.1";
// Generous: the shared machine is often busy, and no test here is about speed.
constexpr absl::Duration kCallTimeout = absl::Seconds(10);

}  // namespace

AccountSessions::AccountSessions(const std::string& address)
    : stub_(apb::AccountService::NewStub(common::MakeChannel(address))),
      operator_stub_(apb::AccountService::NewStub(
          common::MakeChannel(address, common::ChannelOptions{.client_identity = "operator"}))) {}

absl::StatusOr<std::string> AccountSessions::Guest() {
  apb::CreateGuestSessionRequest request;
  ++guests_;
  request.set_client_address(absl::StrCat("10.0.", guests_ / 250, ".", guests_ % 250));
  apb::CreateGuestSessionResponse response;
  auto context = common::MakeClientContext(kCallTimeout);
  grpc::Status s = stub_->CreateGuestSession(context.get(), request, &response);
  if (!s.ok()) return common::FromGrpcStatus(s);
  return response.session().token();
}

absl::StatusOr<AccountSessions::Registered> AccountSessions::Register(
    const std::string& email, const std::string& guest_token) {
  apb::RegisterRequest request;
  request.set_email(email);
  request.set_password(kPassword);
  request.set_display_name("Test Coder");
  request.set_role(apb::ROLE_CODER);
  request.set_guest_session_token(guest_token);
  request.set_client_address(kMemberAddress);
  apb::RegisterResponse response;
  auto context = common::MakeClientContext(kCallTimeout);
  grpc::Status s = stub_->Register(context.get(), request, &response);
  if (!s.ok()) return common::FromGrpcStatus(s);
  return Registered{response.account().account_id(), response.session().token()};
}

absl::StatusOr<std::string> AccountSessions::Login(const std::string& email) {
  apb::LoginRequest request;
  request.set_email(email);
  request.set_password(kPassword);
  request.set_client_address(kMemberAddress);
  apb::LoginResponse response;
  auto context = common::MakeClientContext(kCallTimeout);
  grpc::Status s = stub_->Login(context.get(), request, &response);
  if (!s.ok()) return common::FromGrpcStatus(s);
  return response.session().token();
}

absl::StatusOr<apb::Account> AccountSessions::SetPlan(const std::string& admin_token,
                                                      const std::string& account_id, apb::Plan plan,
                                                      const std::vector<apb::Role>& roles) {
  apb::SetPlanRequest request;
  request.set_session_token(admin_token);
  request.set_account_id(account_id);
  request.set_plan(plan);
  for (apb::Role role : roles) request.add_roles(role);
  apb::SetPlanResponse response;
  auto context = common::MakeClientContext(kCallTimeout);
  grpc::Status s = operator_stub_->SetPlan(context.get(), request, &response);
  if (!s.ok()) return common::FromGrpcStatus(s);
  return response.account();
}

absl::StatusOr<apb::Quota> AccountSessions::Quota(const std::string& token) {
  apb::GetQuotaRequest request;
  request.set_session_token(token);
  apb::GetQuotaResponse response;
  auto context = common::MakeClientContext(kCallTimeout);
  grpc::Status s = stub_->GetQuota(context.get(), request, &response);
  if (!s.ok()) return common::FromGrpcStatus(s);
  return response.quota();
}

}  // namespace openencoder::test_support
