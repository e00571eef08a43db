// gRPC adapter of Case2Code: translates SearchService requests into engine
// queries on the current index and the answers back. No search logic here.
#ifndef OPENENCODER_SERVICES_SEARCH_SEARCH_SERVICE_H_
#define OPENENCODER_SERVICES_SEARCH_SEARCH_SERVICE_H_

#include <grpcpp/support/byte_buffer.h>

#include <functional>
#include <string>

#include "libs/search_engine/index_holder.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/unary_handler.h"
#include "services/search/answer_cache.h"

namespace openencoder::search {

// Search is registered as a raw method: it parses the SearchRequest itself
// and answers with bytes written straight from the engine's result
// (SerializeSearchResponse), the wire format of SearchResponse, so clients
// see the same API. Suggest and Lookup use the generated message methods.
using SearchServiceBase =
    v1::SearchService::WithRawCallbackMethod_Search<v1::SearchService::WithCallbackMethod_Suggest<
        v1::SearchService::WithCallbackMethod_Lookup<v1::SearchService::Service>>>;

class SearchServiceImpl final : public SearchServiceBase {
 public:
  // `holder` must outlive the service; `snapshot_id` reports the snapshot of
  // the index being served (for responses). `answer_cache_bytes` bounds the
  // cache of finished Search answers (0: every call runs the engine).
  SearchServiceImpl(const IndexHolder* holder, std::function<std::string()> snapshot_id,
                    size_t answer_cache_bytes);

  // `request` is a serialised v1::SearchRequest; `response` gets a
  // serialised v1::SearchResponse. The statuses of SearchService.Search;
  // a request that does not parse gets UNIMPLEMENTED with no message, as
  // from gRPC's generated handler.
  OE_UNARY_HANDLER(Search, grpc::ByteBuffer, grpc::ByteBuffer);
  OE_UNARY_METHOD(v1, Suggest);
  OE_UNARY_METHOD(v1, Lookup);

 private:
  const IndexHolder* holder_;
  std::function<std::string()> snapshot_id_;
  AnswerCache answers_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_SEARCH_SERVICE_H_
