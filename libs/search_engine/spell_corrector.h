// Corrects a misspelled word against a fixed vocabulary (the index's own
// words) by Damerau-Levenshtein (optimal string alignment) distance, using
// a SymSpell-style index of deletions: two words within distance d share a
// string obtained by deleting at most d characters from each, so a lookup
// generates the query's deletions and verifies only the words they hit.
//
// Immutable after construction; thread-safe for concurrent readers.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_SPELL_CORRECTOR_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_SPELL_CORRECTOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace openencoder::search {

class SpellCorrector {
 public:
  struct Word {
    std::string text;        // Folded, ASCII.
    uint32_t frequency = 0;  // Higher wins among equally close words.
  };

  SpellCorrector() = default;
  // Words shorter than kMinWordLength or containing digits are not used.
  explicit SpellCorrector(std::vector<Word> vocabulary);

  // The closest vocabulary word within MaxDistance(word.size()), the most
  // frequent among equally close ones; nullopt when there is none or when
  // `word` itself is in the vocabulary.
  std::optional<std::string> Correct(absl::string_view word) const;

  // 1 edit for words of up to 4 characters, 2 beyond: short words have too
  // many neighbours for 2 edits to mean anything.
  static int MaxDistance(size_t length) { return length <= 4 ? 1 : 2; }

  static constexpr size_t kMinWordLength = 3;

  // Optimal string alignment distance, exposed for tests.
  static int Distance(absl::string_view a, absl::string_view b);

 private:
  std::vector<Word> words_;
  // (hash of a deletion, index into words_), sorted by hash. A hash
  // collision only adds a candidate that verification rejects.
  std::vector<std::pair<uint32_t, uint32_t>> deletes_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_SPELL_CORRECTOR_H_
