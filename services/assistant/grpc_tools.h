// gRPC implementations of the assistant's tools (tools.h). Each call gets a
// context from common::MakeClientContext with the configured timeout and
// the caller's request id; statuses are mapped with common::FromGrpcStatus.
//
// Thread safety: safe for concurrent use (gRPC stubs are).
#ifndef OPENENCODER_SERVICES_ASSISTANT_GRPC_TOOLS_H_
#define OPENENCODER_SERVICES_ASSISTANT_GRPC_TOOLS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/time/time.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/assistant/tools.h"

namespace openencoder::assistant {

class GrpcCatalogueTools final : public CatalogueTools {
 public:
  GrpcCatalogueTools(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  absl::StatusOr<catalogue::v1::BatchGetCodesResponse> BatchGetCodes(
      const catalogue::v1::BatchGetCodesRequest& request, absl::string_view request_id) override;
  absl::StatusOr<catalogue::v1::CheckClaimResponse> CheckClaim(
      const catalogue::v1::CheckClaimRequest& request, absl::string_view request_id) override;
  absl::StatusOr<catalogue::v1::GetCrosswalkResponse> GetCrosswalk(
      const catalogue::v1::GetCrosswalkRequest& request, absl::string_view request_id) override;
  absl::StatusOr<catalogue::v1::GetFeeResponse> GetFee(const catalogue::v1::GetFeeRequest& request,
                                                       absl::string_view request_id) override;
  absl::StatusOr<catalogue::v1::ListChangesResponse> ListChanges(
      const catalogue::v1::ListChangesRequest& request, absl::string_view request_id) override;
  absl::StatusOr<catalogue::v1::ListModifiersResponse> ListModifiers(
      const catalogue::v1::ListModifiersRequest& request, absl::string_view request_id) override;
  absl::StatusOr<catalogue::v1::GetEditionsResponse> GetEditions(
      absl::string_view request_id) override;

 private:
  std::unique_ptr<catalogue::v1::CatalogueService::Stub> stub_;
  const absl::Duration timeout_;
};

class GrpcSearchTools final : public SearchTools {
 public:
  GrpcSearchTools(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  absl::StatusOr<search::v1::SearchResponse> Search(const search::v1::SearchRequest& request,
                                                    absl::string_view request_id) override;

 private:
  std::unique_ptr<search::v1::SearchService::Stub> stub_;
  const absl::Duration timeout_;
};

class GrpcQuotaTools final : public QuotaTools {
 public:
  GrpcQuotaTools(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  absl::StatusOr<account::v1::ValidateSessionResponse> ValidateSession(
      absl::string_view session_token, absl::string_view request_id) override;
  absl::StatusOr<account::v1::CheckRateResponse> CheckRate(absl::string_view session_token,
                                                           absl::string_view feature,
                                                           absl::string_view request_id,
                                                           absl::string_view scope) override;
  absl::StatusOr<account::v1::Quota> GetQuota(absl::string_view session_token,
                                              absl::string_view request_id) override;
  absl::StatusOr<account::v1::Account> GetAccount(absl::string_view session_token,
                                                  absl::string_view request_id) override;

 private:
  std::unique_ptr<account::v1::AccountService::Stub> stub_;
  const absl::Duration timeout_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_GRPC_TOOLS_H_
