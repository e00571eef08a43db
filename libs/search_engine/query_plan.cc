#include "libs/search_engine/query_plan.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/search_engine/stemmer.h"
#include "libs/search_engine/text.h"

namespace openencoder::search::internal {
namespace {

// A code needs 3 characters to be told from a word ("mi", "2").
constexpr size_t kMinCodeChars = 3;
// Broad prefixes say little about relevance; half the saturation keeps
// them below any fully scored word.
constexpr float kBroadSaturation = 0.5f;
// Up to this many sets, a union is a chain of in-place ORs; see UnionOf.
constexpr size_t kMaxPairwiseUnion = 16;

struct QueryWord {
  std::string text;
  size_t begin = 0;  // Byte span in the query, for the corrected query.
  size_t end = 0;
  bool code = false;
  bool dotted = false;
};

bool IsSpace(char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }

std::vector<QueryWord> SplitQuery(absl::string_view query) {
  std::vector<QueryWord> words;
  size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && IsSpace(query[i])) ++i;
    size_t end = i;
    while (end < query.size() && !IsSpace(query[end])) ++end;
    // Trim punctuation around a chunk so "E11.9," still reads as a code.
    size_t b = i, e = end;
    while (b < e && !absl::ascii_isalnum(static_cast<unsigned char>(query[b]))) ++b;
    while (e > b && !absl::ascii_isalnum(static_cast<unsigned char>(query[e - 1]))) --e;
    const absl::string_view chunk = query.substr(b, e - b);
    if (!chunk.empty() && LooksLikeCode(chunk, kMinCodeChars)) {
      words.push_back(
          {NormalizeCode(chunk), b, e, true, chunk.find('.') != absl::string_view::npos});
    } else {
      for (Token& token : Tokenize(query.substr(i, end - i))) {
        words.push_back({std::move(token.text), i + token.begin, i + token.end, false});
      }
    }
    i = end;
  }
  return words;
}

std::vector<std::string> Texts(const std::vector<QueryWord>& words) {
  std::vector<std::string> texts;
  texts.reserve(words.size());
  for (const QueryWord& word : words) texts.push_back(word.text);
  return texts;
}

float Idf(uint64_t df, size_t n) {
  return std::log(1.0f + (static_cast<float>(n) - df + 0.5f) / (df + 0.5f));
}

// Union of a few posting lists. Roaring::fastunion ORs lazily into
// bitset containers and then counts and converts every one back, which
// costs far more than the OR itself when the lists are short; in-place
// ORs keep short lists as arrays.
Roaring UnionOf(std::vector<const Roaring*>& sets) {
  if (sets.empty()) return Roaring();
  if (sets.size() > kMaxPairwiseUnion) {
    return Roaring::fastunion(sets.size(), sets.data());
  }
  if (sets.size() == 1) return *sets.front();
  // The first OR makes a new set sized for both: copying the first set and
  // OR-ing into it grew (reallocated) its containers, a third of the cost.
  Roaring out = *sets[0] | *sets[1];
  for (size_t i = 2; i < sets.size(); ++i) out |= *sets[i];
  return out;
}

DocSet Intersect(const std::vector<PlannedWord>& words) {
  if (words.empty()) return Own(Roaring());
  if (words.size() == 1) return words.front().docs;
  Roaring out = *words[0].docs & *words[1].docs;
  for (size_t i = 2; i < words.size() && !out.isEmpty(); ++i) {
    out &= *words[i].docs;
  }
  return Own(std::move(out));
}

// Union of `sets`, borrowing instead of copying when there is only one.
DocSet Union(const std::vector<const DocSet*>& sets) {
  if (sets.size() == 1) return *sets.front();
  std::vector<const Roaring*> roarings;
  roarings.reserve(sets.size());
  for (const DocSet* set : sets) roarings.push_back(set->get());
  return Own(UnionOf(roarings));
}

