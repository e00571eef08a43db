// Importer for the ICD-10-CM Alphabetic Index XML (CDC/NCHS
// icd10cm_index_YYYY.xml, "INDEX TO DISEASES and INJURIES"):
//
//   <letter><title>A</title>
//     <mainTerm><title>Attack, attacks</title>
//       <term level="1"><title>heart</title><see>Infarct, myocardium</see></term>
//     ...
//
// Every <mainTerm> and nested <term> becomes one IndexTerm with its path
// ("Attack, attacks, heart"), its codes (<code>, <manif>, <seecat>,
// <subcat>) and its cross-references (<see>, <seeAlso>). The number of terms
// parsed is checked against the term tags counted in the raw file, so a term
// the parser skipped is reported rather than lost; terms with a malformed
// code are rejected with their line number.
//
//   Edition e{CodeSystem::kIcd10Cm, "icd10cm-index-fy2023",
//             "ICD-10-CM Index FY2023", absl::CivilDay(2022, 10, 1)};
//   absl::StatusOr<AlphabeticIndexImport> r = ImportAlphabeticIndex(path, e);
//   for (const CodeIndexEntry& e : r->entries) ... e.code, e.entry.path
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ALPHABETIC_INDEX_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ALPHABETIC_INDEX_IMPORTER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/model/edition.h"
#include "libs/code_sets/model/index_entry.h"

namespace openencoder::catalogue {

// A code as the index writes it.
struct IndexCodeRef {
  std::string code;         // Canonical: "E119", "I21" (dot and dash removed).
  bool subdivided = false;  // Written with a trailing dash: "I21.-".
  bool manifestation = false;
};

struct IndexTerm {
  std::string title;      // Without the nonessential modifiers: "Diabetes, diabetic".
  std::string nemod;      // "(mellitus) (sugar)"; may be empty.
  std::string path;       // Titles from the main term down, joined by ", ".
  std::string modifiers;  // The nemods from the main term down, joined by " ".
  int words = 0;          // IndexEntry::words of an entry for this term.
  int level = 0;          // 0 for a main term.
  int32_t parent = -1;
  std::vector<int32_t> children;
  std::vector<IndexCodeRef> codes;
  std::vector<std::string> see;
  std::vector<std::string> see_also;
  int64_t line = 0;
};

// One code reached from the index, in term order.
struct CodeIndexEntry {
  std::string code;  // Canonical ICD-10-CM code.
  IndexEntry entry;
};

struct AlphabeticIndexImport {
  std::string version;  // The file's <version>, e.g. "2023".
  std::vector<IndexTerm> terms;
  int64_t main_terms = 0;
  // Every code the terms name, directly or through a see / see-also
  // reference that resolves to a term with codes.
  std::vector<CodeIndexEntry> entries;
  int64_t see_references = 0;     // <see> and <seeAlso> elements.
  int64_t see_to_terms = 0;       // ... resolved to a term (all its parts).
  int64_t see_to_term_heads = 0;  // ... resolved to a term naming only its head.
  int64_t see_to_codes = 0;       // ... naming a category or code range.
  int64_t see_to_tables = 0;      // ... naming the Neoplasm or Drugs table.
  int64_t see_instructions = 0;   // "see condition".
  ImportReport report;
};

// NOT_FOUND / UNAVAILABLE when the file cannot be read; INVALID_ARGUMENT
// when it is not an index XML at all. Term problems are in the report.
absl::StatusOr<AlphabeticIndexImport> ImportAlphabeticIndex(const std::string& path,
                                                            Edition edition);

// What a see / see-also text names.
struct SeeTarget {
  enum class Kind {
    kTerm,         // A term of the index, every part of the text matched.
    kTermHead,     // A term matching the text's leading parts only (the
                   // index's wording changed under the reference).
    kCodes,        // "category M01", "subcategory M14.8-", "E08-E13 with .620".
    kTable,        // The Neoplasm Table or the Table of Drugs and Chemicals.
    kInstruction,  // "condition": look the condition up instead.
    kUnresolved,
  };
  Kind kind = Kind::kUnresolved;
  int32_t term = -1;                // For kTerm and kTermHead.
  std::vector<IndexCodeRef> codes;  // For kCodes, when the text names codes.
  std::string table;                // For kTable.
};

// Resolves cross-reference texts against the terms of one import. The
// index writes references loosely: any one of a main term's comma-separated
// names ("Infarct" for "Infarct, infarction"), a subterm's leading words
// ("sedative" for "sedative, hypnotic or anxiolytic"), nonessential
// modifiers in parentheses, "NEC", plurals and accents all vary.
class SeeResolver {
 public:
  explicit SeeResolver(const std::vector<IndexTerm>& terms);
  SeeTarget Resolve(absl::string_view text) const;

 private:
  int32_t Descend(int32_t term, const std::vector<std::string>& parts, size_t* used) const;
  // Sets *target to kTerm when every part matches; else keeps in *best the
  // deepest term matched so far.
  void ResolveParts(const std::vector<std::string>& parts, SeeTarget* target, int32_t* best,
                    size_t* best_used) const;
  int32_t NearestMain(absl::string_view key) const;

  const std::vector<IndexTerm>& terms_;
  absl::flat_hash_map<std::string, std::vector<int32_t>> main_by_key_;
  std::map<std::string, std::vector<int32_t>> main_keys_;  // Sorted, for prefixes.
};

// The comparison key of an index title or reference part: lower case,
// accents folded, parenthesised text, "NEC" and "NOS" removed, blanks
// collapsed.
std::string IndexKey(absl::string_view text);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ALPHABETIC_INDEX_IMPORTER_H_
