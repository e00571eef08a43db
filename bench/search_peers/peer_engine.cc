#include "bench/search_peers/peer_engine.h"

#include "absl/strings/ascii.h"

namespace openencoder::search::bench {

std::vector<std::string> PeerWords(absl::string_view query) {
  std::vector<std::string> words;
  std::string word;
  for (char c : query) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      word.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::optional<std::string> PeerCode(absl::string_view query) {
  query = absl::StripAsciiWhitespace(query);
  std::string code;
  bool digit = false;
  for (char c : query) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '.') continue;
    if (!absl::ascii_isalnum(u)) return std::nullopt;
    digit = digit || absl::ascii_isdigit(u);
    code.push_back(absl::ascii_tolower(u));
  }
  if (!digit || code.size() < 3) return std::nullopt;
  return code;
}

}  // namespace openencoder::search::bench
