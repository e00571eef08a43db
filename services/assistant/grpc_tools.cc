#include "services/assistant/grpc_tools.h"

#include <string>
#include <utility>

#include "services/common/client.h"
#include "services/common/status.h"

namespace openencoder::assistant {
namespace {

// One unary call with a deadline and the request id; the response or the
// callee's status.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Call(
    Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const Request& request, absl::Duration timeout, absl::string_view request_id) {
  std::unique_ptr<grpc::ClientContext> context = common::MakeClientContext(timeout, request_id);
  Response response;
  grpc::Status status = (stub->*method)(context.get(), request, &response);
  if (!status.ok()) return common::FromGrpcStatus(status);
  return response;
}

}  // namespace

namespace cat = catalogue::v1;

GrpcCatalogueTools::GrpcCatalogueTools(std::shared_ptr<grpc::Channel> channel,
                                       absl::Duration timeout)
    : stub_(cat::CatalogueService::NewStub(std::move(channel))), timeout_(timeout) {}

absl::StatusOr<cat::BatchGetCodesResponse> GrpcCatalogueTools::BatchGetCodes(
    const cat::BatchGetCodesRequest& request, absl::string_view request_id) {
  return Call(stub_.get(), &cat::CatalogueService::Stub::BatchGetCodes, request, timeout_,
              request_id);
}
absl::StatusOr<cat::CheckClaimResponse> GrpcCatalogueTools::CheckClaim(
    const cat::CheckClaimRequest& request, absl::string_view request_id) {
  return Call(stub_.get(), &cat::CatalogueService::Stub::CheckClaim, request, timeout_, request_id);
}
absl::StatusOr<cat::GetCrosswalkResponse> GrpcCatalogueTools::GetCrosswalk(
    const cat::GetCrosswalkRequest& request, absl::string_view request_id) {
  return Call(stub_.get(), &cat::CatalogueService::Stub::GetCrosswalk, request, timeout_,
              request_id);
}
absl::StatusOr<cat::GetFeeResponse> GrpcCatalogueTools::GetFee(const cat::GetFeeRequest& request,
                                                               absl::string_view request_id) {
  return Call(stub_.get(), &cat::CatalogueService::Stub::GetFee, request, timeout_, request_id);
}
absl::StatusOr<cat::ListChangesResponse> GrpcCatalogueTools::ListChanges(
    const cat::ListChangesRequest& request, absl::string_view request_id) {
  return Call(stub_.get(), &cat::CatalogueService::Stub::ListChanges, request, timeout_,
              request_id);
}
absl::StatusOr<cat::ListModifiersResponse> GrpcCatalogueTools::ListModifiers(
    const cat::ListModifiersRequest& request, absl::string_view request_id) {
  return Call(stub_.get(), &cat::CatalogueService::Stub::ListModifiers, request, timeout_,
              request_id);
}
absl::StatusOr<cat::GetEditionsResponse> GrpcCatalogueTools::GetEditions(
    absl::string_view request_id) {
  return Call(stub_.get(), &cat::CatalogueService::Stub::GetEditions, cat::GetEditionsRequest(),
              timeout_, request_id);
}

GrpcSearchTools::GrpcSearchTools(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : stub_(search::v1::SearchService::NewStub(std::move(channel))), timeout_(timeout) {}

absl::StatusOr<search::v1::SearchResponse> GrpcSearchTools::Search(
    const search::v1::SearchRequest& request, absl::string_view request_id) {
  return Call(stub_.get(), &search::v1::SearchService::Stub::Search, request, timeout_, request_id);
}

GrpcQuotaTools::GrpcQuotaTools(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : stub_(account::v1::AccountService::NewStub(std::move(channel))), timeout_(timeout) {}

absl::StatusOr<account::v1::ValidateSessionResponse> GrpcQuotaTools::ValidateSession(
    absl::string_view session_token, absl::string_view request_id) {
  account::v1::ValidateSessionRequest request;
  request.set_session_token(std::string(session_token));
  return Call(stub_.get(), &account::v1::AccountService::Stub::ValidateSession, request, timeout_,
              request_id);
}

absl::StatusOr<account::v1::CheckRateResponse> GrpcQuotaTools::CheckRate(
    absl::string_view session_token, absl::string_view feature, absl::string_view request_id,
    absl::string_view scope) {
  account::v1::CheckRateRequest request;
  request.set_session_token(std::string(session_token));
  request.set_feature(std::string(feature));
  request.set_request_id(std::string(request_id));
  request.set_idempotency_scope(std::string(scope));
  return Call(stub_.get(), &account::v1::AccountService::Stub::CheckRate, request, timeout_,
              request_id);
}

absl::StatusOr<account::v1::Quota> GrpcQuotaTools::GetQuota(absl::string_view session_token,
                                                            absl::string_view request_id) {
  account::v1::GetQuotaRequest request;
  request.set_session_token(std::string(session_token));
  absl::StatusOr<account::v1::GetQuotaResponse> r = Call(
      stub_.get(), &account::v1::AccountService::Stub::GetQuota, request, timeout_, request_id);
  if (!r.ok()) return r.status();
  return r->quota();
}

absl::StatusOr<account::v1::Account> GrpcQuotaTools::GetAccount(absl::string_view session_token,
                                                                absl::string_view request_id) {
  account::v1::GetAccountRequest request;
  request.set_session_token(std::string(session_token));
  absl::StatusOr<account::v1::GetAccountResponse> r = Call(
      stub_.get(), &account::v1::AccountService::Stub::GetAccount, request, timeout_, request_id);
  if (!r.ok()) return r.status();
  return r->account();
}

}  // namespace openencoder::assistant
