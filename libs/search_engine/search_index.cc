// SearchIndex::Search: plan -> match set -> filters -> facets -> BM25F
// scoring of the filtered match set -> bounded top-k -> highlighted page.
#include "libs/search_engine/search_index.h"

#include <algorithm>
#include <array>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/search_engine/highlight.h"
#include "libs/search_engine/query_plan.h"
#include "libs/search_engine/text.h"

namespace openencoder::search {
namespace {

using internal::Alternative;
using internal::Group;
using internal::PlannedWord;
using internal::QueryPlan;

// Code boosts dwarf any word score (a BM25F word contributes at most a few
// points), so exact codes come first and code prefixes next.
constexpr float kExactCodeBoost = 1000;
constexpr float kCodePrefixBoost = 100;
// A word matched only through its stem ("hypertensive" for "hypertension")
// is a slightly weaker match than the word itself or its completions.
constexpr float kStemOnlyFactor = 0.9f;
// A deleted code keeps a fraction of its score: below the active codes a
// query matches as well, still above weaker matches (an exact code stays
// above every code prefix).
constexpr float kDeletedFactor = 0.4f;
// A header (category, subcategory, PCS table) is not a code to bill: it
// ranks a little below a billable code matching as well.
constexpr float kHeaderFactor = 0.85f;
// Below this ratio of candidates to a broad word's documents, probing each
// candidate in the word's bitmap beats walking the whole bitmap.
constexpr uint64_t kProbeRatio = 8;

// Per-thread scoring buffers, reused across queries so a query costs
// O(candidates + postings walked), never O(index size), and allocates
// nothing once the buffers have grown.
struct Scratch {
  std::vector<uint32_t> candidates;  // Sorted document ids.
  std::vector<float> word_best, alternative_sum, group_best, total;
  std::vector<uint16_t> groups_matched;
  // Per word of the query's alternatives (general path of Score): its
  // scores per candidate, so that a word repeated by synonym expansions
  // ("myocardial infarction" | "acute myocardial infarction") is scored
  // once. `scored_words[i]` owns `word_scores[i]`; capacity is reused.
  std::vector<const PlannedWord*> scored_words;
  std::vector<std::vector<float>> word_scores;

