// Marks the words of a title that a query matched.
//
// Pure functions; thread-safe.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "libs/search_engine/search_types.h"

namespace openencoder::search {

// A query word as the highlighter sees it.
struct HighlightWord {
  std::string text;  // Folded.
  std::string stem;  // Stem(text); unused when `stem_words_known`.
  bool prefix = true;
  // Set when the titles come from an index: every indexed word with
  // `stem` (its stem class, possibly empty). A title word of that index is
  // a dictionary word, so it has the stem exactly when it is one of these,
  // and no title word is run through the stemmer.
  bool stem_words_known = false;
  std::vector<absl::string_view> stem_words;
};

// The query words prepared for many titles: a search highlights ten titles
// and up to a dozen index entries per hit with the same words, and a word's
// stem class can hold dozens of forms. One hash lookup per title word
// replaces a scan of every form of every query word.
class HighlightMatcher {
 public:
  // Keeps views into `words`, which must outlive the matcher.
  explicit HighlightMatcher(const std::vector<HighlightWord>& words);

  // Whether `token` (folded) is highlighted: it equals or (for prefix
  // words) starts with a query word, or shares its stem.
  bool Matches(absl::string_view token) const;

  // The first bytes a matching token can start with (for ForEachToken).
  const std::bitset<256>& first_bytes() const { return first_; }

 private:
  // First bytes a matching token can start with: an exact word's, a
  // prefix's, a stem's (the stemmer keeps the first letter). Most title and
  // Index words start otherwise and skip the hash lookup. Every word sets
  // at least one, so with no words none is set and nothing matches.
  std::bitset<256> first_;
  absl::flat_hash_set<absl::string_view> exact_;  // texts and known stem forms
  std::vector<absl::string_view> prefixes_;
  std::vector<const HighlightWord*> stemmed_;  // stem forms not known
};

// The same matching for words tokenised when the index was built (the
// Alphabetic Index entries a match reason weighs): the dictionary term ids
// a query's words highlight, as sorted, disjoint id intervals. A prefix
// word highlights a contiguous range of the sorted dictionary (the terms
// starting with it), a whole word its own id, and either its stem class,
// so a token is tested by a binary search over a few dozen intervals
// instead of being folded and hashed again per hit.
class TermIdMatcher {
 public:
  // Ids [first, last). Empty ranges are ignored.
  void AddRange(uint32_t first, uint32_t last);
  void AddIds(const std::vector<uint32_t>& ids);
  // Sorts and merges what was added; call once before Contains.
  void Finish();
  bool Contains(uint32_t id) const {
    // Most words of an entry are outside every interval; the filter and
    // the bounds reject most without the search.
    if (filtered_ && !((filter_[(id % kFilterBits) / 64] >> (id % 64)) & 1)) return false;
    if (intervals_.empty() || id < intervals_.front().first || id >= intervals_.back().second) {
      return false;
    }
    // The last interval starting at or before `id`.
    const auto after = std::upper_bound(
        intervals_.begin(), intervals_.end(), id,
        [](uint32_t v, const std::pair<uint32_t, uint32_t>& r) { return v < r.first; });
    return id < std::prev(after)->second;
  }
  size_t intervals() const { return intervals_.size(); }

 private:
  // A bit per id modulo kFilterBits, set for every id of the intervals
  // when they hold at most kMaxFilteredIds ids (a query's words and stem
  // classes usually hold a few dozen): a test of one bit rejects most
  // Index entry words, which the Index reason weighs by the hundred per
  // page. Off for broad prefixes ("a" starts thousands of terms).
  static constexpr uint32_t kFilterBits = 1024;
  static constexpr uint32_t kMaxFilteredIds = 256;
  bool filtered_ = false;
  std::array<uint64_t, kFilterBits / 64> filter_{};
  std::vector<std::pair<uint32_t, uint32_t>> intervals_;  // [first, last)
};

// Byte spans of the words of `title` that equal, start with (for prefix
// words) or share the stem of a query word. Sorted, non-overlapping.
// With `stem_words_known`, `title` must be a title of that index.
std::vector<Span> HighlightSpans(absl::string_view title, const HighlightMatcher& matcher);
std::vector<Span> HighlightSpans(absl::string_view title, const std::vector<HighlightWord>& words);

// `title` HTML-escaped with every span wrapped in <mark></mark>.
// Example: ("Type 2 diabetes", {{7, 15}}) -> "Type 2 <mark>diabetes</mark>".
std::string MarkSnippet(absl::string_view title, const std::vector<Span>& spans);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_
