#include "services/catalogue/store/catalogue_snapshot.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace openencoder::catalogue {
namespace {

int SystemSlot(CodeSystem system) { return static_cast<int>(system); }

std::string ModifierKey(CodeSystem system, absl::string_view code) {
  return absl::StrCat(SystemSlot(system), ":", code);
}

std::string RvuKey(absl::string_view code, absl::string_view modifier) {
  return absl::StrCat(code, "|", modifier);
}

// Up to 8 characters as a big-endian number padded with zero bytes: it
// orders exactly like the strings (a prefix sorts first).
bool PackCode(absl::string_view code, uint64_t* key) {
  if (code.size() > 8) return false;
  uint64_t k = 0;
  for (size_t i = 0; i < 8; ++i) {
    k = k << 8 | (i < code.size() ? static_cast<unsigned char>(code[i]) : 0u);
  }
  *key = k;
  return true;
}

}  // namespace

void CatalogueSnapshot::SortByCode(std::vector<int32_t>* indexes) const {
  // Every code set we load has codes of at most 8 characters; sorting
  // packed keys instead of comparing strings takes a tenth of a load's
  // sorting time. Longer codes, should a file ever have them, fall back.
  std::vector<std::pair<uint64_t, int32_t>> keyed(indexes->size());
  for (size_t i = 0; i < indexes->size(); ++i) {
    const int32_t index = (*indexes)[i];
    if (!PackCode(parts_.codes[index].record.code, &keyed[i].first)) {
      std::sort(indexes->begin(), indexes->end(), [this](int32_t a, int32_t b) {
        return parts_.codes[a].record.code < parts_.codes[b].record.code;
      });
      return;
    }
    keyed[i].second = index;
  }
  std::sort(keyed.begin(), keyed.end());
  for (size_t i = 0; i < keyed.size(); ++i) (*indexes)[i] = keyed[i].second;
}

bool InCptRange(const CptRange& range, absl::string_view code) {
  // "0370T" sorts between "00100" and "01999" as text, so a code only
  // belongs to ranges of its own kind: all digits, or the same letter last.
  auto kind = [](absl::string_view c) {
    return c.empty() || (c.back() >= '0' && c.back() <= '9') ? '0' : c.back();
  };
  return kind(code) == kind(range.first_code) && code >= range.first_code &&
         code <= range.last_code;
}

bool IsNcciAssociatedModifier(absl::string_view m) {
  static const auto* const kModifiers = new absl::flat_hash_set<std::string>{
      // Anatomic.
      "E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "LC",
      "LD", "LM", "LT", "RC", "RI", "RT", "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8",
      "T9",
      // Global surgery.
      "24", "25", "57", "58", "78", "79",
      // Other.
      "27", "59", "91", "XE", "XP", "XS", "XU"};
  return kModifiers->contains(m);
}

CatalogueSnapshot::CatalogueSnapshot(SnapshotParts parts) : parts_(std::move(parts)) {
  code_edition_.fill(-1);
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.codes.size()); ++i) {
    const CodeEntry& e = parts_.codes[i];
    const int slot = SystemSlot(e.record.system);
    by_code_[slot].emplace(e.record.code, i);
    sorted_[slot].push_back(i);
    if (code_edition_[slot] < 0) code_edition_[slot] = e.edition;
  }
  for (auto& sorted : sorted_) SortByCode(&sorted);
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.modifiers.size()); ++i) {
    const ModifierEntry& m = parts_.modifiers[i];
    modifier_index_.emplace(ModifierKey(m.system, m.code), i);
  }
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.ptp.size()); ++i) {
    ptp_column1_[parts_.ptp[i].column1].push_back(i);
    ptp_column2_[parts_.ptp[i].column2].push_back(i);
  }
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.mue.size()); ++i) {
    mue_index_.emplace(parts_.mue[i].code, i);
  }
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.gems_i9_to_i10.size()); ++i) {
    gem_i9_[parts_.gems_i9_to_i10[i].source].push_back(i);
  }
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.gems_i10_to_i9.size()); ++i) {
    gem_i10_[parts_.gems_i10_to_i9[i].source].push_back(i);
  }
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.rvus.size()); ++i) {
    rvu_index_.emplace(RvuKey(parts_.rvus[i].code, parts_.rvus[i].modifier), i);
  }
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.localities.size()); ++i) {
    const Gpci& g = parts_.localities[i];
    locality_index_.emplace(absl::StrCat(g.mac, "-", g.locality_number), i);
  }
  tabular_index_.reserve(parts_.tabular.size());
  for (int32_t i = 0; i < static_cast<int32_t>(parts_.tabular.size()); ++i) {
    const TabularNode& n = parts_.tabular[i];
    if (n.level == TabularLevel::kCategory || n.level == TabularLevel::kSubcategory) {
      tabular_index_.emplace(n.name, i);
    }
  }
}

