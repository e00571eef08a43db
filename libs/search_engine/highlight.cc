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

HighlightMatcher::HighlightMatcher(const std::vector<HighlightWord>& words) {
  const auto starts = [this](absl::string_view text) {
    if (text.empty()) {
      first_.set();  // An empty prefix starts every token.
    } else {
      first_.set(static_cast<unsigned char>(text.front()));
    }
  };
  for (const HighlightWord& word : words) {
    exact_.insert(word.text);
    starts(word.text);
    if (word.prefix) prefixes_.push_back(word.text);
    if (word.stem_words_known) {
      exact_.insert(word.stem_words.begin(), word.stem_words.end());
      for (absl::string_view form : word.stem_words) starts(form);
    } else {
      stemmed_.push_back(&word);
      if (!word.stem.empty()) first_.set(static_cast<unsigned char>(word.stem.front()));
    }
  }
}

bool HighlightMatcher::Matches(absl::string_view token) const {
  if (token.empty() || !first_.test(static_cast<unsigned char>(token.front()))) {
    return false;
  }
  if (exact_.contains(token)) return true;
  for (absl::string_view prefix : prefixes_) {
    if (absl::StartsWith(token, prefix)) return true;
  }
  std::string stem;  // Computed at most once per token, only if needed.
  for (const HighlightWord* word : stemmed_) {
    if (!MayHaveStem(token, word->stem)) continue;
    if (stem.empty()) stem = Stem(token);
    if (stem == word->stem) return true;
  }
  return false;
}

void TermIdMatcher::AddRange(uint32_t first, uint32_t last) {
  if (first < last) intervals_.emplace_back(first, last);
}

void TermIdMatcher::AddIds(const std::vector<uint32_t>& ids) {
  for (uint32_t id : ids) intervals_.emplace_back(id, id + 1);
}

void TermIdMatcher::Finish() {
  std::sort(intervals_.begin(), intervals_.end());
  size_t out = 0;
  for (size_t i = 0; i < intervals_.size(); ++i) {
    if (out > 0 && intervals_[i].first <= intervals_[out - 1].second) {
      intervals_[out - 1].second = std::max(intervals_[out - 1].second, intervals_[i].second);
    } else {
      intervals_[out++] = intervals_[i];
    }
  }
  intervals_.resize(out);
  uint64_t ids = 0;
  for (const auto& [first, last] : intervals_) ids += last - first;
  filtered_ = ids <= kMaxFilteredIds;
  filter_.fill(0);
  if (filtered_) {
    for (const auto& [first, last] : intervals_) {
      for (uint32_t id = first; id < last; ++id) {
        filter_[(id % kFilterBits) / 64] |= uint64_t{1} << (id % 64);
      }
    }
  }
}

std::vector<Span> HighlightSpans(absl::string_view title, const HighlightMatcher& matcher) {
  std::vector<Span> spans;
  // Tokens are visited, not built: this runs for every hit's title.
  ForEachToken(
      title,
      [&](absl::string_view token, uint32_t begin, uint32_t end) {
        if (!matcher.Matches(token)) return;
        // One allocation for the usual few spans, not a growth from 1.
        if (spans.empty()) spans.reserve(8);
        spans.push_back({begin, end});
      },
      &matcher.first_bytes());
  return spans;
}

std::vector<Span> HighlightSpans(absl::string_view title, const std::vector<HighlightWord>& words) {
  if (words.empty()) return {};
  return HighlightSpans(title, HighlightMatcher(words));
}

std::string MarkSnippet(absl::string_view title, const std::vector<Span>& spans) {
  std::string out;
  out.reserve(title.size() + spans.size() * 13 + 16);
  size_t at = 0;
  for (const Span& span : spans) {
    if (span.begin < at || span.end > title.size()) continue;
    AppendHtmlEscaped(title.substr(at, span.begin - at), out);
    out.append("<mark>", 6);
    AppendHtmlEscaped(title.substr(span.begin, span.end - span.begin), out);
    out.append("</mark>", 7);
    at = span.end;
  }
  AppendHtmlEscaped(title.substr(at), out);
  return out;
}

}  // namespace openencoder::search
