// An immutable, fully indexed catalogue: every code of every loaded code
// set with its hierarchy and notes, the modifiers, NCCI edits, MUEs, GEMs
// and the fee schedule. Built once by the loader (catalogue_loader.h) and
// then only read, so any number of threads may use one snapshot at once
// without locking. A new edition means a new snapshot (snapshot_holder.h).
//
//   const CodeEntry* e = snapshot.Find(CodeSystem::kIcd10Cm, "E119");
//   for (int32_t c : e->children) snapshot.code(c) ...
//   snapshot.PtpWithColumn1("99214")   // indices into ptp()
#ifndef OPENENCODER_SERVICES_CATALOGUE_STORE_CATALOGUE_SNAPSHOT_H_
#define OPENENCODER_SERVICES_CATALOGUE_STORE_CATALOGUE_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "libs/code_sets/model/code_note.h"
#include "libs/code_sets/model/code_record.h"
#include "libs/code_sets/model/edition.h"
#include "libs/code_sets/model/fee_schedule.h"
#include "libs/code_sets/model/gem_mapping.h"
#include "libs/code_sets/model/index_entry.h"
#include "libs/code_sets/model/ncci.h"
#include "libs/code_sets/model/tabular.h"
#include "services/catalogue/store/manifest.h"

namespace openencoder::catalogue {

// One more than the largest CodeSystem value.
inline constexpr int kCodeSystemCount = 7;

// A loaded edition and the attribution line pages show for it.
struct EditionInfo {
  Edition edition;
  FileKind kind;  // Kind of the first file that carried this edition.
  bool demo = false;
  std::string source;  // "CDC/NCHS ICD-10-CM FY2026"
  std::string notice;  // Licence or disclaimer text to show with it.
};

// A code and everything about it that is per code.
struct CodeEntry {
  CodeRecord record;
  std::string plain_language;  // Our own words (code notes); may be empty.
  std::vector<std::string> lay_terms;
  // ICD-10-CM Alphabetic Index entries that lead to this code, in index
  // order; from the edition index_edition() names.
  std::vector<IndexEntry> index_entries;
  std::string family;             // Note family or CPT range; may be empty.
  int32_t parent = -1;            // Index of record.parent_code, -1 if none.
  std::vector<int32_t> children;  // In tabular (file) order.
  int32_t edition = -1;           // Index into editions().
  bool deleted = false;           // Deleted in this edition or terminated.
  bool demo = false;
};

// A HCPCS Level II or CPT modifier.
struct ModifierEntry {
  CodeSystem system = CodeSystem::kUnspecified;  // kHcpcs or kCpt.
  std::string code;
  std::string name;
  std::string description;
  std::string when_to_use;
  std::optional<absl::CivilDay> effective_date;
  std::optional<absl::CivilDay> termination_date;
  bool ncci_associated = false;
  int32_t edition = -1;
};

// Everything the loader read, handed to the snapshot to index.
struct SnapshotParts {
  std::string snapshot_id;
  std::vector<EditionInfo> editions;
  std::vector<CodeEntry> codes;
  std::vector<ModifierEntry> modifiers;
  std::vector<NcciPtpEdit> ptp;
  int32_t ptp_edition = -1;
  std::vector<MueEdit> mue;
  int32_t mue_edition = -1;
  std::vector<GemMapping> gems_i9_to_i10;
  std::vector<GemMapping> gems_i10_to_i9;
  int32_t gem_edition = -1;
  std::vector<RvuRow> rvus;
  std::vector<Gpci> localities;
  double conversion_factor = 0;
  int fee_year = 0;
  int32_t fee_edition = -1;
  std::vector<CptRange> cpt_ranges;  // Broader ranges before narrower ones.
  int32_t notes_edition = -1;
  // ICD-10-CM Tabular List nodes, parents before children.
  std::vector<TabularNode> tabular;
  int32_t tabular_edition = -1;
  int32_t index_edition = -1;
};

// True for the modifiers CMS lists as NCCI-associated (they may bypass a
// PTP edit whose modifier indicator is 1): anatomic modifiers, the global
// surgery modifiers 24 25 57 58 78 79, 27, 59, 91, XE XP XS XU.
bool IsNcciAssociatedModifier(absl::string_view modifier);

// True when `code` lies in `range`, comparing only codes of one kind (all
// digits, or the same trailing letter: Category II "F", III "T", PLA "U").
bool InCptRange(const CptRange& range, absl::string_view code);

class CatalogueSnapshot {
 public:
  // Indexes `parts`. Codes keep their indices; code(i) is parts.codes[i].
  explicit CatalogueSnapshot(SnapshotParts parts);

  CatalogueSnapshot(const CatalogueSnapshot&) = delete;
  CatalogueSnapshot& operator=(const CatalogueSnapshot&) = delete;