  // `alternatives`: whether some group is not Group::single_word(); only
  // those use (and clear) the per-alternative sums.
  // ScoreWord sizes and clears its output itself.
  void Prepare(bool alternatives) {
    const size_t n = candidates.size();
    if (alternatives) {
      alternative_sum.resize(n);
      group_best.resize(n);
    }
    total.assign(n, 0);
    groups_matched.assign(n, 0);
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// First position at or after `from` among the sorted ids id(0..n-1) whose
// id is >= `doc`: exponential then binary search, so a merge of a short
// list into a long one costs O(short * log(long / short)) and a merge of
// two lists of similar length stays linear.
template <typename Id>
size_t Gallop(size_t from, size_t n, uint32_t doc, Id id) {
  if (from >= n || id(from) >= doc) return from;
  size_t step = 1, lo = from, hi = from + 1;
  while (hi < n && id(hi) < doc) {
    lo = hi;
    step <<= 1;
    hi = from + step;
  }
  if (hi > n) hi = n;
  // id(lo) < doc; the answer is in (lo, hi].
  while (lo + 1 < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (id(mid) < doc) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

// Calls visit(slot, i) for every i-th entry of `docs[0, p)` (sorted) that is
// the candidate at `slot` (sorted `candidates[0, n)`), walking the shorter
// list and galloping in the longer.
template <typename Visit>
void MergeSorted(const internal::Posting* docs, size_t p, const uint32_t* candidates, size_t n,
                 Visit&& visit) {
  if (p == 0 || n == 0) return;
  const auto candidate = [candidates](size_t s) { return candidates[s]; };
  const auto entry = [docs](size_t i) { return docs[i].doc; };
  if (p <= n) {
    size_t s = 0;
    for (size_t i = 0; i < p; ++i) {
      s = Gallop(s, n, docs[i].doc, candidate);
      if (s == n) return;
      if (candidates[s] == docs[i].doc) visit(s, i);
    }
  } else {
    size_t i = 0;
    for (size_t s = 0; s < n; ++s) {
      i = Gallop(i, p, candidates[s], entry);
      if (i == p) return;
      if (docs[i].doc == candidates[s]) visit(s, i);
    }
  }
}

// Calls visit(slot) for every candidate in `docs`, reading the bitmap in
// batches (the per-element C++ iterator costs several times more).
template <typename Visit>
void ForEachCandidateIn(const Roaring& docs, const std::vector<uint32_t>& candidates,
                        Visit&& visit) {
  const size_t n = candidates.size();
  const auto candidate = [&candidates](size_t s) { return candidates[s]; };
  roaring_uint32_iterator_t it;
  roaring_init_iterator(&docs.roaring, &it);
  uint32_t batch[256];
  size_t s = 0;
  while (uint32_t count = roaring_read_uint32_iterator(&it, batch, 256)) {
    for (uint32_t j = 0; j < count; ++j) {
      s = Gallop(s, n, batch[j], candidate);
      if (s == n) return;
      if (candidates[s] == batch[j]) visit(static_cast<uint32_t>(s));
    }
  }
}

// Sets best[s] to the word's score for candidate s.
void ScoreWord(const PlannedWord& word, const internal::IndexData& data,
               const std::vector<uint32_t>& candidates, std::vector<float>& best) {
  best.resize(candidates.size());
  std::fill(best.begin(), best.end(), 0.0f);
  for (size_t k = 0; k < word.scored_terms.size(); ++k) {
    const internal::Postings& postings = data.postings[word.scored_terms[k]];
    const float capped =
        word.exact_idf > 0 && postings.idf > word.exact_idf ? word.exact_idf : postings.idf;
    const float idf = k < word.stem_only_from ? capped : capped * kStemOnlyFactor;
    if (!postings.dense.empty()) {
      const float* dense = postings.dense.data();
      for (uint32_t s = 0; s < candidates.size(); ++s) {
        best[s] = std::max(best[s], idf * dense[candidates[s]]);
      }
    } else {
      const internal::Posting* sparse = postings.sparse.data();
      MergeSorted(sparse, postings.sparse.size(), candidates.data(), candidates.size(),
                  [&](size_t s, size_t i) { best[s] = std::max(best[s], idf * sparse[i].weight); });
    }
  }
  if (word.broad_weight > 0) {
    auto give_broad = [&](uint32_t s) {
      if (best[s] == 0) best[s] = word.broad_weight;
    };
    if (word.docs->cardinality() > candidates.size() * kProbeRatio) {
      for (uint32_t s = 0; s < candidates.size(); ++s) {
        if (word.docs->contains(candidates[s])) give_broad(s);
      }
    } else {
      ForEachCandidateIn(*word.docs, candidates, give_broad);
    }
  }
  if (word.code && word.code_end > word.code_begin) {
    for (uint32_t s = 0; s < candidates.size(); ++s) {
      const uint32_t doc = candidates[s];
      if (doc >= word.exact_begin && doc < word.exact_end) {
        best[s] = std::max(best[s], kExactCodeBoost);
      } else if (doc >= word.code_begin && doc < word.code_end &&
                 !(word.dotted && data.undotted_docs.contains(doc))) {
        best[s] = std::max(best[s], kCodePrefixBoost);
      }
    }
  }
}

// The scores of `word` per candidate. A word that resolves like one scored
// before in this query (ResolvesTo) has the same postings and scores.
const std::vector<float>& WordScores(const PlannedWord& word, const internal::IndexData& data,
                                     Scratch& scratch) {
  for (size_t i = 0; i < scratch.scored_words.size(); ++i) {
    if (internal::ResolvesTo(*scratch.scored_words[i], word.text, word.prefix, word.code,
                             word.dotted)) {
      return scratch.word_scores[i];
    }
  }
  const size_t slot = scratch.scored_words.size();
  scratch.scored_words.push_back(&word);
  if (scratch.word_scores.size() <= slot) scratch.word_scores.emplace_back();
  ScoreWord(word, data, scratch.candidates, scratch.word_scores[slot]);
  return scratch.word_scores[slot];
}

void Score(const QueryPlan& plan, const internal::IndexData& data, bool partial, Scratch& scratch) {
  const size_t n = scratch.candidates.size();
  scratch.scored_words.clear();
  for (const Group& group : plan.groups) {
    // The word's score is the group's, with the same arithmetic as the
    // general path: 0 + x and max(0, x) are exact.
    if (group.single_word()) {
      ScoreWord(group.front().words.front(), data, scratch.candidates, scratch.word_best);
      for (size_t s = 0; s < n; ++s) {
        scratch.total[s] += scratch.word_best[s];
        if (partial && scratch.word_best[s] > 0) ++scratch.groups_matched[s];
      }
      continue;
    }
    std::fill(scratch.group_best.begin(), scratch.group_best.end(), 0.0f);
    group.ForEachAlternative([&](const Alternative& alternative) {
      std::fill(scratch.alternative_sum.begin(), scratch.alternative_sum.end(), 0.0f);
      for (const PlannedWord& word : alternative.words) {
        const std::vector<float>& best = WordScores(word, data, scratch);
        for (size_t s = 0; s < n; ++s) {
          scratch.alternative_sum[s] += best[s];
        }
      }
      for (size_t s = 0; s < n; ++s) {
        scratch.group_best[s] = std::max(scratch.group_best[s], scratch.alternative_sum[s]);
      }
    });
    for (size_t s = 0; s < n; ++s) {
      scratch.total[s] += scratch.group_best[s];
      if (scratch.group_best[s] > 0) ++scratch.groups_matched[s];
    }
  }
  if (partial) {
    // Matching more of the words matters more than how well each matched.
    const float groups = static_cast<float>(plan.groups.size());
    for (size_t s = 0; s < n; ++s) {
      scratch.total[s] *= scratch.groups_matched[s] / groups;
    }
  }
}

// The plan's words for the highlighter, with their stem classes as words:
// titles are indexed text, so no title word needs the stemmer.
std::vector<HighlightWord> HighlightWords(const QueryPlan& plan, const internal::IndexData& data) {
  std::vector<HighlightWord> words;
  for (const Group& group : plan.groups) {
    group.ForEachAlternative([&](const Alternative& alternative) {
      for (const PlannedWord& word : alternative.words) {
        if (word.code) continue;
        HighlightWord& h = words.emplace_back();
        h.text = word.text;
        h.prefix = word.prefix;
        h.stem_words_known = true;
        if (word.stem_class != nullptr) {
          for (uint32_t t : *word.stem_class) h.stem_words.push_back(data.terms[t]);
        }
      }
    });
  }
  return words;
}

// At most this many reasons per hit, for one allocation of `reasons`
// instead of a growth from 1: a synonym per alternative, a code reason per
// code word, "words", the corrections and one Index entry.
size_t MaxReasons(const QueryPlan& plan) {
  size_t n = 2 + plan.corrections.size();
  for (const Group& group : plan.groups) {
    group.ForEachAlternative([&](const Alternative& alternative) {
      n += alternative.synonym.empty() ? alternative.words.size() : 1;
    });
  }
  return n;
}

std::vector<MatchReason> Reasons(const QueryPlan& plan, uint32_t doc,
                                 const internal::IndexData& data, size_t max_reasons) {
  std::vector<MatchReason> reasons;
  reasons.reserve(max_reasons);
  bool words = false;
  for (const Group& group : plan.groups) {
    group.ForEachAlternative([&](const Alternative& alternative) {
      if (!alternative.synonym.empty()) {
        if (alternative.docs->contains(doc)) {
          reasons.push_back({MatchReason::Kind::kSynonym, alternative.synonym});
        }
        return;
      }
      for (const PlannedWord& word : alternative.words) {
        if (word.code && doc >= word.exact_begin && doc < word.exact_end) {
          reasons.push_back({MatchReason::Kind::kExactCode, word.text});
        } else if (word.code && doc >= word.code_begin && doc < word.code_end &&
                   !(word.dotted && data.undotted_docs.contains(doc))) {
          reasons.push_back({MatchReason::Kind::kCodePrefix, word.text});
        } else if (word.docs->contains(doc)) {
          words = true;
        }
      }
    });
  }
  if (words) reasons.push_back({MatchReason::Kind::kWords, ""});
  for (const std::string& correction : plan.corrections) {
    reasons.push_back({MatchReason::Kind::kSpelling, correction});
  }
  return reasons;
}

// The dictionary terms the plan's words highlight (HighlightWords as term
// ids), for text tokenised at build time.
TermIdMatcher HighlightTermIds(const QueryPlan& plan) {
  TermIdMatcher ids;
  for (const Group& group : plan.groups) {
    group.ForEachAlternative([&](const Alternative& alternative) {
      for (const PlannedWord& word : alternative.words) {
        if (word.code) continue;
        ids.AddRange(word.term_first, word.term_last);
        if (word.stem_class != nullptr) ids.AddIds(*word.stem_class);
      }
    });
  }
  ids.Finish();
  return ids;
}

// The Alphabetic Index entry of `doc` that best covers the query's words
// (most highlighted words, then the shortest path), as a reason: "Attack,
// attacks, heart -> see infarct, myocardium (I21.-)". None when no entry
// holds a word of every group. The entries' words were tokenised by the
// build (IndexData::entry_words): a word is an id tested against `ids`,
// and only a word outside the dictionary goes through the text matcher.
void AddIndexReason(uint32_t doc, const internal::IndexData& data, const TermIdMatcher& ids,
                    const HighlightMatcher& words, size_t groups,
                    std::vector<MatchReason>* reasons) {
  // The builder keeps the kMaxReasonEntries shortest: a code with dozens of
  // entries must not cost dozens of highlights per hit.
  const uint32_t dictionary = static_cast<uint32_t>(data.terms.size());
  const uint32_t* entry_words = data.entry_words.data() + data.entry_begin[doc];
  const internal::DocStore& store = data.store;
  std::optional<internal::DocStore::Entry> best;
  size_t best_spans = 0;
  for (size_t e = 0; e < store.entry_count(doc); ++e) {
    const internal::DocStore::Entry entry = store.entry(doc, e);
    const uint32_t count = *entry_words++;
    size_t spans = 0;
    for (uint32_t k = 0; k < count; ++k) {
      const uint32_t id = entry_words[k];
      spans += id < dictionary ? ids.Contains(id)
                               : words.Matches(data.entry_extra_words[id - dictionary]);
    }
    entry_words += count;
    if (spans > best_spans || (spans == best_spans && best.has_value() && spans > 0 &&
                               entry.path.size() < best->path.size())) {
      best = entry;
      best_spans = spans;
    }
  }
  if (!best.has_value() || best_spans < groups) return;
  std::string detail(best->path);
  if (!best->see.empty()) absl::StrAppend(&detail, " -> see ", best->see);
  if (!best->category.empty()) absl::StrAppend(&detail, " (", best->category, ")");
  reasons->push_back({MatchReason::Kind::kIndex, std::move(detail)});
}

}  // namespace

absl::Status ValidateQueryText(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("query is empty");
  if (text.size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("query is ", text.size(), " bytes; the limit is ", kMaxQueryBytes));
  }
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError("query is not valid UTF-8");
  }
  // Non-ASCII bytes belong to letters of other scripts; they count.
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c >= 0x80) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "query has no letter or digit; type a code (E11.9) or words (heart attack)");
}

absl::StatusOr<SearchResponse> SearchIndex::Search(const SearchRequest& request) const {
  if (absl::Status status = ValidateQueryText(request.query); !status.ok()) {
    return status;
  }
  if (request.limit == 0 || request.limit > kMaxLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be 1..", kMaxLimit, ", got ", request.limit));
  }
  if (request.offset > kMaxOffset) {
    return absl::InvalidArgumentError(
        absl::StrCat("offset must be at most ", kMaxOffset, ", got ", request.offset));
  }
  QueryPlan plan = internal::PlanQuery(request.query, data_);
  if (plan.groups.empty()) {
    return absl::InvalidArgumentError("query has no letters or digits");
  }

  SearchResponse response;
  // Moved, not copied: only the corrections are read again (Reasons).
  response.corrected_query = std::move(plan.corrected_query);
  response.corrections = plan.corrections;
  response.synonyms_applied = std::move(plan.synonyms_applied);

  // Borrowed from the plan (often from the index) until a filter or a
  // second group makes a new set: most searches copy no bitmap here.
  internal::DocSet matches = plan.groups.front().docs;
  if (plan.groups.size() > 1) {
    Roaring all = *plan.groups[0].docs & *plan.groups[1].docs;
    for (size_t g = 2; g < plan.groups.size() && !all.isEmpty(); ++g) {
      all &= *plan.groups[g].docs;
    }
    matches = internal::Own(std::move(all));
  }
  bool partial = false;
  if (matches->isEmpty() && plan.groups.size() > 1) {
    std::vector<const Roaring*> sets;
    for (const Group& group : plan.groups) sets.push_back(group.docs.get());
    matches = internal::Own(Roaring::fastunion(sets.size(), sets.data()));
    partial = !matches->isEmpty();
  }
  response.partial_match = partial;

  if (std::optional<Roaring> filter = Filter(request.filters)) {
    *filter &= *matches;
    matches = internal::Own(*std::move(filter));
  }
  Scratch& scratch = ThreadScratch();
  std::vector<uint32_t>& candidates = scratch.candidates;
  candidates.resize(matches->cardinality());
  matches->toUint32Array(candidates.data());
  // Facets count every system (a client can offer ICD-9-CM as a filter);
  // the candidates keep the systems asked for, by default every one but
  // ICD-9-CM: current code sets first.
  const std::vector<std::string>& systems = data_.system_names;
  std::array<uint32_t, 256> per_system{};
  for (uint32_t doc : candidates) ++per_system[data_.doc_system[doc]];
  std::array<bool, 256> keep{};
  for (size_t s = 0; s < systems.size(); ++s) {
    if (per_system[s] > 0) response.facets.push_back({systems[s], per_system[s]});
    keep[s] = request.filters.systems.empty()
                  ? systems[s] != kLegacySystem
                  : std::find(request.filters.systems.begin(), request.filters.systems.end(),
                              systems[s]) != request.filters.systems.end();
  }
  std::erase_if(candidates, [&](uint32_t doc) { return !keep[data_.doc_system[doc]]; });
  response.total = candidates.size();
  if (response.total == 0 || request.offset >= response.total) {
    return response;
  }

  scratch.Prepare(std::any_of(plan.groups.begin(), plan.groups.end(),
                              [](const Group& g) { return !g.single_word(); }));
  Score(plan, data_, partial, scratch);
  for (uint32_t s = 0; s < candidates.size(); ++s) {
    const uint8_t bits = data_.tie_break[candidates[s]];
    if (bits & internal::kHeaderBit) scratch.total[s] *= kHeaderFactor;
    if (bits & internal::kDeletedBit) scratch.total[s] *= kDeletedFactor;
  }

  // Bounded heap of the best offset+limit slots; its top is the worst kept.
  auto better = [&](uint32_t a, uint32_t b) {
    if (scratch.total[a] != scratch.total[b]) {
      return scratch.total[a] > scratch.total[b];
    }
    // Billable first, then shorter code, then code order and system.
    const uint8_t ka = data_.tie_break[candidates[a]];
    const uint8_t kb = data_.tie_break[candidates[b]];
    if (ka != kb) return ka < kb;
    return candidates[a] < candidates[b];
  };
  const size_t k = std::min(request.offset + request.limit, candidates.size());
  std::vector<uint32_t> heap;
  heap.reserve(k);
  for (uint32_t s = 0; s < candidates.size(); ++s) {
    if (heap.size() < k) {
      heap.push_back(s);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(s, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = s;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), better);

  const std::vector<HighlightWord> words = HighlightWords(plan, data_);
  const HighlightMatcher highlight(words);
  // Built at the first hit with index entries, only if one has them.
  std::optional<TermIdMatcher> term_ids;
  const size_t max_reasons = MaxReasons(plan);
  response.hits.reserve(heap.size() - std::min(heap.size(), request.offset));
  for (size_t i = request.offset; i < heap.size(); ++i) {
    const uint32_t doc = candidates[heap[i]];
    const internal::DocStore& store = data_.store;
    Hit hit;
    hit.system = std::string(store.system(doc));
    hit.code = std::string(store.code(doc));
    hit.display_code = std::string(store.display_code(doc));
    hit.title = std::string(store.title(doc));
    hit.billable = store.billable(doc);
    hit.deleted = store.deleted(doc);
    hit.score = scratch.total[heap[i]];
    hit.title_spans = HighlightSpans(hit.title, highlight);
    hit.snippet = MarkSnippet(hit.title, hit.title_spans);
    hit.reasons = Reasons(plan, doc, data_, max_reasons);
    if (store.has_entries(doc)) {
      if (!term_ids.has_value()) term_ids = HighlightTermIds(plan);
      AddIndexReason(doc, data_, *term_ids, highlight, plan.groups.size(), &hit.reasons);
    }
    response.hits.push_back(std::move(hit));
  }
  return response;
}

}  // namespace openencoder::search
