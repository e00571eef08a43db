// SearchIndex::Suggest and SearchIndex::Lookup: the keystroke and exact
// code paths, which must stay cheaper than a full Search.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/search_engine/query_plan.h"
#include "libs/search_engine/search_index.h"
#include "libs/search_engine/text.h"

namespace openencoder::search {
namespace {

// Two characters with a digit ("e1", "99") already narrow codes usefully.
constexpr size_t kMinSuggestCodeChars = 2;

}  // namespace

absl::StatusOr<std::vector<Suggestion>> SearchIndex::Suggest(absl::string_view prefix) const {
  if (absl::Status status = ValidateQueryText(prefix); !status.ok()) {
    return status;
  }
  std::vector<Suggestion> suggestions;
  const absl::string_view trimmed = absl::StripAsciiWhitespace(prefix);
  if (trimmed.find_first_of(" \t\r\n") == absl::string_view::npos &&
      LooksLikeCode(trimmed, kMinSuggestCodeChars)) {
    const auto [first, last] = internal::CodeRange(NormalizeCode(trimmed), data_);
    for (uint32_t doc = first; doc < last && suggestions.size() < kMaxSuggestions; ++doc) {
      const internal::DocStore& d = data_.store;
      suggestions.push_back({Suggestion::Kind::kCode, std::string(d.display_code(doc)),
                             std::string(d.system(doc)), std::string(d.title(doc)), 1});
    }
  }
  // A trailing space means the last word is finished: nothing to complete.
  if (absl::ascii_isspace(static_cast<unsigned char>(prefix.back()))) {
    return suggestions;
  }
  const std::vector<Token> tokens = Tokenize(prefix);
  if (tokens.empty() || tokens.back().end != prefix.size()) return suggestions;
  const Token& last = tokens.back();

  std::vector<uint32_t> top;
  if (auto it = data_.prefix_top_terms.find(last.text); it != data_.prefix_top_terms.end()) {
    top = it->second;  // Precomputed: short prefixes have huge ranges.
  } else {
    const auto [first, end] = internal::TermRange(last.text, data_);
    for (uint32_t t = first; t < end; ++t) top.push_back(t);
    auto by_frequency = [&](uint32_t a, uint32_t b) {
      const uint64_t fa = data_.postings[a].docs.cardinality();
      const uint64_t fb = data_.postings[b].docs.cardinality();
      return fa != fb ? fa > fb : a < b;
    };
    const size_t keep = std::min(top.size(), kMaxSuggestions);
    std::partial_sort(top.begin(), top.begin() + keep, top.end(), by_frequency);
    top.resize(keep);
  }
  const absl::string_view head = prefix.substr(0, last.begin);
  for (uint32_t t : top) {
    if (suggestions.size() >= kMaxSuggestions) break;
    suggestions.push_back({Suggestion::Kind::kTerm, absl::StrCat(head, data_.terms[t]), "", "",
                           data_.postings[t].docs.cardinality()});
  }
  return suggestions;
}

absl::StatusOr<std::vector<SearchDocument>> SearchIndex::Lookup(absl::string_view code) const {
  if (absl::Status status = ValidateQueryText(code); !status.ok()) {
    return status;
  }
  const std::string normalized = NormalizeCode(code);
  if (normalized.empty()) {
    return absl::InvalidArgumentError("code has no letters or digits");
  }
  const auto [first, last] = std::equal_range(data_.codes.begin(), data_.codes.end(), normalized);
  if (first == last) {
    return absl::NotFoundError(absl::StrCat("no code ", code));
  }
  std::vector<SearchDocument> found;
  for (auto it = first; it != last; ++it) {
    found.push_back(data_.store.Get(static_cast<uint32_t>(it - data_.codes.begin())));
  }
  return found;
}

}  // namespace openencoder::search
