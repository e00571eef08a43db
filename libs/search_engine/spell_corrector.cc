#include "libs/search_engine/spell_corrector.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"

namespace openencoder::search {
namespace {

constexpr int kMaxIndexedDistance = 2;

uint32_t HashOf(absl::string_view text) { return static_cast<uint32_t>(absl::HashOf(text)); }

// Adds every string obtained from `word` by deleting 1..max_distance
// characters (and `word` itself) to `out`.
void Deletions(const std::string& word, int max_distance, absl::flat_hash_set<std::string>& out) {
  out.insert(word);
  std::vector<std::string> frontier = {word};
  for (int d = 0; d < max_distance; ++d) {
    std::vector<std::string> next;
    for (const std::string& s : frontier) {
      if (s.size() <= 1) continue;
      for (size_t i = 0; i < s.size(); ++i) {
        std::string deleted = s.substr(0, i) + s.substr(i + 1);
        if (out.insert(deleted).second) next.push_back(std::move(deleted));
      }
    }
    frontier = std::move(next);
  }
}

bool Usable(absl::string_view word) {
  if (word.size() < SpellCorrector::kMinWordLength) return false;
  return std::none_of(word.begin(), word.end(),
                      [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

SpellCorrector::SpellCorrector(std::vector<Word> vocabulary) {
  for (Word& word : vocabulary) {
    if (Usable(word.text)) words_.push_back(std::move(word));
  }
  absl::flat_hash_set<std::string> deletions;
  for (uint32_t i = 0; i < words_.size(); ++i) {
    deletions.clear();
    Deletions(words_[i].text, kMaxIndexedDistance, deletions);
    for (const std::string& d : deletions) deletes_.emplace_back(HashOf(d), i);
  }
  std::sort(deletes_.begin(), deletes_.end());
  deletes_.shrink_to_fit();
}

std::optional<std::string> SpellCorrector::Correct(absl::string_view word) const {
  if (!Usable(word) || deletes_.empty()) return std::nullopt;
  const int max_distance = MaxDistance(word.size());
  absl::flat_hash_set<std::string> deletions;
  Deletions(std::string(word), max_distance, deletions);
  absl::flat_hash_set<uint32_t> seen;
  const Word* best = nullptr;
  int best_distance = max_distance + 1;
  for (const std::string& d : deletions) {
    const uint32_t hash = HashOf(d);
    auto it = std::lower_bound(deletes_.begin(), deletes_.end(), std::make_pair(hash, uint32_t{0}));
    for (; it != deletes_.end() && it->first == hash; ++it) {
      if (!seen.insert(it->second).second) continue;
      const Word& candidate = words_[it->second];
      const size_t a = candidate.text.size();
      const size_t b = word.size();
      if ((a > b ? a - b : b - a) > static_cast<size_t>(max_distance)) {
        continue;
      }
      const int distance = Distance(word, candidate.text);
      if (distance == 0) return std::nullopt;  // Already a known word.
      if (distance > max_distance) continue;
      if (best == nullptr || distance < best_distance ||
          (distance == best_distance &&
           (candidate.frequency > best->frequency ||
            (candidate.frequency == best->frequency && candidate.text < best->text)))) {
        best = &candidate;
        best_distance = distance;
      }
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->text;
}

int SpellCorrector::Distance(absl::string_view a, absl::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  // Three rows suffice for the transposition case.
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace openencoder::search