// The words PlanSynonyms has resolved so far. Synonym expansions repeat
// words ("myocardial infarction" | "acute myocardial infarction"), and
// resolving one costs term ranges, the stem class and often a union of
// postings; a copy of one resolved before is the same (ResolvesTo). A
// query's own words rarely repeat now that its synonyms come from the
// build, so PlanQuery resolves them directly rather than copy each into a
// memo.
class ResolvedWords {
 public:
  PlannedWord Resolve(const std::string& text, bool prefix, bool code, const IndexData& data,
                      bool dotted) {
    for (const PlannedWord& word : words_) {
      if (ResolvesTo(word, text, prefix, code, dotted)) return word;
    }
    return words_.emplace_back(ResolveWord(text, prefix, code, data, dotted));
  }

 private:
  std::vector<PlannedWord> words_;
};

// The words of `texts` resolved (through `memo` when there is one) and the
// documents matching all of them.
Alternative MakeAlternative(const std::vector<std::string>& texts, bool prefix,
                            const std::vector<bool>& codes, const IndexData& data,
                            ResolvedWords* memo, const std::vector<bool>& dotted = {}) {
  Alternative alternative;
  const bool all_stop = std::all_of(texts.begin(), texts.end(), IsStopWord);
  for (size_t i = 0; i < texts.size(); ++i) {
    // Function words are optional unless they are all there is.
    if (!all_stop && IsStopWord(texts[i])) continue;
    const bool code = codes.empty() ? false : codes[i];
    const bool dot = dotted.empty() ? false : dotted[i];
    alternative.words.push_back(memo != nullptr ? memo->Resolve(texts[i], prefix, code, data, dot)
                                                : ResolveWord(texts[i], prefix, code, data, dot));
  }
  alternative.docs = Intersect(alternative.words);
  return alternative;
}

bool HasDictionaryMatch(const std::string& word, const IndexData& data) {
  const auto [first, last] = TermRange(word, data);
  return first != last || data.stem_terms.contains(Stem(word));
}

}  // namespace

DocSet Borrow(const Roaring& docs) {
  // Aliasing constructor with no owner: no allocation, no reference count.
  return DocSet(std::shared_ptr<const void>(), &docs);
}

DocSet Own(Roaring docs) { return std::make_shared<const Roaring>(std::move(docs)); }

std::pair<uint32_t, uint32_t> TermRange(absl::string_view prefix, const IndexData& data) {
  const auto first = std::lower_bound(
      data.terms.begin(), data.terms.end(), prefix,
      [](const std::string& t, absl::string_view p) { return absl::string_view(t) < p; });
  const auto last = std::partition_point(
      first, data.terms.end(), [&](const std::string& t) { return absl::StartsWith(t, prefix); });
  return {static_cast<uint32_t>(first - data.terms.begin()),
          static_cast<uint32_t>(last - data.terms.begin())};
}

std::pair<uint32_t, uint32_t> CodeRange(absl::string_view prefix, const IndexData& data) {
  const auto first = std::lower_bound(
      data.codes.begin(), data.codes.end(), prefix,
      [](const std::string& c, absl::string_view p) { return absl::string_view(c) < p; });
  const auto last = std::partition_point(
      first, data.codes.end(), [&](const std::string& c) { return absl::StartsWith(c, prefix); });
  return {static_cast<uint32_t>(first - data.codes.begin()),
          static_cast<uint32_t>(last - data.codes.begin())};
}

namespace {

// Sets the code ranges of a code-like word; true when some code starts
// with it.
bool CodeRangeOf(PlannedWord& word, const IndexData& data) {
  std::tie(word.code_begin, word.code_end) = CodeRange(word.text, data);
  word.exact_begin = word.code_begin;
  word.exact_end = word.code_begin;
  while (word.exact_end < word.code_end && data.codes[word.exact_end] == word.text) {
    ++word.exact_end;
  }
  return word.code_end > word.code_begin;
}

}  // namespace

