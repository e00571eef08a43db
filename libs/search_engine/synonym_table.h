// Abbreviations and lay phrases mapped to the words the code sets use
// ("heart attack" -> "myocardial infarction"), loaded from
// data/search/synonyms.tsv.
//
// File format: UTF-8 text, one entry a line, `term<TAB>exp1|exp2|...`.
// The first line may be the header `term<TAB>expansions`; blank lines and
// lines starting with '#' are ignored. Terms and expansions may have several
// words; they are folded like query text, so case does not matter. A term
// listed twice gets the union of its expansions.
//
// Immutable after construction; thread-safe for concurrent readers.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_SYNONYM_TABLE_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_SYNONYM_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::search {

class SynonymTable {
 public:
  struct Entry {
    std::vector<std::string> words;                    // The term, folded and tokenized.
    std::vector<std::vector<std::string>> expansions;  // Folded, tokenized.
    std::string term;                                  // As folded text, for explanations.
    std::vector<std::string> expansion_texts;          // Aligned with `expansions`.
    size_t id = 0;  // Position in the table, 0..size()-1: a key for data kept per entry.
  };

  // A term found in a word sequence: words [begin, end) are `entry->words`.
  struct PhraseMatch {
    size_t begin = 0;
    size_t end = 0;
    const Entry* entry = nullptr;  // Owned by the table.
  };

  SynonymTable() = default;

  // Parses the file format above. InvalidArgumentError names the line of a
  // line without a tab, or with an empty term or no expansion.
  static absl::StatusOr<SynonymTable> Parse(absl::string_view content);
  // Reads and parses a file; NotFoundError when it cannot be opened.
  static absl::StatusOr<SynonymTable> LoadFile(const std::string& path);

  // Finds terms in `words` (folded), left to right, longest term first at
  // each position; matches do not overlap.
  std::vector<PhraseMatch> FindPhrases(const std::vector<std::string>& words) const;

  // True when `word` begins some term (as a whole word).
  bool StartsTerm(absl::string_view word) const { return by_first_word_.contains(word); }

  size_t size() const { return entries_.size(); }
  // The entry with `id` (< size()).
  const Entry& entry(size_t id) const { return entries_[id]; }

 private:
  std::vector<Entry> entries_;
  // First word -> indexes into entries_, longest term first.
  absl::flat_hash_map<std::string, std::vector<size_t>> by_first_word_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_SYNONYM_TABLE_H_
