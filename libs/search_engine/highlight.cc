#include "libs/search_engine/highlight.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "libs/search_engine/stemmer.h"
#include "libs/search_engine/text.h"

namespace openencoder::search {
namespace {

// Snowball's English stemmer never changes a word's first letter (even its
// irregular forms: "skies" -> "sky", "dying" -> "die"), so a token starting
// with another letter than a stem cannot have that stem. This skips the
// stemmer for most title words, which was most of the cost of highlighting
// a page.
bool MayHaveStem(absl::string_view token, absl::string_view stem) {
  return !token.empty() && !stem.empty() && token.front() == stem.front();
}

}  // namespace

std::vector<Span> HighlightSpans(absl::string_view title, const std::vector<HighlightWord>& words) {
  std::vector<Span> spans;
  if (words.empty()) return spans;
  // Tokens are visited, not built: this runs for every hit's title.
  ForEachToken(title, [&](absl::string_view token, uint32_t begin, uint32_t end) {
    bool matched = false;
    std::string stem;  // Computed at most once per token, only if needed.
    for (const HighlightWord& word : words) {
      if (token == word.text || (word.prefix && absl::StartsWith(token, word.text))) {
        matched = true;
        break;
      }
      if (word.stem_words_known) {
        if (std::find(word.stem_words.begin(), word.stem_words.end(), token) !=
            word.stem_words.end()) {
          matched = true;
          break;
        }
        continue;
      }
      if (!MayHaveStem(token, word.stem)) continue;
      if (stem.empty()) stem = Stem(token);
      if (stem == word.stem) {
        matched = true;
        break;
      }
    }
    if (matched) spans.push_back({begin, end});
  });
  return spans;
}

std::string MarkSnippet(absl::string_view title, const std::vector<Span>& spans) {
  std::string out;
  out.reserve(title.size() + spans.size() * 13 + 16);
  size_t at = 0;
  for (const Span& span : spans) {
    if (span.begin < at || span.end > title.size()) continue;
    AppendHtmlEscaped(title.substr(at, span.begin - at), out);
    out += "<mark>";
    AppendHtmlEscaped(title.substr(span.begin, span.end - span.begin), out);
    out += "</mark>";
    at = span.end;
  }
  AppendHtmlEscaped(title.substr(at), out);
  return out;
}

}  // namespace openencoder::search