const EditionInfo* CatalogueSnapshot::edition(int32_t index) const {
  if (index < 0 || index >= static_cast<int32_t>(parts_.editions.size())) {
    return nullptr;
  }
  return &parts_.editions[index];
}

const EditionInfo* CatalogueSnapshot::CodeEdition(CodeSystem system) const {
  return edition(code_edition_[SystemSlot(system)]);
}

const CodeEntry* CatalogueSnapshot::Find(CodeSystem system, absl::string_view code) const {
  const auto& index = by_code_[SystemSlot(system)];
  auto it = index.find(code);
  return it == index.end() ? nullptr : &parts_.codes[it->second];
}

absl::Span<const int32_t> CatalogueSnapshot::SortedCodes(CodeSystem system) const {
  return sorted_[SystemSlot(system)];
}

std::vector<const CodeEntry*> CatalogueSnapshot::Nearest(CodeSystem system, absl::string_view code,
                                                         size_t max) const {
  std::vector<const CodeEntry*> out;
  auto add = [&](const CodeEntry* e) {
    if (e != nullptr && out.size() < max && std::find(out.begin(), out.end(), e) == out.end()) {
      out.push_back(e);
    }
  };
  // The longest existing prefix is the most useful hint: E11.99 -> E11.9.
  for (size_t n = code.size(); n-- > 1;) {
    if (const CodeEntry* e = Find(system, code.substr(0, n))) {
      add(e);
      break;
    }
  }
  const std::vector<int32_t>& sorted = sorted_[SystemSlot(system)];
  auto it = std::lower_bound(
      sorted.begin(), sorted.end(), code,
      [this](int32_t i, absl::string_view c) { return parts_.codes[i].record.code < c; });
  // Alternate after and before the insertion point.
  auto after = it;
  auto before = it;
  while (out.size() < max && (after != sorted.end() || before != sorted.begin())) {
    if (after != sorted.end()) add(&parts_.codes[*after++]);
    if (out.size() < max && before != sorted.begin()) {
      add(&parts_.codes[*--before]);
    }
  }
  return out;
}

const ModifierEntry* CatalogueSnapshot::FindModifier(CodeSystem system,
                                                     absl::string_view code) const {
  auto it = modifier_index_.find(ModifierKey(system, code));
  return it == modifier_index_.end() ? nullptr : &parts_.modifiers[it->second];
}

absl::Span<const int32_t> CatalogueSnapshot::PtpWithColumn1(absl::string_view code) const {
  auto it = ptp_column1_.find(code);
  if (it == ptp_column1_.end()) return {};
  return it->second;
}

absl::Span<const int32_t> CatalogueSnapshot::PtpWithColumn2(absl::string_view code) const {
  auto it = ptp_column2_.find(code);
  if (it == ptp_column2_.end()) return {};
  return it->second;
}

const MueEdit* CatalogueSnapshot::FindMue(absl::string_view code) const {
  auto it = mue_index_.find(code);
  return it == mue_index_.end() ? nullptr : &parts_.mue[it->second];
}

std::vector<const GemMapping*> CatalogueSnapshot::GemsFrom(CodeSystem source_system,
                                                           absl::string_view code) const {
  std::vector<const GemMapping*> out;
  const bool from_i9 = source_system == CodeSystem::kIcd9Cm;
  const Index& index = from_i9 ? gem_i9_ : gem_i10_;
  const std::vector<GemMapping>& rows = from_i9 ? parts_.gems_i9_to_i10 : parts_.gems_i10_to_i9;
  auto it = index.find(code);
  if (it == index.end()) return out;
  out.reserve(it->second.size());
  for (int32_t i : it->second) out.push_back(&rows[i]);
  return out;
}

const RvuRow* CatalogueSnapshot::FindRvu(absl::string_view code, absl::string_view modifier) const {
  auto it = rvu_index_.find(RvuKey(code, modifier));
  return it == rvu_index_.end() ? nullptr : &parts_.rvus[it->second];
}

const Gpci* CatalogueSnapshot::FindLocality(absl::string_view id) const {
  auto it = locality_index_.find(id);
  return it == locality_index_.end() ? nullptr : &parts_.localities[it->second];
}

const TabularNode* CatalogueSnapshot::FindTabular(absl::string_view code) const {
  auto it = tabular_index_.find(code);
  return it == tabular_index_.end() ? nullptr : &parts_.tabular[it->second];
}

const CptRange* CatalogueSnapshot::CptRangeOf(absl::string_view code) const {
  const CptRange* best = nullptr;
  // Ranges are few (dozens); narrower ones follow broader ones in the file.
  for (const CptRange& r : parts_.cpt_ranges) {
    if (InCptRange(r, code)) best = &r;
  }
  return best;
}

}  // namespace openencoder::catalogue
