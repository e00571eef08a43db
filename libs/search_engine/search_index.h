// An immutable in-memory index of medical codes (and later knowledge-base
// articles) answering the Case2Code search box.
//
// Thread safety: a SearchIndex never changes after IndexBuilder::Build(),
// so any number of threads may call its const methods concurrently. Hold
// it by std::shared_ptr<const SearchIndex>; see IndexHolder for swapping
// in a new edition.
//
// Example:
//   IndexBuilder builder;
//   builder.SetSynonyms(*SynonymTable::LoadFile("data/search/synonyms.tsv"));
//   for (SearchDocument& d : documents) RETURN_IF_ERROR(builder.Add(d));
//   ASSIGN_OR_RETURN(auto index, std::move(builder).Build());
//   SearchRequest request;
//   request.query = "diab mell typ 2";
//   ASSIGN_OR_RETURN(SearchResponse response, index->Search(request));
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_SEARCH_INDEX_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_SEARCH_INDEX_H_

#include <cstddef>
#include <optional>
#include <roaring/roaring.hh>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/search_engine/index_data.h"
#include "libs/search_engine/search_types.h"

namespace openencoder::search {

class IndexBuilder;

class SearchIndex {
 public:
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Runs a query.
  //
  // Codes: a query word with a digit and 3+ letters/digits ("E11",
  // "e11.9", "0371", "T814XXA") also matches codes starting with it; an
  // exact code ranks above code prefixes, which rank above word matches.
  // Words: every word is a prefix of an indexed word or shares its stem;
  // all words must match. Function words ("of", "with") are optional. When
  // no document matches every word, the documents matching the most words
  // are returned and `partial_match` is set. A word matching nothing is
  // replaced by the closest indexed word (`corrected_query`). Synonym
  // table terms also match their expansions.
  // Ties: billable first, then shorter code, then code order.
  //
  // Errors (checked before any work): InvalidArgumentError when the query
  // is empty, over kMaxQueryBytes, not valid UTF-8, or has no letter or
  // digit; when limit is 0 or over kMaxLimit; when offset is over
  // kMaxOffset.
  absl::StatusOr<SearchResponse> Search(const SearchRequest& request) const;

  // Up to kMaxSuggestions completions of what is being typed: codes
  // starting with a code-like query (in code order), then the most
  // frequent indexed words completing the last word.
  // Errors: as Search() for the text.
  absl::StatusOr<std::vector<Suggestion>> Suggest(absl::string_view prefix) const;

  // The documents (one per code system having it) whose code equals
  // `code`, dots and case ignored. NotFoundError when there is none;
  // InvalidArgumentError for input Search() would reject.
  absl::StatusOr<std::vector<SearchDocument>> Lookup(absl::string_view code) const;

  size_t size() const { return data_.store.size(); }

 private:
  friend class IndexBuilder;
  explicit SearchIndex(internal::IndexData data) : data_(std::move(data)) {}

  // Documents passing `filters` other than `systems` (Search reads each
  // match's system from IndexData::doc_system), nullopt when nothing is
  // filtered.
  std::optional<Roaring> Filter(const SearchFilters& filters) const;

  const internal::IndexData data_;
};

// Validation shared by Search, Suggest and Lookup.
absl::Status ValidateQueryText(absl::string_view text);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_SEARCH_INDEX_H_
