#include "services/jobs/text_tokens.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"

namespace openencoder::jobs {
namespace {

constexpr std::array<absl::string_view, 12> kStopWords = {"a",  "an", "and", "are", "for", "in",
                                                          "is", "of", "on",  "or",  "the", "to"};

bool IsWordByte(char c) { return absl::ascii_isalnum(c) || static_cast<unsigned char>(c) >= 0x80; }

void Emit(std::string word, std::vector<std::string>* out) {
  if (std::find(kStopWords.begin(), kStopWords.end(), word) != kStopWords.end()) return;
  if (word.size() > 3 && word.back() == 's' && word[word.size() - 2] != 's') word.pop_back();
  out->push_back(std::move(word));
}

}  // namespace

std::vector<std::string> Tokenize(absl::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if (IsWordByte(c)) {
      word.push_back(absl::ascii_tolower(c));
    } else if (!word.empty()) {
      Emit(std::move(word), &out);
      word.clear();
    }
  }
  if (!word.empty()) Emit(std::move(word), &out);
  return out;
}

}  // namespace openencoder::jobs
