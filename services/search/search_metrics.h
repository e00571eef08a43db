// The search service's index metrics (query latency by kind is the per-RPC
// histogram grpc_server_handling_seconds{job="search",grpc_method=
// "Search"|"Suggest"|"Lookup"} from common's interceptor):
//
//   oe_search_index_documents             documents in the serving index
//   oe_search_index_fetch_seconds         last refresh: reading the catalogue
//   oe_search_index_build_seconds         last refresh: building the index
//   oe_search_index_refreshes_total{outcome}   ok | failed
//   oe_search_snapshot_age_seconds        since the serving index was swapped in
#ifndef OPENENCODER_SERVICES_SEARCH_SEARCH_METRICS_H_
#define OPENENCODER_SERVICES_SEARCH_SEARCH_METRICS_H_

#include <cstddef>

namespace openencoder::search {

void RecordIndexSwap(size_t documents, double fetch_seconds, double build_seconds);
void RecordIndexRefreshFailed();
// One Search answered from the answer cache (hit) or by the engine (miss).
void RecordAnswerCache(bool hit);

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_SEARCH_METRICS_H_
