// Every setting of the search service. FromSettings reads each from its flag,
// else its environment variable, else the default (common/settings.h):
//
//   --catalogue_addr    OE_CATALOGUE_ADDR    default 127.0.0.1:50051 (one or more addresses)
//   --synonyms          OE_SYNONYMS          default $OE_SOURCE_DIR/data/search/synonyms.tsv
//   --procedure_terms   OE_PROCEDURE_TERMS   default $OE_SOURCE_DIR/data/search/procedure_terms.tsv
//   --refresh_interval  OE_SEARCH_REFRESH    default 30s: how often to ask the catalogue for a
//                                            new edition
//   --answer_cache_mb   OE_SEARCH_ANSWER_CACHE_MB default 8: MiB of finished Search answers
//                                            kept (answer_cache.h); 0 turns the cache off
// The listen address is the server bootstrap's (OE_SEARCH_LISTEN).
#ifndef OPENENCODER_SERVICES_SEARCH_SEARCH_CONFIG_H_
#define OPENENCODER_SERVICES_SEARCH_SEARCH_CONFIG_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/settings.h"

namespace openencoder::search {

struct SearchConfig {
  std::string catalogue_addr = common::LocalAddress(common::kCataloguePort);
  std::string synonyms_path;
  std::string procedure_terms_path;
  absl::Duration refresh_interval = absl::Seconds(30);
  // About two thousand answers of ten hits, small next to the index.
  size_t answer_cache_bytes = size_t{8} << 20;

  // INVALID_ARGUMENT naming the setting that does not parse.
  static absl::StatusOr<SearchConfig> FromSettings();
};

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_SEARCH_CONFIG_H_
