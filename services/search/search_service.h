// gRPC adapter of Case2Code: translates SearchService requests into engine
// queries on the current index and the answers back. No search logic here.
#ifndef OPENENCODER_SERVICES_SEARCH_SEARCH_SERVICE_H_
#define OPENENCODER_SERVICES_SEARCH_SEARCH_SERVICE_H_

#include <functional>
#include <string>

#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/search/engine/index_holder.h"

namespace openencoder::search {

class SearchServiceImpl final : public openencoder::search::v1::SearchService::CallbackService {
 public:
  // `holder` must outlive the service; `snapshot_id` reports the snapshot of
  // the index being served (for responses).
  SearchServiceImpl(const IndexHolder* holder, std::function<std::string()> snapshot_id);

  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const v1::SearchRequest* request,
                                   v1::SearchResponse* response) override;
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context,
                                    const v1::SuggestRequest* request,
                                    v1::SuggestResponse* response) override;
  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* context,
                                   const v1::LookupRequest* request,
                                   v1::LookupResponse* response) override;

 private:
  const IndexHolder* holder_;
  std::function<std::string()> snapshot_id_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_SEARCH_SERVICE_H_
