// The tools the assistant answers with: narrow interfaces over the
// catalogue, search and account services, so that the answer logic can be
// tested with fakes and run against the real services over gRPC
// (grpc_tools.h).
//
// Every method is one internal call. Implementations must bound each call
// with a deadline and carry `request_id` so that the call logs of all
// services tie together. Errors are the callee's status, unchanged
// (NOT_FOUND, INVALID_ARGUMENT, UNAVAILABLE, DEADLINE_EXCEEDED...).
//
// Thread safety: implementations must allow concurrent calls.
#ifndef OPENENCODER_SERVICES_ASSISTANT_TOOLS_H_
#define OPENENCODER_SERVICES_ASSISTANT_TOOLS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "openencoder/account/v1/account_service.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "openencoder/search/v1/search_service.pb.h"

namespace openencoder::assistant {

class CatalogueTools {
 public:
  virtual ~CatalogueTools() = default;
  virtual absl::StatusOr<catalogue::v1::BatchGetCodesResponse> BatchGetCodes(
      const catalogue::v1::BatchGetCodesRequest& request, absl::string_view request_id) = 0;
  virtual absl::StatusOr<catalogue::v1::CheckClaimResponse> CheckClaim(
      const catalogue::v1::CheckClaimRequest& request, absl::string_view request_id) = 0;
  virtual absl::StatusOr<catalogue::v1::GetCrosswalkResponse> GetCrosswalk(
      const catalogue::v1::GetCrosswalkRequest& request, absl::string_view request_id) = 0;
  virtual absl::StatusOr<catalogue::v1::GetFeeResponse> GetFee(
      const catalogue::v1::GetFeeRequest& request, absl::string_view request_id) = 0;
  virtual absl::StatusOr<catalogue::v1::ListChangesResponse> ListChanges(
      const catalogue::v1::ListChangesRequest& request, absl::string_view request_id) = 0;
  virtual absl::StatusOr<catalogue::v1::ListModifiersResponse> ListModifiers(
      const catalogue::v1::ListModifiersRequest& request, absl::string_view request_id) = 0;
  virtual absl::StatusOr<catalogue::v1::GetEditionsResponse> GetEditions(
      absl::string_view request_id) = 0;
};

class SearchTools {
 public:
  virtual ~SearchTools() = default;
  virtual absl::StatusOr<search::v1::SearchResponse> Search(
      const search::v1::SearchRequest& request, absl::string_view request_id) = 0;
};

class QuotaTools {
 public:
  virtual ~QuotaTools() = default;
  // UNAUTHENTICATED for an unknown, expired or revoked session.
  virtual absl::StatusOr<account::v1::ValidateSessionResponse> ValidateSession(
      absl::string_view session_token, absl::string_view request_id) = 0;
  // "Not allowed" is a normal answer (allowed == false, retry_after set).
  // `request_id` counts once only within the session and `scope` (what it
  // was sent for: the conversation and the question).
  virtual absl::StatusOr<account::v1::CheckRateResponse> CheckRate(absl::string_view session_token,
                                                                   absl::string_view feature,
                                                                   absl::string_view request_id,
                                                                   absl::string_view scope) = 0;
  // The session's plan and monthly code-page views (read only: consumes
  // nothing). UNAUTHENTICATED for an unknown session.
  virtual absl::StatusOr<account::v1::Quota> GetQuota(absl::string_view session_token,
                                                      absl::string_view request_id) = 0;
  // The session's account (address, whether it is verified). UNAUTHENTICATED
  // for an unknown session or a guest's. Only CaseConsultant's web questions
  // need it, so tools written for the chat alone need not implement it.
  virtual absl::StatusOr<account::v1::Account> GetAccount(absl::string_view session_token,
                                                          absl::string_view request_id) {
    (void)session_token;
    (void)request_id;
    return absl::UnimplementedError("GetAccount is not available here");
  }
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_TOOLS_H_
