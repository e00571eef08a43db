// Internal: turns query text into a plan against one index: which words,
// which alternatives (synonyms), which documents each matches. Used by
// SearchIndex::Search; not part of the public API.
//
// A plan is a conjunction of groups; a group is a disjunction of
// alternatives (the words typed, or a synonym's expansion); an alternative
// is a conjunction of words. Words typed are prefixes; synonym expansions
// are whole words. Every word also matches its stem class.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_QUERY_PLAN_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_QUERY_PLAN_H_

#include <cstdint>
#include <memory>
#include <roaring/roaring.hh>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "libs/search_engine/index_data.h"

namespace openencoder::search::internal {

// A document set read by a plan: a posting list or precomputed union of
// the index, borrowed (the index outlives every plan made against it), or
// a set the plan computed and owns. Shared so that a one-word alternative
// or a one-alternative group passes its set on without copying a bitmap
// of up to ~185,000 documents.
using DocSet = std::shared_ptr<const Roaring>;
DocSet Borrow(const Roaring& docs);
DocSet Own(Roaring docs);

struct PlannedWord {
  std::string text;  // Folded; for a code, NormalizeCode() of it.
  bool prefix = true;
  // Terms whose postings score this word individually: those it equals or
  // (typed) starts, then from `stem_only_from` on those that only share its
  // stem, which score a little lower ("hypertension" before "hypertensive").
  std::vector<uint32_t> scored_terms;
  size_t stem_only_from = 0;
  // The idf of the term equal to the word, when there is one (0 if not):
  // a completion scores at most that ("gout" must not rank "Goutieres"
  // above gout because the longer word is rarer).
  float exact_idf = 0;
  // Term ids [term_first, term_last) the word equals or (typed) starts: what
  // it highlights besides its stem class.
  uint32_t term_first = 0, term_last = 0;
  // Ids of the terms sharing the word's stem (IndexData::stem_terms), or
  // null when no term has it.
  const std::vector<uint32_t>* stem_class = nullptr;
  // Set when the prefix covers too many terms to score one by one: every
  // matching document not reached via `scored_terms` gets this weight.
  float broad_weight = 0;
  DocSet docs;  // Every document the word matches. Never null.
  // For a code-like word: document ids [code_begin, code_end) have codes
  // starting with it, [exact_begin, exact_end) equal it.
  bool code = false;
  // Typed with a dot ("E10.9"): an ICD-10 shape, so codes that never take a
  // dot (HCPCS E1090) do not match it as a prefix.
  bool dotted = false;
  uint32_t code_begin = 0, code_end = 0, exact_begin = 0, exact_end = 0;
};

struct Alternative {
  std::vector<PlannedWord> words;
  std::string synonym;  // "heart attack -> myocardial infarction"; empty
                        // for the words as typed.
  DocSet docs;          // Documents matching every word. Never null.
};

// One synonym entry resolved against an index: the alternatives a phrase
// match makes its group of, with their synonym texts ("heart attack ->
// myocardial infarction"), and the union of their documents. A phrase
// match's typed words are the entry's words, so they too are the same for
// every query unless one was typed as a code.
struct SynonymPlan {
  Alternative typed;  // The entry's words as typed (prefixes), none a code.
  std::vector<Alternative> expansions;
  DocSet expansion_docs;  // Union of the expansions' documents. Never null.
  DocSet docs;            // `typed`'s documents and expansion_docs. Never null.
};

struct Group {
  // The alternatives, in order: `typed` (the words as typed, unless
  // `synonym` has them), then for a synonym term its typed words (when
  // `typed` is empty) and its expansions, read from the index, not copied.
  std::vector<Alternative> typed;
  const SynonymPlan* synonym = nullptr;
  DocSet docs;  // Union of the alternatives' documents. Never null.

  template <typename Visit>
  void ForEachAlternative(Visit&& visit) const {
    for (const Alternative& alternative : typed) visit(alternative);
    if (synonym == nullptr) return;
    if (typed.empty()) visit(synonym->typed);
    for (const Alternative& alternative : synonym->expansions) visit(alternative);
  }
  size_t size() const { return synonym == nullptr ? typed.size() : 1 + synonym->expansions.size(); }
  const Alternative& front() const { return typed.empty() ? synonym->typed : typed.front(); }
  // One alternative of one word (most groups): its word's score is the
  // group's, and scoring needs no per-alternative sums.
  bool single_word() const { return size() == 1 && front().words.size() == 1; }
};

struct QueryPlan {
  std::vector<Group> groups;
  std::vector<std::string> corrections;       // "diabetis -> diabetes".
  std::vector<std::string> synonyms_applied;  // "chf -> heart failure".
  std::string corrected_query;                // The query with corrections; empty if none.
};

// `query` must already be validated (valid UTF-8, bounded). A query with no
// searchable words yields a plan with no groups.
QueryPlan PlanQuery(absl::string_view query, const IndexData& data);

// Resolves every entry of data.synonyms (IndexData::synonym_plans); needs
// the dictionary, postings, stem classes and word unions built.
std::vector<std::shared_ptr<const SynonymPlan>> PlanSynonyms(const IndexData& data);

// Whether ResolveWord(text, prefix, code, data, dotted) gives `word`:
// ResolveWord is a pure function of these, so a plan or a scoring pass
// may reuse a word resolved (or scored) before instead of repeating it.
inline bool ResolvesTo(const PlannedWord& word, absl::string_view text, bool prefix, bool code,
                       bool dotted) {
  return word.text == text && word.prefix == prefix && word.code == code &&
         word.dotted == (code && dotted);
}

// Resolves one word against the dictionary (exposed for Suggest and tests).
PlannedWord ResolveWord(std::string text, bool prefix, bool code, const IndexData& data,
                        bool dotted = false);

// [first, last) term ids starting with `prefix`.
std::pair<uint32_t, uint32_t> TermRange(absl::string_view prefix, const IndexData& data);
// [first, last) document ids whose normalised code starts with `prefix`.
std::pair<uint32_t, uint32_t> CodeRange(absl::string_view prefix, const IndexData& data);

}  // namespace openencoder::search::internal

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_QUERY_PLAN_H_
