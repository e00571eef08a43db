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
#include "services/common/unary_handler.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

class CatalogueServiceImpl final : public pb::CatalogueService::CallbackService {
 public:
  // Both must outlive the service (and the server it is registered with).
  CatalogueServiceImpl(const SnapshotHolder* snapshots, QuotaClient* quota);

  OE_UNARY_METHOD(pb, GetCodePage);
  OE_UNARY_METHOD(pb, BatchGetCodes);
  OE_UNARY_METHOD(pb, Browse);
  OE_UNARY_METHOD(pb, ListModifiers);
  OE_UNARY_METHOD(pb, GetCrosswalk);
  OE_UNARY_METHOD(pb, GetFee);
  OE_UNARY_METHOD(pb, ListChanges);
  OE_UNARY_METHOD(pb, CheckClaim);
  grpc::ServerWriteReactor<pb::StreamCodesResponse>* StreamCodes(
      grpc::CallbackServerContext* context, const pb::StreamCodesRequest* request) override;
  OE_UNARY_METHOD(pb, GetEditions);

 private:
  const SnapshotHolder* snapshots_;
  CodePageService pages_;
  ArenaMessageAllocator<pb::GetCodePageRequest, pb::GetCodePageResponse> page_messages_;
};

// Codes per StreamCodes message.
inline constexpr int kStreamBatchSize = 1000;

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
