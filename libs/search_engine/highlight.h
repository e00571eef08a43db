// Marks the words of a title that a query matched.
//
// Pure functions; thread-safe.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_

#include <bitset>
#include <string>
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
  bool empty_ = true;
  // First bytes a matching token can start with: an exact word's, a
  // prefix's, a stem's (the stemmer keeps the first letter). Most title and
  // Index words start otherwise and skip the hash lookup.
  std::bitset<256> first_;
  absl::flat_hash_set<absl::string_view> exact_;  // texts and known stem forms
  std::vector<absl::string_view> prefixes_;
  std::vector<const HighlightWord*> stemmed_;  // stem forms not known
};

// Byte spans of the words of `title` that equal, start with (for prefix
// words) or share the stem of a query word. Sorted, non-overlapping.
// With `stem_words_known`, `title` must be a title of that index.
std::vector<Span> HighlightSpans(absl::string_view title, const HighlightMatcher& matcher);
std::vector<Span> HighlightSpans(absl::string_view title, const std::vector<HighlightWord>& words);

// How many words of `text` HighlightSpans would mark, without the spans.
size_t CountHighlighted(absl::string_view text, const HighlightMatcher& matcher);

// `title` HTML-escaped with every span wrapped in <mark></mark>.
// Example: ("Type 2 diabetes", {{7, 15}}) -> "Type 2 <mark>diabetes</mark>".
std::string MarkSnippet(absl::string_view title, const std::vector<Span>& spans);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_
