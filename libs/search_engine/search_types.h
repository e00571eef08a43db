// Value types shared by the search engine's public API: what goes into an
// index (SearchDocument) and what a query sends and gets back.
//
// All types are plain values: copyable, movable, no invariants beyond those
// documented per field. They carry no reference into a SearchIndex, so a
// response stays valid after the index it came from has been swapped out.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_SEARCH_TYPES_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_SEARCH_TYPES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace openencoder::search {

// An ICD-10-CM Alphabetic Index entry leading to a document's code.
struct IndexTermRef {
  std::string path;       // "Attack, attacks, heart"
  std::string modifiers;  // Optional words: "(acute) (with stated duration ...)".
  int words = 0;          // Words read along the path (IndexEntry.words); 0: count them.
  std::string see;        // "infarct, myocardium" when reached through a see reference.
  // The index names the code with a dash ("I21.-"): the builder also hangs
  // the entry on the category's unspecified child, which ranks first.
  bool subdivided = false;
  // Set on an entry the builder moved to a category's child: the
  // category as the index wrote it ("I21.-").
  std::string category;
};

// One searchable entry: a code of a code set, or a knowledge-base article.
struct SearchDocument {
  std::string system;        // "ICD10CM", "ICD10PCS", "HCPCS", "CPT", "KB".
  std::string code;          // Canonical, no dot: "E119". Required.
  std::string display_code;  // With dot: "E11.9". Defaults to `code`.
  std::string title;         // Long descriptor. Required; highlighted.
  std::string short_title;
  std::string plain_language;          // Patient-friendly description.
  std::vector<std::string> lay_terms;  // Inclusion and index terms.
  // Alphabetic Index entries: weighted as entry points, and shown as the
  // match reason. An index keeps the few shortest (what Lookup returns).
  std::vector<IndexTermRef> index_terms;
  bool billable = false;
  // Deleted or terminated in the loaded edition: ranks below active codes.
  bool deleted = false;
  std::string chapter;  // Free text, matched exactly by the chapter filter.
  // Inclusive validity window; an absent bound is open.
  std::optional<absl::CivilDay> effective_from;
  std::optional<absl::CivilDay> effective_to;
};

// Restricts the match set. Empty / unset members do not restrict.
struct SearchFilters {
  // Any of these code systems. Empty: every current code set; the legacy
  // ICD-9-CM (kLegacySystem) only when named here.
  std::vector<std::string> systems;
  bool billable_only = false;
  std::optional<absl::CivilDay> active_on;
  std::string chapter;
  // Inclusive code range, dots and case ignored. `code_to` covers its
  // descendants: E08..E13 includes E13.9.
  std::string code_from;
  std::string code_to;
};

struct SearchRequest {
  std::string query;  // 1..512 bytes of valid UTF-8.
  SearchFilters filters;
  size_t offset = 0;  // Paging: at most kMaxOffset.
  size_t limit = 10;  // Page size: 1..kMaxLimit.
};

// [begin, end) byte offsets into Hit::title.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

// Why a hit is in the result, in the order the reasons were established.
struct MatchReason {
  enum class Kind { kExactCode, kCodePrefix, kWords, kSynonym, kSpelling, kIndex };
  Kind kind;
  // Human-readable detail: the code typed, "heart attack -> myocardial
  // infarction", "diabetis -> diabetes", the index entry ("Attack, attacks,
  // heart -> see infarct, myocardium"); empty for kWords.
  std::string detail;
};

struct Hit {
  std::string system;
  std::string code;
  std::string display_code;
  std::string title;
  bool billable = false;
  bool deleted = false;
  double score = 0;
  std::vector<Span> title_spans;  // Sorted, non-overlapping.
  // `title` HTML-escaped, matched spans wrapped in <mark></mark>.
  std::string snippet;
  std::vector<MatchReason> reasons;
};

struct FacetCount {
  std::string system;
  size_t count = 0;
};

struct SearchResponse {
  std::vector<Hit> hits;  // The requested page, best first.
  size_t total = 0;       // Size of the whole filtered match set.
  // Per code system over the match set with every filter except `systems`
  // applied, so a client can show what the other systems would give.
  // Sorted by system name; systems with no match are omitted.
  std::vector<FacetCount> facets;
  // True when no document matched every query word and the hits are the
  // best partial matches instead.
  bool partial_match = false;
  // Set when a query word was spelled differently from every indexed word:
  // the query as it was run ("showing results for ..."). Empty otherwise.
  std::string corrected_query;
  // Each "original -> replacement" applied, spelling first then synonyms.
  std::vector<std::string> corrections;
  std::vector<std::string> synonyms_applied;
};

// One autocomplete entry.
struct Suggestion {
  enum class Kind { kCode, kTerm };
  Kind kind;
  std::string text;  // What the search box should contain if chosen.
  // For kCode: the code's system and title. Empty for kTerm.
  std::string system;
  std::string title;
  size_t document_count = 0;  // For kTerm: documents containing the term.
};

// Retired since 2015 (crosswalks only): searched only when a filter names it.
inline constexpr char kLegacySystem[] = "ICD9CM";

inline constexpr size_t kMaxQueryBytes = 512;
inline constexpr size_t kMaxLimit = 100;
inline constexpr size_t kMaxOffset = 10000;
inline constexpr size_t kMaxSuggestions = 10;

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_SEARCH_TYPES_H_
