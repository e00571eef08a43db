// Our engine (oe_search_engine) behind the benchmark's PeerEngine interface:
// the synonym table and procedure terms loaded, Search() with the default
// page of 10 (which leaves ICD-9-CM out, as the service does).
#ifndef OPENENCODER_BENCH_SEARCH_PEERS_OUR_PEER_H_
#define OPENENCODER_BENCH_SEARCH_PEERS_OUR_PEER_H_

#include <memory>
#include <string>
#include <vector>

#include "bench/search_peers/peer_engine.h"
#include "libs/search_engine/procedure_terms.h"
#include "libs/search_engine/search_index.h"
#include "libs/search_engine/synonym_table.h"

namespace openencoder::search::bench {

class OurPeer final : public PeerEngine {
 public:
  OurPeer(SynonymTable synonyms, std::vector<ProcedureTerm> procedures)
      : synonyms_(std::move(synonyms)), procedures_(std::move(procedures)) {}

  std::string Name() const override { return "openencoder"; }
  // Copies the documents into an IndexBuilder (the copy is part of the
  // timed build, as the service also hands documents over one by one).
  absl::Status Build(const std::vector<SearchDocument>& documents) override;
  absl::StatusOr<std::vector<std::string>> Top10(const std::string& query) override;
  std::string Note() const override;

 private:
  SynonymTable synonyms_;
  std::vector<ProcedureTerm> procedures_;
  std::shared_ptr<const SearchIndex> index_;
};

}  // namespace openencoder::search::bench

#endif  // OPENENCODER_BENCH_SEARCH_PEERS_OUR_PEER_H_
