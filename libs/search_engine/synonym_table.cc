#include "libs/search_engine/synonym_table.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/search_engine/text.h"

namespace openencoder::search {
namespace {

std::vector<std::string> Words(absl::string_view text) {
  std::vector<std::string> words;
  for (Token& token : Tokenize(text)) words.push_back(std::move(token.text));
  return words;
}

}  // namespace

absl::StatusOr<SynonymTable> SynonymTable::Parse(absl::string_view content) {
  SynonymTable table;
  absl::flat_hash_map<std::string, size_t> by_term;
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("synonyms line ", line_number,
                                                     ": no tab between term "
                                                     "and expansions"));
    }
    const absl::string_view term = line.substr(0, tab);
    const absl::string_view rest = line.substr(tab + 1);
    if (line_number == 1 && term == "term" && rest == "expansions") continue;
    std::vector<std::string> term_words = Words(term);
    if (term_words.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("synonyms line ", line_number, ": empty term"));
    }
    const std::string key = absl::StrJoin(term_words, " ");
    auto [it, inserted] = by_term.try_emplace(key, table.entries_.size());
    if (inserted) {
      Entry entry;
      entry.words = std::move(term_words);
      entry.term = key;
      entry.id = table.entries_.size();
      table.entries_.push_back(std::move(entry));
    }
    Entry& entry = table.entries_[it->second];
    size_t added = 0;
    for (absl::string_view expansion : absl::StrSplit(rest, '|')) {
      std::vector<std::string> words = Words(expansion);
      if (words.empty()) continue;
      std::string text = absl::StrJoin(words, " ");
      if (text == entry.term ||
          std::find(entry.expansion_texts.begin(), entry.expansion_texts.end(), text) !=
              entry.expansion_texts.end()) {
        ++added;  // A repeat is not an error, just nothing new.
        continue;
      }
      entry.expansions.push_back(std::move(words));
      entry.expansion_texts.push_back(std::move(text));
      ++added;
    }
    if (added == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("synonyms line ", line_number, ": no expansion for '", key, "'"));
    }
  }
  for (size_t i = 0; i < table.entries_.size(); ++i) {
    table.by_first_word_[table.entries_[i].words.front()].push_back(i);
  }
  for (auto& [word, indexes] : table.by_first_word_) {
    std::sort(indexes.begin(), indexes.end(), [&](size_t a, size_t b) {
      return table.entries_[a].words.size() > table.entries_[b].words.size();
    });
  }
  return table;
}

absl::StatusOr<SynonymTable> SynonymTable::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open synonyms ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str());
}

std::vector<SynonymTable::PhraseMatch> SynonymTable::FindPhrases(
    const std::vector<std::string>& words) const {
  std::vector<PhraseMatch> matches;
  size_t i = 0;
  while (i < words.size()) {
    const Entry* found = nullptr;
    if (auto it = by_first_word_.find(words[i]); it != by_first_word_.end()) {
      for (size_t index : it->second) {
        const Entry& entry = entries_[index];
        if (i + entry.words.size() <= words.size() &&
            std::equal(entry.words.begin(), entry.words.end(), words.begin() + i)) {
          found = &entry;
          break;
        }
      }
    }
    if (found != nullptr) {
      matches.push_back({i, i + found->words.size(), found});
      i += found->words.size();
    } else {
      ++i;
    }
  }
  return matches;
}

}  // namespace openencoder::search
