// CodeSource over the catalogue's gRPC API: GetEditions for the snapshot id,
// StreamCodes for the documents.
#ifndef OPENENCODER_SERVICES_SEARCH_GRPC_CODE_SOURCE_H_
#define OPENENCODER_SERVICES_SEARCH_GRPC_CODE_SOURCE_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/time/time.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/search/code_source.h"

namespace openencoder::search {

// Converts one catalogue code into a search document. A code without an
// official title (CPT without a licensed file) is indexed by our own
// plain-language words, so it can still be found.
SearchDocument ToSearchDocument(const openencoder::catalogue::v1::CodeSummary& code);

class GrpcCodeSource : public CodeSource {
 public:
  // `stream_timeout` bounds a whole StreamCodes; GetEditions gets 2 s.
  GrpcCodeSource(std::shared_ptr<grpc::Channel> channel, absl::Duration stream_timeout);

  absl::StatusOr<std::string> CurrentSnapshotId() override;
  absl::StatusOr<CodeSnapshot> FetchAll() override;

 private:
  std::unique_ptr<openencoder::catalogue::v1::CatalogueService::Stub> stub_;
  absl::Duration stream_timeout_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_GRPC_CODE_SOURCE_H_