  // Changes whenever the files behind the snapshot change.
  const std::string& id() const { return parts_.snapshot_id; }
  absl::Span<const EditionInfo> editions() const { return parts_.editions; }
  const EditionInfo* edition(int32_t index) const;
  // The edition the codes of `system` come from; nullptr if none loaded.
  const EditionInfo* CodeEdition(CodeSystem system) const;

  // The code, by canonical form (upper case, no dot); nullptr if unknown.
  const CodeEntry* Find(CodeSystem system, absl::string_view code) const;
  int32_t IndexOf(const CodeEntry* entry) const {
    return static_cast<int32_t>(entry - parts_.codes.data());
  }
  const CodeEntry& code(int32_t index) const { return parts_.codes[index]; }
  size_t code_count() const { return parts_.codes.size(); }
  // Indices of the codes of `system` sorted by canonical code.
  absl::Span<const int32_t> SortedCodes(CodeSystem system) const;
  // Up to `max` existing codes of `system` nearest to `code` (which need not
  // exist): its longest existing prefix first, then its neighbours in code
  // order.
  std::vector<const CodeEntry*> Nearest(CodeSystem system, absl::string_view code,
                                        size_t max) const;

  absl::Span<const ModifierEntry> modifiers() const { return parts_.modifiers; }
  const ModifierEntry* FindModifier(CodeSystem system, absl::string_view code) const;

  absl::Span<const NcciPtpEdit> ptp() const { return parts_.ptp; }
  // Indices into ptp() of the edits with `code` in that column.
  absl::Span<const int32_t> PtpWithColumn1(absl::string_view code) const;
  absl::Span<const int32_t> PtpWithColumn2(absl::string_view code) const;
  const EditionInfo* ptp_edition() const { return edition(parts_.ptp_edition); }

  const MueEdit* FindMue(absl::string_view code) const;
  const EditionInfo* mue_edition() const { return edition(parts_.mue_edition); }

  // GEM rows whose source is `code`, in file order.
  std::vector<const GemMapping*> GemsFrom(CodeSystem source_system, absl::string_view code) const;
  const EditionInfo* gem_edition() const { return edition(parts_.gem_edition); }

  // The RVU row of (code, modifier); nullptr if none.
  const RvuRow* FindRvu(absl::string_view code, absl::string_view modifier) const;
  // A locality by "MAC-locality number" ("01112-05"); nullptr if unknown.
  const Gpci* FindLocality(absl::string_view id) const;
  double conversion_factor() const { return parts_.conversion_factor; }
  int fee_year() const { return parts_.fee_year; }
  const EditionInfo* fee_edition() const { return edition(parts_.fee_edition); }
  const EditionInfo* notes_edition() const { return edition(parts_.notes_edition); }
  // The Alphabetic Index the codes' index_entries come from; nullptr if none.
  const EditionInfo* index_edition() const { return edition(parts_.index_edition); }

  // The Tabular List node of an ICD-10-CM code (canonical); nullptr when
  // the tabular edition does not have it.
  const TabularNode* FindTabular(absl::string_view code) const;
  const TabularNode* tabular_node(int32_t index) const {
    return index >= 0 ? &parts_.tabular[index] : nullptr;
  }
  const EditionInfo* tabular_edition() const { return edition(parts_.tabular_edition); }

  absl::Span<const CptRange> cpt_ranges() const { return parts_.cpt_ranges; }
  // The narrowest CPT range holding `code`; nullptr if none.
  const CptRange* CptRangeOf(absl::string_view code) const;

 private:
  using Index = absl::flat_hash_map<absl::string_view, std::vector<int32_t>>;

  // Orders code indexes by their code text.
  void SortByCode(std::vector<int32_t>* indexes) const;

  SnapshotParts parts_;
  std::array<absl::flat_hash_map<absl::string_view, int32_t>, kCodeSystemCount> by_code_;
  std::array<std::vector<int32_t>, kCodeSystemCount> sorted_;
  std::array<int32_t, kCodeSystemCount> code_edition_;
  absl::flat_hash_map<std::string, int32_t> modifier_index_;  // "S:code".
  Index ptp_column1_;
  Index ptp_column2_;
  absl::flat_hash_map<absl::string_view, int32_t> mue_index_;
  Index gem_i9_;
  Index gem_i10_;
  absl::flat_hash_map<std::string, int32_t> rvu_index_;            // "code|mod".
  absl::flat_hash_map<std::string, int32_t> locality_index_;       // "mac-nn".
  absl::flat_hash_map<absl::string_view, int32_t> tabular_index_;  // Code nodes only.
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_STORE_CATALOGUE_SNAPSHOT_H_
