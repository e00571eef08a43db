// Pure translation between the SearchService protos and the engine's value
// types, with the request validation that belongs to the API (page sizes,
// page tokens, filter values). Unit-testable without a server.
#ifndef OPENENCODER_SERVICES_SEARCH_REQUEST_MAPPING_H_
#define OPENENCODER_SERVICES_SEARCH_REQUEST_MAPPING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/search_engine/search_types.h"
#include "openencoder/search/v1/search_service.pb.h"

namespace openencoder::search {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
inline constexpr int kMaxLookupBytes = 64;

// INVALID_ARGUMENT for a page size outside 0..100 (0 means the default), a
// page token this service did not issue, an unspecified system in the
// system filter, an impossible active_on date, or a range whose last code
// sorts before its first. Query text is validated by the engine.
absl::StatusOr<SearchRequest> ToEngineRequest(const v1::SearchRequest& request);

// Fills `out` with the page; next_page_token is set when more hits follow.
void ToProtoResponse(const SearchResponse& response, const SearchRequest& request,
                     const std::string& snapshot_id, v1::SearchResponse* out);

// The wire bytes of the v1::SearchResponse ToProtoResponse() would fill,
// byte for byte what its SerializeAsString() gives, written straight from
// the engine's answer into `out` (cleared first; its capacity is reused).
// The Search RPC sends these: building, serialising and destroying the
// message was a fifth of the server's time per word query.
void SerializeSearchResponse(const SearchResponse& response, const SearchRequest& request,
                             absl::string_view snapshot_id, std::string* out);

// Code suggestions outside `systems` are dropped (term suggestions have no
// system and stay); at most `limit` (1..10, 0 means 10) are kept.
absl::Status ToProtoSuggestions(const std::vector<Suggestion>& suggestions,
                                const v1::SuggestRequest& request, v1::SuggestResponse* out);

// Page tokens are opaque to clients; internally "o<offset>".
std::string PageToken(size_t offset);
absl::StatusOr<size_t> OffsetFromPageToken(const std::string& token);

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_REQUEST_MAPPING_H_
