#include "libs/search_engine/text.h"

#include <array>

#include "absl/strings/ascii.h"

namespace openencoder::search {
namespace {

// ASCII base letter of U+00C0..U+00FF (second byte 0x80..0xBF after 0xC3),
// 0 where the character is not a letter (× and ÷). Folding accents lets
// "sjogren" find "Sjögren".
constexpr std::array<char, 64> kLatin1Fold = {
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 't', 's',
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 't', 'y'};

// Length of the UTF-8 sequence starting with `lead` (1 for stray bytes, so
// the tokenizer always advances).
size_t SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

// Folded ASCII byte: lowercase letter or digit, 0 for a separator (and for
// bytes >= 0x80, which take the UTF-8 path).
constexpr std::array<char, 256> kAsciiFold = [] {
  std::array<char, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c - 'A' + 'a');
  return t;
}();

void ForEachToken(
    absl::string_view text,
    absl::FunctionRef<void(absl::string_view folded, uint32_t begin, uint32_t end)> visit,
    const std::bitset<256>* first_bytes) {
  // Highlighting folds every word of ten titles and their index entries per
  // search: a stack buffer and a table per byte, no string growth checks.
  // A word longer than the buffer (none in the code sets) goes to `spill`.
  constexpr size_t kBuffer = 128;
  char buffer[kBuffer];
  std::string spill;
  size_t length = 0;
  uint32_t begin = 0;
  bool skipping = false;  // Inside a token `first_bytes` rules out.
  auto push = [&](char folded) {
    if (length < kBuffer) {
      buffer[length] = folded;
    } else {
      if (length == kBuffer) spill.assign(buffer, kBuffer);
      spill.push_back(folded);
    }
    ++length;
  };
  auto flush = [&](size_t end) {
    if (length == 0) return;
    visit(length <= kBuffer ? absl::string_view(buffer, length) : absl::string_view(spill), begin,
          static_cast<uint32_t>(end));
    length = 0;
  };
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    char folded = kAsciiFold[c];
    size_t step = 1;
    if (c >= 0x80) {
      step = SequenceLength(c);
      if (c == 0xC3 && i + 1 < text.size()) {
        const unsigned char next = static_cast<unsigned char>(text[i + 1]);
        if (next >= 0x80 && next <= 0xBF) folded = kLatin1Fold[next - 0x80];
      }
    }
    if (folded == 0) {
      skipping = false;
      flush(i);
    } else if (!skipping) {
      if (length == 0) {
        begin = static_cast<uint32_t>(i);
        skipping = first_bytes != nullptr && !first_bytes->test(static_cast<unsigned char>(folded));
      }
      if (!skipping) push(folded);
    }
    i += step;
    // A skipped token's ASCII letters and digits need no folding: pass
    // them in a tight loop (most bytes of a highlighted title or Index
    // entry); any other byte goes through the loop above.
    if (skipping) {
      while (i < text.size() && kAsciiFold[static_cast<unsigned char>(text[i])] != 0) ++i;
    }
  }
  flush(text.size());
}

std::vector<Token> Tokenize(absl::string_view text) {
  std::vector<Token> tokens;
  ForEachToken(text, [&](absl::string_view folded, uint32_t begin, uint32_t end) {
    tokens.push_back({std::string(folded), begin, end});
  });
  return tokens;
}

std::string NormalizeCode(absl::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

bool LooksLikeCode(absl::string_view word, size_t min_chars) {
  size_t alnum = 0;
  bool digit = false;
  for (char c : word) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isdigit(u)) {
      digit = true;
      ++alnum;
    } else if (absl::ascii_isalpha(u)) {
      ++alnum;
    } else if (c != '.') {
      return false;
    }
  }
  return digit && alnum >= min_chars;
}

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // Truncated sequence.
    for (size_t k = 1; k <= extra; ++k) {
      const unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

bool IsStopWord(absl::string_view word) {
  static constexpr absl::string_view kStopWords[] = {"a",  "an", "and", "by",  "due", "for", "in",
                                                     "of", "on", "or",  "the", "to",  "with"};
  for (absl::string_view stop : kStopWords) {
    if (word == stop) return true;
  }
  return false;
}

// The entity replacing each byte, null for the bytes kept as they are.
constexpr std::array<const char*, 256> kHtmlEntity = [] {
  std::array<const char*, 256> t{};
  t['&'] = "&amp;";
  t['<'] = "&lt;";
  t['>'] = "&gt;";
  t['"'] = "&quot;";
  return t;
}();

void AppendHtmlEscaped(absl::string_view text, std::string& out) {
  // Runs of ordinary bytes go in one append: a title has one special byte
  // in hundreds, and byte-by-byte push_back was most of a snippet's cost.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* entity = kHtmlEntity[static_cast<unsigned char>(text[i])];
    if (entity == nullptr) continue;
    out.append(text.data() + run, i - run);
    out += entity;
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
}

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendHtmlEscaped(text, out);
  return out;
}

}  // namespace openencoder::search
