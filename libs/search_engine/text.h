// Text normalisation shared by indexing and querying, so that both sides
// see exactly the same words.
//
// All functions are pure and thread-safe.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_TEXT_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_TEXT_H_

#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace openencoder::search {

// A word of some text: `text` is folded (lowercase ASCII, Latin-1 letters
// without accents); [begin, end) are byte offsets into the original text.
struct Token {
  std::string text;
  uint32_t begin = 0;
  uint32_t end = 0;
};

// Splits on every character that is not a letter or a digit. Numbers are
// words ("type 2" -> "type", "2"). Non-Latin characters act as separators.
// Example: Tokenize("Ménière's E11.9") -> ménière: "meniere", "s", "e11", "9".
std::vector<Token> Tokenize(absl::string_view text);

// The same tokens without building them: calls visit(folded, begin, end)
// for each, in order. `folded` is valid only during the call. For hot
// paths (highlighting every hit's title) that need no token to outlive it.
// With `first_bytes`, a token whose first folded byte is not in it is
// skipped unfolded and not visited: a highlighter knows which letters its
// words start with.
void ForEachToken(
    absl::string_view text,
    absl::FunctionRef<void(absl::string_view folded, uint32_t begin, uint32_t end)> visit,
    const std::bitset<256>* first_bytes = nullptr);

// Canonical form of a code as typed: lowercase, without dots, dashes or
// spaces. "E11.9" -> "e119".
std::string NormalizeCode(absl::string_view code);

// True when `word` looks like (part of) a code: only ASCII letters, digits
// and dots, at least one digit and at least `min_chars` letters/digits.
bool LooksLikeCode(absl::string_view word, size_t min_chars);

bool IsValidUtf8(absl::string_view text);

// Function words ("of", "and", ...) that a query may drop; see Search().
bool IsStopWord(absl::string_view word);

// Replaces &, <, >, " with HTML entities.
std::string HtmlEscape(absl::string_view text);
// The same, appended to `out` (no temporary string per piece).
void AppendHtmlEscaped(absl::string_view text, std::string& out);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_TEXT_H_