PlannedWord ResolveWord(std::string text, bool prefix, bool code, const IndexData& data,
                        bool dotted) {
  PlannedWord word;
  word.dotted = code && dotted;
  word.text = std::move(text);
  word.prefix = prefix;
  word.code = code;
  std::vector<uint32_t> terms;
  std::vector<const Roaring*> sets;
  uint32_t first = 0, last = 0;
  if (prefix) {
    std::tie(first, last) = TermRange(word.text, data);
  } else {
    std::tie(first, last) = TermRange(word.text, data);
    // Whole word: only the term equal to the text, which sorts first.
    last = (first != last && data.terms[first] == word.text) ? first + 1 : first;
  }
  word.term_first = first;
  word.term_last = last;
  const bool broad = last - first > kMaxScoredExpansion;
  if (!broad) {
    for (uint32_t t = first; t < last; ++t) terms.push_back(t);
  }
  // A dictionary term sorts first in its own range; its class is known.
  if (first != last && data.terms[first] == word.text) {
    word.stem_class = data.term_stem_class[first];
    word.exact_idf = data.postings[first].idf;
  } else if (auto it = data.stem_terms.find(Stem(word.text)); it != data.stem_terms.end()) {
    word.stem_class = &it->second;
  }
  if (word.stem_class != nullptr) {
    terms.insert(terms.end(), word.stem_class->begin(), word.stem_class->end());
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  const bool code_range = code && CodeRangeOf(word, data);

  // Wide words have their match set precomputed: OR-ing the postings per
  // keystroke was the largest cost of a query.
  const IndexData::WordUnion* cached = nullptr;
  if (first != last) {
    const auto& unions = prefix ? data.word_unions : data.whole_word_unions;
    if (auto it = unions.find(word.text); it != unions.end()) {
      cached = &it->second;
    }
  }
  Roaring broad_docs;  // The range's union, when broad and not cached.
  if (broad) {
    uint64_t range_docs = 0;
    if (cached != nullptr) {
      range_docs = cached->range_docs;
    } else {
      std::vector<const Roaring*> all;
      for (uint32_t t = first; t < last; ++t) all.push_back(&data.postings[t].docs);
      broad_docs = UnionOf(all);
      range_docs = broad_docs.cardinality();
      sets.push_back(&broad_docs);
    }
    word.broad_weight = Idf(range_docs, data.codes.size()) * kBroadSaturation;
  }
  if (cached != nullptr) {
    sets.push_back(&cached->docs);
  } else {
    for (uint32_t t : terms) {
      if (broad && t >= first && t < last) continue;  // In `broad_docs`.
      sets.push_back(&data.postings[t].docs);
    }
  }
  if (sets.size() == 1 && sets.front() != &broad_docs && !code_range) {
    word.docs = Borrow(*sets.front());
  } else {
    Roaring docs =
        sets.size() == 1 && sets.front() == &broad_docs ? std::move(broad_docs) : UnionOf(sets);
    if (code_range) {
      Roaring range;
      range.addRange(word.code_begin, word.code_end);
      if (word.dotted) {
        // Exact codes stay; prefixes only of codes that take a dot.
        Roaring exact;
        if (word.exact_end > word.exact_begin) exact.addRange(word.exact_begin, word.exact_end);
        range -= data.undotted_docs;
        range |= exact;
      }
      docs |= range;
    }
    word.docs = Own(std::move(docs));
  }
  // Stem-only terms last; see PlannedWord::stem_only_from.
  word.stem_only_from = static_cast<size_t>(
      std::stable_partition(terms.begin(), terms.end(),
                            [&](uint32_t t) { return t >= first && t < last; }) -
      terms.begin());
  word.scored_terms = std::move(terms);
  return word;
}

std::vector<std::shared_ptr<const SynonymPlan>> PlanSynonyms(const IndexData& data) {
  std::vector<std::shared_ptr<const SynonymPlan>> plans;
  plans.reserve(data.synonyms.size());
  ResolvedWords resolved;
  for (size_t id = 0; id < data.synonyms.size(); ++id) {
    const SynonymTable::Entry& entry = data.synonyms.entry(id);
    auto plan = std::make_shared<SynonymPlan>();
    std::vector<const DocSet*> sets;
    for (size_t e = 0; e < entry.expansions.size(); ++e) {
      Alternative& alternative = plan->expansions.emplace_back(
          MakeAlternative(entry.expansions[e], false, {}, data, &resolved));
      alternative.synonym = absl::StrCat(entry.term, " -> ", entry.expansion_texts[e]);
    }
    for (const Alternative& alternative : plan->expansions) sets.push_back(&alternative.docs);
    plan->expansion_docs = sets.empty() ? Own(Roaring()) : Union(sets);
    // As PlanQuery resolves the words when none is a code.
    plan->typed = MakeAlternative(entry.words, true, {}, data, &resolved);
    plan->docs = Union({&plan->typed.docs, &plan->expansion_docs});
    plans.push_back(std::move(plan));
  }
  return plans;
}

QueryPlan PlanQuery(absl::string_view query, const IndexData& data) {
  QueryPlan plan;
  std::vector<QueryWord> words = SplitQuery(query);
  if (words.empty()) return plan;

  // Spelling first, but never "correct" a word a synonym is about to
  // explain ("gerd" is not a misspelling of "herd").
  std::vector<bool> covered(words.size(), false);
  for (const auto& match : data.synonyms.FindPhrases(Texts(words))) {
    for (size_t i = match.begin; i < match.end; ++i) covered[i] = true;
  }
  std::string corrected(query);
  bool any_correction = false;
  for (size_t i = words.size(); i-- > 0;) {  // Back to front: spans stay valid.
    QueryWord& word = words[i];
    if (word.code || covered[i] || HasDictionaryMatch(word.text, data)) continue;
    std::optional<std::string> fix = data.speller.Correct(word.text);
    if (!fix.has_value()) continue;
    plan.corrections.insert(plan.corrections.begin(), absl::StrCat(word.text, " -> ", *fix));
    corrected.replace(word.begin, word.end - word.begin, *fix);
    word.text = std::move(*fix);
    any_correction = true;
  }
  if (any_correction) plan.corrected_query = std::move(corrected);

  const std::vector<std::string> texts = Texts(words);
  const auto phrases = data.synonyms.FindPhrases(texts);
  const bool all_stop = std::all_of(texts.begin(), texts.end(), IsStopWord);
  size_t next_phrase = 0;
  for (size_t i = 0; i < words.size();) {
    Group group;
    if (next_phrase < phrases.size() && phrases[next_phrase].begin == i) {
      const auto& match = phrases[next_phrase++];
      // The entry was resolved when the index was built: its expansions
      // always, its words as typed unless one was typed as a code.
      const SynonymPlan& expanded = *data.synonym_plans[match.entry->id];
      group.synonym = &expanded;
      std::vector<bool> codes;
      for (size_t k = match.begin; k < match.end; ++k) codes.push_back(words[k].code);
      if (std::find(codes.begin(), codes.end(), true) == codes.end()) {
        group.docs = expanded.docs;
      } else {
        std::vector<std::string> typed(texts.begin() + match.begin, texts.begin() + match.end);
        group.typed.push_back(MakeAlternative(typed, true, codes, data, nullptr));
        group.docs = Union({&group.typed.front().docs, &expanded.expansion_docs});
      }
      for (const Alternative& alternative : expanded.expansions) {
        plan.synonyms_applied.push_back(alternative.synonym);
      }
      i = match.end;
    } else {
      if (!all_stop && IsStopWord(texts[i])) {
        ++i;
        continue;
      }
      group.typed.push_back(
          MakeAlternative({texts[i]}, true, {words[i].code}, data, nullptr, {words[i].dotted}));
      group.docs = group.typed.front().docs;
      ++i;
    }
    plan.groups.push_back(std::move(group));
  }
  return plan;
}

}  // namespace openencoder::search::internal
