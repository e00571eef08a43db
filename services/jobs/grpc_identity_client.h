// IdentityClient over gRPC: AccountService.ValidateSession with a deadline
// on every call, retried by the channel (the method is idempotent).
#ifndef OPENENCODER_SERVICES_JOBS_GRPC_IDENTITY_CLIENT_H_
#define OPENENCODER_SERVICES_JOBS_GRPC_IDENTITY_CLIENT_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/jobs/identity_client.h"

namespace openencoder::jobs {

class GrpcIdentityClient final : public IdentityClient {
 public:
  // `targets` as common::MakeChannel takes it ("127.0.0.1:50053" or a list).
  explicit GrpcIdentityClient(absl::string_view targets,
                              absl::Duration timeout = absl::Milliseconds(300));

  absl::StatusOr<Caller> Validate(absl::string_view session_token) override;

 private:
  std::unique_ptr<account::v1::AccountService::Stub> stub_;
  absl::Duration timeout_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_GRPC_IDENTITY_CLIENT_H_
