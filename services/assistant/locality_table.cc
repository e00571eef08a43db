#include "services/assistant/locality_table.h"

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace openencoder::assistant {

absl::StatusOr<LocalityTable> LocalityTable::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read locality file ", path));
  LocalityTable table;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> f = absl::StrSplit(absl::StripAsciiWhitespace(line), ',');
    if (f.size() < 4 || f[0].empty() || f[2].empty()) continue;
    table.Add(absl::StripAsciiWhitespace(f[3]), f[1], absl::StrCat(f[0], "-", f[2]));
  }
  return table;
}

void LocalityTable::Add(absl::string_view name, absl::string_view state, absl::string_view id) {
  by_name_[absl::AsciiStrToLower(name)] = std::string(id);
  const std::string s = absl::AsciiStrToLower(state);
  auto [it, inserted] = by_state_.try_emplace(s, std::string(id));
  if (!inserted) it->second = "";  // several localities: the state alone is ambiguous
}

std::string LocalityTable::Resolve(absl::string_view words) const {
  std::string w = absl::AsciiStrToLower(absl::StripAsciiWhitespace(words));
  if (w.size() == 8 && w[5] == '-') return w;  // already an id
  if (auto it = by_name_.find(w); it != by_name_.end()) return it->second;
  // "rest of texas", "manhattan, ny": try each name as a whole-word prefix.
  for (const auto& [name, id] : by_name_) {
    if (absl::StartsWith(name, w) || absl::StartsWith(w, name)) return id;
  }
  if (auto it = by_state_.find(w); it != by_state_.end()) return it->second;
  return "";
}

}  // namespace openencoder::assistant
