// The gRPC face of the catalogue: a CallbackService adapter that pins the
// current snapshot for each call, runs the plain logic (code_page_service,
// claim_checker, browse, reference_queries) and maps absl::Status to
// grpc::Status at the edge. Holds no state of its own besides pointers.
//
// Every RPC answers UNAVAILABLE while no snapshot is loaded. GetCodePage's
// request and response live on a per-call protobuf arena (the page has
// dozens of strings and sub-messages; see arena_message_allocator.h).
#ifndef OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
#define OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_

#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/arena_message_allocator.h"
#include "services/catalogue/code_page_service.h"
#include "services/catalogue/quota_client.h"
#include "services/catalogue/store/snapshot_holder.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

class CatalogueServiceImpl final : public pb::CatalogueService::CallbackService {
 public:
  // Both must outlive the service (and the server it is registered with).
  CatalogueServiceImpl(const SnapshotHolder* snapshots, QuotaClient* quota);

  grpc::ServerUnaryReactor* GetCodePage(grpc::CallbackServerContext* context,
                                        const pb::GetCodePageRequest* request,
                                        pb::GetCodePageResponse* response) override;
  grpc::ServerUnaryReactor* BatchGetCodes(grpc::CallbackServerContext* context,
                                          const pb::BatchGetCodesRequest* request,
                                          pb::BatchGetCodesResponse* response) override;
  grpc::ServerUnaryReactor* Browse(grpc::CallbackServerContext* context,
                                   const pb::BrowseRequest* request,
                                   pb::BrowseResponse* response) override;
  grpc::ServerUnaryReactor* ListModifiers(grpc::CallbackServerContext* context,
                                          const pb::ListModifiersRequest* request,
                                          pb::ListModifiersResponse* response) override;
  grpc::ServerUnaryReactor* GetCrosswalk(grpc::CallbackServerContext* context,
                                         const pb::GetCrosswalkRequest* request,
                                         pb::GetCrosswalkResponse* response) override;
  grpc::ServerUnaryReactor* GetFee(grpc::CallbackServerContext* context,
                                   const pb::GetFeeRequest* request,
                                   pb::GetFeeResponse* response) override;
  grpc::ServerUnaryReactor* ListChanges(grpc::CallbackServerContext* context,
                                        const pb::ListChangesRequest* request,
                                        pb::ListChangesResponse* response) override;
  grpc::ServerUnaryReactor* CheckClaim(grpc::CallbackServerContext* context,
                                       const pb::CheckClaimRequest* request,
                                       pb::CheckClaimResponse* response) override;
  grpc::ServerWriteReactor<pb::StreamCodesResponse>* StreamCodes(
      grpc::CallbackServerContext* context, const pb::StreamCodesRequest* request) override;
  grpc::ServerUnaryReactor* GetEditions(grpc::CallbackServerContext* context,
                                        const pb::GetEditionsRequest* request,
                                        pb::GetEditionsResponse* response) override;

 private:
  const SnapshotHolder* snapshots_;
  CodePageService pages_;
  ArenaMessageAllocator<pb::GetCodePageRequest, pb::GetCodePageResponse> page_messages_;
};

// Codes per StreamCodes message.
inline constexpr int kStreamBatchSize = 1000;

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
