// The one interface the peer benchmark drives: build from documents, answer
// a query with the codes of the top 10 hits. Implemented for our engine,
// SQLite FTS5 and Xapian, so one loop measures all three alike.
#ifndef OPENENCODER_BENCH_SEARCH_PEERS_PEER_ENGINE_H_
#define OPENENCODER_BENCH_SEARCH_PEERS_PEER_ENGINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/search_engine/search_types.h"

namespace openencoder::search::bench {

class PeerEngine {
 public:
  virtual ~PeerEngine() = default;
  virtual std::string Name() const = 0;
  // Indexes `documents` (not kept). Called once.
  virtual absl::Status Build(const std::vector<SearchDocument>& documents) = 0;
  // Codes of the best 10 hits, best first; empty on no match. Errors are
  // not expected for the query set and end the run.
  virtual absl::StatusOr<std::vector<std::string>> Top10(const std::string& query) = 0;
  // A note for the report (configuration, on-disk size...).
  virtual std::string Note() const { return ""; }
};

// Query handling shared by the two peers so that they see the same words.
// Lower-case ASCII letter/digit runs of `query`.
std::vector<std::string> PeerWords(absl::string_view query);
// The canonical (lower case, no dot) code when the whole query is one
// code-like chunk (letters, digits, dots; a digit; 3+ letters/digits),
// the same rule our engine applies.
std::optional<std::string> PeerCode(absl::string_view query);

}  // namespace openencoder::search::bench

#endif  // OPENENCODER_BENCH_SEARCH_PEERS_PEER_ENGINE_H_
