// Internal: the immutable data of one SearchIndex, written by IndexBuilder
// and read by SearchIndex. Not part of the public API.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_DATA_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_DATA_H_

#include <cstdint>
#include <memory>
#include <roaring/roaring.hh>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "libs/search_engine/doc_store.h"
#include "libs/search_engine/search_types.h"
#include "libs/search_engine/spell_corrector.h"
#include "libs/search_engine/synonym_table.h"

namespace openencoder::search::internal {

struct SynonymPlan;  // query_plan.h

// One entry of a sparse posting list: the document and the term's BM25F
// weight in it (saturated tf: tf'/(k1+tf'), in (0, 1)), side by side so
// that scoring reads one cache line for both.
struct Posting {
  uint32_t doc;
  float weight;
};

// Documents containing one dictionary term, with the term's BM25F weight in
// each: `sparse` lists them in document order. Scoring merges it with the
// sorted candidates (galloping over the longer side), so it needs neither
// Roaring rank() nor per-document arrays.
// A term in more than 1/kDenseDivisor of the documents keeps its weights
// by document id instead (`dense`, 0 where absent, `sparse` empty): a
// query then reads a candidate's weight directly.
struct Postings {
  Roaring docs;
  std::vector<Posting> sparse;  // In document order.
  std::vector<float> dense;     // Weights indexed by document id.
  float idf = 0;
};

struct IndexData {
  // Document id = position, in (normalised code, system) order: a code
  // prefix is a contiguous id range, so code prefixes and code ranges are
  // Roaring ranges. `docs` holds them while IndexBuilder::Build() works;
  // the built index keeps them packed in `store` (docs is empty then).
  std::vector<SearchDocument> docs;
  DocStore store;
  std::vector<std::string> codes;  // NormalizeCode(docs[i].code).
  // Tie-break key per document, smaller first: non-billable adds
  // kHeaderBit, deleted kDeletedBit, legacy (ICD-9-CM) kLegacyBit, plus the
  // code length (at most 7). Scoring reads the bits too: one byte per
  // candidate instead of a bitmap probe. Kept apart from `docs` so ranking many equal scores
  // does not touch (and miss the cache on) whole documents.
  std::vector<uint8_t> tie_break;

  // Term dictionary: sorted, so a prefix is a contiguous range.
  std::vector<std::string> terms;
  std::vector<Postings> postings;  // Aligned with `terms`.
  // Stem -> ids of the terms with that stem. Node-based, so the classes
  // stay put and `term_stem_class` can point at them.
  absl::node_hash_map<std::string, std::vector<uint32_t>> stem_terms;
  // Aligned with `terms`: &stem_terms[Stem(terms[t])], so a query word
  // that is a dictionary term (every synonym expansion, most typed words)
  // finds its stem class without running the stemmer.
  std::vector<const std::vector<uint32_t>*> term_stem_class;
  // Prefixes of up to kPrecomputedPrefix characters: the most frequent
  // terms starting with them (autocomplete).
  absl::flat_hash_map<std::string, std::vector<uint32_t>> prefix_top_terms;
  // What a typed (prefix) word matches, precomputed where computing it per
  // keystroke is costly: keyed by the folded word, for every prefix of up
  // to kMaxUnionPrefix characters and every whole term whose match set
  // (terms starting with it plus the terms sharing its stem) is at least
  // kMinUnionTerms terms with at least kMinUnionDocs postings in all.
  struct WordUnion {
    Roaring docs;             // Documents of every term the word matches.
    uint64_t range_docs = 0;  // Documents of the terms starting with it.
  };
  absl::flat_hash_map<std::string, WordUnion> word_unions;
  // The same for a whole word (a synonym's expansion): the term and the
  // terms sharing its stem.
  absl::flat_hash_map<std::string, WordUnion> whole_word_unions;

  // Code systems by id, in name order, and each document's system id:
  // facets and the systems filter read one byte per match. Systems
  // interleave in code order, so their bitmaps are thousands of runs and
  // intersecting a match set with each cost more than a small query's
  // scoring.
  std::vector<std::string> system_names;
  std::vector<uint8_t> doc_system;
  absl::flat_hash_map<std::string, Roaring> chapter_docs;
  Roaring billable_docs;
  Roaring deleted_docs;              // Rank below active ones.
  Roaring undotted_docs;             // HCPCS and CPT: their codes never take a dot.
  Roaring undated_docs;              // No effective_from/to: always active.
  std::vector<uint32_t> dated_docs;  // The rest, checked per query.
  Roaring all_docs;

  // The words of each document's kept index_terms paths, tokenised at
  // build time for the match reason (which weighs up to kMaxReasonEntries
  // entries per hit): document d's are entry_words[entry_begin[d],
  // entry_begin[d + 1]), per entry (in index_terms order) its word count
  // then its words' term ids. A word outside the dictionary (a function
  // word in no title) is terms.size() + its position in entry_extra_words.
  std::vector<uint32_t> entry_words;
  std::vector<uint32_t> entry_begin;
  std::vector<std::string> entry_extra_words;

  SpellCorrector speller;
  SynonymTable synonyms;
  // By SynonymTable::Entry::id: each entry's expansions resolved against
  // this index (PlanSynonyms). An expansion is whole words fixed by the
  // table, so its words, their match sets and the union of the
  // expansions are the same for every query: "heart attack" spent a third
  // of its time planning "myocardial infarction" and "acute myocardial
  // infarction" again.
  std::vector<std::shared_ptr<const SynonymPlan>> synonym_plans;
};

// Index entries kept per document after the build, shortest first: those
// the match reason looks at (the rest only weighed the postings).
inline constexpr size_t kMaxReasonEntries = 12;
inline constexpr uint8_t kHeaderBit = 128;
inline constexpr uint8_t kDeletedBit = 64;
inline constexpr uint8_t kLegacyBit = 32;
inline constexpr size_t kPrecomputedPrefix = 3;
inline constexpr size_t kDenseDivisor = 16;
inline constexpr size_t kMaxUnionPrefix = 8;
inline constexpr size_t kMinUnionTerms = 2;
// 512, not 2048: a synonym's whole words ("attack", "infarction") ORed
// their stem classes per query (7-8 % of a word query); 256 saved more but
// cost the server ~15 MB of its 250 MB budget.
inline constexpr uint64_t kMinUnionDocs = 512;
inline constexpr size_t kMaxScoredExpansion = 128;

}  // namespace openencoder::search::internal

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_DATA_H_
