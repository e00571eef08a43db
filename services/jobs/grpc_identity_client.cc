#include "services/jobs/grpc_identity_client.h"

#include "services/common/client.h"
#include "services/common/status.h"

namespace openencoder::jobs {

namespace av1 = ::openencoder::account::v1;

GrpcIdentityClient::GrpcIdentityClient(absl::string_view targets, absl::Duration timeout)
    : timeout_(timeout) {
  common::ChannelOptions options;
  options.idempotent_methods = {"openencoder.account.v1.AccountService/ValidateSession"};
  options.server_identity = "account";
  stub_ = av1::AccountService::NewStub(common::MakeChannel(targets, options));
}

absl::StatusOr<Caller> GrpcIdentityClient::Validate(absl::string_view session_token) {
  if (session_token.empty()) return absl::UnauthenticatedError("a session is required");
  av1::ValidateSessionRequest request;
  request.set_session_token(std::string(session_token));
  av1::ValidateSessionResponse response;
  auto context = common::MakeClientContext(timeout_);
  grpc::Status status = stub_->ValidateSession(context.get(), request, &response);
  if (!status.ok()) {
    absl::Status mapped = common::FromGrpcStatus(status);
    if (absl::IsUnauthenticated(mapped)) return mapped;
    // Whatever went wrong over there, to our caller it is "try again later";
    // never a silent grant or a misleading PERMISSION_DENIED.
    return absl::UnavailableError("the account service is unavailable");
  }
  if (response.guest() || response.account_id().empty()) {
    return absl::UnauthenticatedError("sign in to use the job board");
  }
  Caller caller;
  caller.account_id = response.account_id();
  for (int role : response.roles()) {
    switch (role) {
      case av1::ROLE_CODER:
        caller.roles.insert(Role::kCoder);
        break;
      case av1::ROLE_EMPLOYER:
        caller.roles.insert(Role::kEmployer);
        break;
      case av1::ROLE_ADMIN:
        caller.roles.insert(Role::kAdmin);
        break;
      default:
        break;  // roles the job board does not use
    }
  }
  return caller;
}

}  // namespace openencoder::jobs
