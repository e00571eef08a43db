// Marks the words of a title that a query matched.
//
// Pure functions; thread-safe.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_

#include <string>
#include <vector>

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

// Byte spans of the words of `title` that equal, start with (for prefix
// words) or share the stem of a query word. Sorted, non-overlapping.
// With `stem_words_known`, `title` must be a title of that index.
std::vector<Span> HighlightSpans(absl::string_view title, const std::vector<HighlightWord>& words);

// `title` HTML-escaped with every span wrapped in <mark></mark>.
// Example: ("Type 2 diabetes", {{7, 15}}) -> "Type 2 <mark>diabetes</mark>".
std::string MarkSnippet(absl::string_view title, const std::vector<Span>& spans);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_HIGHLIGHT_H_
