#include "bench/search_peers/our_peer.h"

#include "libs/search_engine/index_builder.h"

namespace openencoder::search::bench {

absl::Status OurPeer::Build(const std::vector<SearchDocument>& documents) {
  IndexBuilder builder;
  builder.SetSynonyms(std::move(synonyms_));
  builder.SetProcedureTerms(std::move(procedures_));
  for (const SearchDocument& d : documents) {
    if (absl::Status s = builder.Add(d); !s.ok()) return s;
  }
  absl::StatusOr<std::shared_ptr<const SearchIndex>> index = std::move(builder).Build();
  if (!index.ok()) return index.status();
  index_ = *std::move(index);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> OurPeer::Top10(const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.limit = 10;
  absl::StatusOr<SearchResponse> response = index_->Search(request);
  if (!response.ok()) return response.status();
  std::vector<std::string> codes;
  codes.reserve(response->hits.size());
  for (Hit& hit : response->hits) codes.push_back(std::move(hit.code));
  return codes;
}

std::string OurPeer::Note() const {
  return "in-memory Roaring/BM25F index, Alphabetic Index entries weighted as entry points, "
         "data/search/synonyms.tsv and procedure_terms.tsv, spelling, ICD-9-CM only on request";
}

}  // namespace openencoder::search::bench
