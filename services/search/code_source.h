// Where the search index's documents come from: the catalogue's
// StreamCodes in production. An interface so the refresher can be pointed
// at another catalogue (an edition switch) and tested.
#ifndef OPENENCODER_SERVICES_SEARCH_CODE_SOURCE_H_
#define OPENENCODER_SERVICES_SEARCH_CODE_SOURCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/search_engine/search_types.h"

namespace openencoder::search {

struct CodeSnapshot {
  std::string snapshot_id;
  std::vector<SearchDocument> documents;
};

class CodeSource {
 public:
  virtual ~CodeSource() = default;
  // The id of the catalogue snapshot being served now (cheap).
  // UNAVAILABLE / DEADLINE_EXCEEDED when the catalogue cannot be reached.
  virtual absl::StatusOr<std::string> CurrentSnapshotId() = 0;
  // Every code of the current snapshot (expensive).
  virtual absl::StatusOr<CodeSnapshot> FetchAll() = 0;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_CODE_SOURCE_H_
