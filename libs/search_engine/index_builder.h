// Builds an immutable SearchIndex from documents.
//
// Not thread-safe: one thread adds documents and builds. The index it
// builds is safe for concurrent readers.
//
// Example:
//   IndexBuilder builder;
//   builder.SetSynonyms(std::move(table));
//   absl::Status s = builder.Add(std::move(document));  // per document
//   absl::StatusOr<std::shared_ptr<const SearchIndex>> index =
//       std::move(builder).Build();
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_BUILDER_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_BUILDER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/search_engine/procedure_terms.h"
#include "libs/search_engine/search_index.h"
#include "libs/search_engine/search_types.h"
#include "libs/search_engine/synonym_table.h"

namespace openencoder::search {

class IndexBuilder {
 public:
  IndexBuilder() = default;

  // Synonyms travel with the index, so a new edition can change them.
  void SetSynonyms(SynonymTable synonyms) { synonyms_ = std::move(synonyms); }
  // Procedure words added to the documents whose titles they describe
  // (procedure_terms.h).
  void SetProcedureTerms(std::vector<ProcedureTerm> terms) { procedure_terms_ = std::move(terms); }

  // Queues a document. InvalidArgumentError when system, code (letters or
  // digits) or title is missing, or effective_from > effective_to;
  // AlreadyExistsError when the same system already has the code.
  // `display_code` defaults to `code`.
  absl::Status Add(SearchDocument document);

  size_t size() const { return documents_.size(); }

  // Builds the index and leaves the builder empty. An empty index is valid
  // (every search returns nothing).
  absl::StatusOr<std::shared_ptr<const SearchIndex>> Build() &&;

 private:
  std::vector<SearchDocument> documents_;
  absl::flat_hash_set<std::pair<std::string, std::string>> keys_;
  SynonymTable synonyms_;
  std::vector<ProcedureTerm> procedure_terms_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_BUILDER_H_
