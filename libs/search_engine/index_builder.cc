#include "libs/search_engine/index_builder.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/search_engine/query_plan.h"
#include "libs/search_engine/stemmer.h"
#include "libs/search_engine/text.h"

namespace openencoder::search {
namespace {

// BM25F: a word in the title counts most, then the short title, then the
// patient-facing text. The code itself is matched by code ranges instead.
enum Field { kTitle = 0, kShortTitle = 1, kLay = 2, kFieldCount = 3 };
constexpr float kFieldWeight[kFieldCount] = {3.0f, 2.0f, 1.0f};
constexpr float kK1 = 1.2f;
constexpr float kB = 0.75f;
// Entry points (Alphabetic Index paths, procedure terms) weigh a word by the
// shortest entry holding it: 1/(words of the entry), at most this much
// term frequency. "Hypothyroidism" (one word) leads to E03.9 more strongly
// than "Hypothyroidism, postprocedural" leads to E89.0, however many
// entries a code has.
constexpr float kEntryWeight = 2.0f;
// ... and, beyond the saturation, this bonus times the same weight: an entry
// that a query covers whole ("gout", "heart attack") is where coders land,
// which a title's word count alone cannot tell.
constexpr float kEntryBonus = 0.6f;

struct RawPosting {
  uint32_t doc;
  uint16_t tf[kFieldCount];
  float entry;  // Max over the document's entries of 1/(entry words).
};

// Fills data.word_unions and whole_word_unions (see IndexData). Needs terms,
// postings and stem_terms; the match set of a key is the one ResolveWord computes.
void CacheWordUnions(internal::IndexData& data) {
  const std::vector<std::string>& terms = data.terms;
  std::vector<const Roaring*> sets;
  std::vector<uint32_t> stem_extra;
  auto consider = [&](absl::string_view key, uint32_t first, uint32_t last, uint64_t range_postings,
                      auto& unions) {
    if (unions.contains(key)) return;
    stem_extra.clear();
    uint64_t postings = range_postings;
    if (auto it = data.stem_terms.find(Stem(key)); it != data.stem_terms.end()) {
      for (uint32_t t : it->second) {
        if (t >= first && t < last) continue;
        stem_extra.push_back(t);
        postings += data.postings[t].docs.cardinality();
      }
    }
    if (last - first + stem_extra.size() < internal::kMinUnionTerms ||
        postings < internal::kMinUnionDocs) {
      return;
    }
    sets.clear();
    for (uint32_t t = first; t < last; ++t) sets.push_back(&data.postings[t].docs);
    internal::IndexData::WordUnion word;
    word.range_docs = Roaring::fastunion(sets.size(), sets.data()).cardinality();
    for (uint32_t t : stem_extra) sets.push_back(&data.postings[t].docs);
    word.docs = Roaring::fastunion(sets.size(), sets.data());
    word.docs.runOptimize();
    word.docs.shrinkToFit();
    unions.emplace(std::string(key), std::move(word));
  };
  // Every prefix up to kMaxUnionPrefix characters: most have a small range
  // and no stem class worth a union, so those skip the stemmer.
  for (size_t length = 1; length <= internal::kMaxUnionPrefix; ++length) {
    size_t t = 0;
    while (t < terms.size()) {
      if (terms[t].size() < length) {
        ++t;
        continue;
      }
      const absl::string_view prefix(terms[t].data(), length);
      size_t end = t;
      uint64_t postings = 0;
      while (end < terms.size() && absl::StartsWith(terms[end], prefix)) {
        postings += data.postings[end].docs.cardinality();
        ++end;
      }
      if (postings * 2 >= internal::kMinUnionDocs) {
        consider(prefix, t, end, postings, data.word_unions);
      }
      t = end;
    }
  }
  // Longer terms typed in full ("fractures": stem class too), and every
  // term as a whole word.
  for (uint32_t t = 0; t < terms.size(); ++t) {
    consider(terms[t], t, t + 1, data.postings[t].docs.cardinality(), data.whole_word_unions);
    if (terms[t].size() <= internal::kMaxUnionPrefix) continue;
    const auto [first, last] = internal::TermRange(terms[t], data);
    uint64_t postings = 0;
    for (uint32_t r = first; r < last; ++r) {
      postings += data.postings[r].docs.cardinality();
    }
    consider(terms[t], first, last, postings, data.word_unions);
  }
}

// The child an index entry naming a category ("I21.-") should lead to
// first: the category's unspecified billable code (shortest), else its first
// billable code. -1 when the category has no billable descendant.
int64_t UnspecifiedChild(uint32_t category, const internal::IndexData& data) {
  const SearchDocument& parent = data.docs[category];
  const auto [first, last] = internal::CodeRange(data.codes[category], data);
  int64_t first_billable = -1, unspecified = -1;
  for (uint32_t d = first; d < last; ++d) {
    const SearchDocument& c = data.docs[d];
    if (d == category || !c.billable || c.deleted || c.system != parent.system) continue;
    if (first_billable < 0) first_billable = d;
    if (c.title.find("unspecified") != std::string::npos &&
        (unspecified < 0 || data.codes[d].size() < data.codes[unspecified].size())) {
      unspecified = d;
    }
  }
  return unspecified >= 0 ? unspecified : first_billable;
}

// Hangs each entry naming a category on the category's chosen child too, so
// "heart attack" (Attack, heart -> see Infarct, myocardium: I21.-) ranks
// I21.9 first rather than the header I21.
void MoveCategoryEntries(internal::IndexData& data) {
  std::vector<std::pair<uint32_t, IndexTermRef>> moved;
  for (uint32_t d = 0; d < data.docs.size(); ++d) {
    for (const IndexTermRef& entry : data.docs[d].index_terms) {
      if (!entry.subdivided || data.docs[d].billable) continue;
      const int64_t child = UnspecifiedChild(d, data);
      if (child < 0) continue;
      IndexTermRef copy = entry;
      copy.subdivided = false;
      // As the index writes it: "I21.-", "E11.2-".
      const std::string& shown = data.docs[d].display_code;
      copy.category = absl::StrCat(shown, shown.find('.') == std::string::npos ? ".-" : "-");
      moved.emplace_back(static_cast<uint32_t>(child), std::move(copy));
    }
  }
  for (auto& [child, entry] : moved) data.docs[child].index_terms.push_back(std::move(entry));
  // The category keeps what its own title says; the index's way in now
  // leads to the child.
  for (SearchDocument& d : data.docs) {
    if (!d.billable) {
      std::erase_if(d.index_terms, [](const IndexTermRef& e) { return e.subdivided; });
    }
    // Shortest first: the match reason looks at the first few only.
    std::stable_sort(
        d.index_terms.begin(), d.index_terms.end(),
        [](const IndexTermRef& a, const IndexTermRef& b) { return a.words < b.words; });
  }
}

// Procedure terms per document: the terms whose title words all appear in
// the title's tokens.
class ProcedureMatcher {
 public:
  explicit ProcedureMatcher(const std::vector<ProcedureTerm>& terms) : terms_(terms) {
    for (size_t i = 0; i < terms.size(); ++i) {
      by_first_[terms[i].title_words.front()].push_back(i);
      systems_.insert(terms[i].system);
    }
  }
  // Calls add(term) for each procedure term of `doc`.
  template <typename Add>
  void ForEachTerm(const SearchDocument& doc, const std::vector<Token>& title, Add&& add) {
    if (!systems_.contains(doc.system)) return;
    words_.clear();
    for (const Token& t : title) words_.insert(t.text);
    for (const std::string& word : words_) {
      auto it = by_first_.find(word);
      if (it == by_first_.end()) continue;
      for (size_t i : it->second) {
        const ProcedureTerm& term = terms_[i];
        if (term.system != doc.system) continue;
        bool all = true;
        for (const std::string& w : term.title_words) all = all && words_.contains(w);
        if (all) add(term.term);
      }
    }
  }

 private:
  const std::vector<ProcedureTerm>& terms_;
  absl::flat_hash_map<std::string, std::vector<size_t>> by_first_;
  absl::flat_hash_set<std::string> words_;
  absl::flat_hash_set<std::string> systems_;
};

// Fills data.entry_words, entry_begin and entry_extra_words (see
// IndexData) from the kept index_terms. `term_ids` maps a word to its id
// before sorting, `term_order[t]` is the pre-sort id of sorted term t.
void EncodeEntryWords(const absl::flat_hash_map<std::string, uint32_t>& term_ids,
                      const std::vector<uint32_t>& term_order, internal::IndexData& data) {
  std::vector<uint32_t> sorted_id(term_order.size());
  for (uint32_t t = 0; t < term_order.size(); ++t) sorted_id[term_order[t]] = t;
  const uint32_t dictionary = static_cast<uint32_t>(data.terms.size());
  absl::flat_hash_map<std::string, uint32_t> extra_ids;
  data.entry_begin.reserve(data.docs.size() + 1);
  for (const SearchDocument& d : data.docs) {
    data.entry_begin.push_back(static_cast<uint32_t>(data.entry_words.size()));
    for (const IndexTermRef& entry : d.index_terms) {
      const size_t count_at = data.entry_words.size();
      data.entry_words.push_back(0);
      ForEachToken(entry.path, [&](absl::string_view word, uint32_t, uint32_t) {
        uint32_t id;
        if (auto it = term_ids.find(word); it != term_ids.end()) {
          id = sorted_id[it->second];
        } else {
          auto [extra, inserted] = extra_ids.try_emplace(
              word, dictionary + static_cast<uint32_t>(data.entry_extra_words.size()));
          if (inserted) data.entry_extra_words.emplace_back(word);
          id = extra->second;
        }
        data.entry_words.push_back(id);
        ++data.entry_words[count_at];
      });
    }
  }
  data.entry_begin.push_back(static_cast<uint32_t>(data.entry_words.size()));
  data.entry_words.shrink_to_fit();
}

}  // namespace

absl::Status IndexBuilder::Add(SearchDocument document) {
  if (document.system.empty()) {
    return absl::InvalidArgumentError("document has no system");
  }
  if (NormalizeCode(document.code).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("document of ", document.system, " has no code"));
  }
  if (document.title.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(document.system, " ", document.code, " has no title"));
  }
  if (document.effective_from && document.effective_to &&
      *document.effective_from > *document.effective_to) {
    return absl::InvalidArgumentError(
        absl::StrCat(document.system, " ", document.code, " ends before it starts"));
  }
  if (!keys_.emplace(document.system, NormalizeCode(document.code)).second) {
    return absl::AlreadyExistsError(
        absl::StrCat(document.system, " ", document.code, " added twice"));
  }
  if (document.display_code.empty()) document.display_code = document.code;
  documents_.push_back(std::move(document));
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const SearchIndex>> IndexBuilder::Build() && {
  internal::IndexData data;
  const size_t n = documents_.size();

  // Documents in (code, system) order; see IndexData::docs.
  std::vector<std::string> codes(n);
  for (size_t i = 0; i < n; ++i) codes[i] = NormalizeCode(documents_[i].code);
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (codes[a] != codes[b]) return codes[a] < codes[b];
    return documents_[a].system < documents_[b].system;
  });
  data.docs.reserve(n);
  data.codes.reserve(n);
  data.tie_break.reserve(n);
  for (uint32_t i : order) {
    const SearchDocument& d = documents_[i];
    data.tie_break.push_back(static_cast<uint8_t>(
        (d.billable ? 0 : internal::kHeaderBit) + (d.deleted ? internal::kDeletedBit : 0) +
        (d.system == kLegacySystem ? internal::kLegacyBit : 0) +
        std::min<size_t>(codes[i].size(), 31)));
    data.docs.push_back(std::move(documents_[i]));
    data.codes.push_back(std::move(codes[i]));
  }
  documents_.clear();
  keys_.clear();
  MoveCategoryEntries(data);

  // Term frequencies per field, postings in document order by construction.
  absl::flat_hash_map<std::string, uint32_t> term_ids;
  std::vector<std::string> raw_terms;
  std::vector<std::vector<RawPosting>> raw_postings;
  std::vector<std::array<uint16_t, kFieldCount>> lengths(n);
  double total_length[kFieldCount] = {};
  size_t with_field[kFieldCount] = {};
  ProcedureMatcher procedures(procedure_terms_);
  std::string lay;
  std::vector<Token> other_tokens, title_tokens;
  auto posting_of = [&](const std::string& word, uint32_t doc) -> RawPosting& {
    auto [it, inserted] = term_ids.try_emplace(word, raw_terms.size());
    if (inserted) {
      raw_terms.push_back(word);
      raw_postings.emplace_back();
    }
    std::vector<RawPosting>& list = raw_postings[it->second];
    if (list.empty() || list.back().doc != doc) list.push_back({doc, {}, 0.0f});
    return list.back();
  };
  // An entry point's words, each weighted 1/(words of the entry); function
  // words neither count nor get a posting.
  // The entry's nonessential modifiers count as its words too, weighted
  // by the path's own words.
  auto add_entry = [&](absl::string_view text, absl::string_view modifiers, int path_words,
                       uint32_t doc) {
    other_tokens = Tokenize(text);
    size_t words = path_words > 0 ? static_cast<size_t>(path_words) : 0;
    if (words == 0) {
      for (const Token& t : other_tokens) words += IsStopWord(t.text) ? 0 : 1;
    }
    if (words == 0) return;
    const float weight = 1.0f / static_cast<float>(words);
    for (int part = 0; part < 2; ++part) {
      if (part == 1) {
        if (modifiers.empty()) break;
        other_tokens = Tokenize(modifiers);
      }
      for (const Token& t : other_tokens) {
        if (IsStopWord(t.text)) continue;
        RawPosting& p = posting_of(t.text, doc);
        p.entry = std::max(p.entry, weight);
      }
    }
  };
  for (uint32_t doc = 0; doc < n; ++doc) {
    const SearchDocument& d = data.docs[doc];
    lay = d.plain_language;
    for (const std::string& term : d.lay_terms) absl::StrAppend(&lay, " ", term);
    const absl::string_view fields[kFieldCount] = {d.title, d.short_title, lay};
    for (int f = 0; f < kFieldCount; ++f) {
      const std::vector<Token>* current = &other_tokens;
      if (f == kTitle) {
        title_tokens = Tokenize(fields[f]);
        current = &title_tokens;
      } else {
        other_tokens = Tokenize(fields[f]);
      }
      const std::vector<Token>& tokens = *current;
      lengths[doc][f] = static_cast<uint16_t>(std::min<size_t>(tokens.size(), 65535));
      total_length[f] += tokens.size();
      if (!tokens.empty()) ++with_field[f];
      for (const Token& token : tokens) {
        RawPosting& p = posting_of(token.text, doc);
        if (p.tf[f] < 65535) ++p.tf[f];
      }
    }
    for (const IndexTermRef& entry : d.index_terms) {
      add_entry(entry.path, entry.modifiers, entry.words, doc);
    }
    procedures.ForEachTerm(d, title_tokens,
                           [&](const std::string& term) { add_entry(term, "", 0, doc); });
  }
  // Only the entries a match reason may show stay in memory.
  for (SearchDocument& d : data.docs) {
    if (d.index_terms.size() > internal::kMaxReasonEntries) {
      d.index_terms.resize(internal::kMaxReasonEntries);
    }
    for (IndexTermRef& e : d.index_terms) e.modifiers = std::string();
    d.index_terms.shrink_to_fit();
  }
  float average[kFieldCount];
  for (int f = 0; f < kFieldCount; ++f) {
    average[f] = with_field[f] == 0 ? 1.0f : static_cast<float>(total_length[f] / with_field[f]);
  }

  std::vector<uint32_t> term_order(raw_terms.size());
  std::iota(term_order.begin(), term_order.end(), 0);
  std::sort(term_order.begin(), term_order.end(),
            [&](uint32_t a, uint32_t b) { return raw_terms[a] < raw_terms[b]; });
  data.terms.reserve(raw_terms.size());
  data.postings.resize(raw_terms.size());
  std::vector<SpellCorrector::Word> vocabulary;
  vocabulary.reserve(raw_terms.size());
  std::vector<uint32_t> doc_ids;
  for (uint32_t t = 0; t < term_order.size(); ++t) {
    std::vector<RawPosting> raw = std::move(raw_postings[term_order[t]]);
    data.terms.push_back(std::move(raw_terms[term_order[t]]));
    internal::Postings& postings = data.postings[t];
    doc_ids.clear();
    postings.sparse.reserve(raw.size());
    for (const RawPosting& p : raw) {
      float tf = kEntryWeight * p.entry;
      for (int f = 0; f < kFieldCount; ++f) {
        if (p.tf[f] == 0) continue;
        const float norm = 1 - kB + kB * lengths[p.doc][f] / average[f];
        tf += kFieldWeight[f] * p.tf[f] / norm;
      }
      doc_ids.push_back(p.doc);
      postings.sparse.push_back({p.doc, tf / (kK1 + tf) + kEntryBonus * p.entry});
    }
    if (raw.size() * internal::kDenseDivisor > n) {
      postings.dense.assign(n, 0.0f);
      for (const internal::Posting& p : postings.sparse) {
        postings.dense[p.doc] = p.weight;
      }
      postings.sparse = std::vector<internal::Posting>();
    }
    postings.docs.addMany(doc_ids.size(), doc_ids.data());
    postings.docs.runOptimize();
    postings.docs.shrinkToFit();
    const float df = static_cast<float>(raw.size());
    postings.idf = std::log(1.0f + (n - df + 0.5f) / (df + 0.5f));
    std::vector<uint32_t>& stem_class = data.stem_terms[Stem(data.terms.back())];
    stem_class.push_back(t);
    data.term_stem_class.push_back(&stem_class);
    vocabulary.push_back({data.terms.back(), static_cast<uint32_t>(raw.size())});
  }

  EncodeEntryWords(term_ids, term_order, data);

  // The spelling index (every deletion of every word, sorted) is the
  // largest single step of a build and needs only the vocabulary, so it
  // runs beside the rest: a full build drops from ~2.7 s to under 2 s on
  // two cores.
  std::future<SpellCorrector> speller = std::async(
      std::launch::async,
      [words = std::move(vocabulary)]() mutable { return SpellCorrector(std::move(words)); });

  // Short prefixes: top completions, and unions where the range is too
  // wide to union per keystroke.
  for (size_t length = 1; length <= internal::kPrecomputedPrefix; ++length) {
    size_t t = 0;
    while (t < data.terms.size()) {
      if (data.terms[t].size() < length) {
        ++t;
        continue;
      }
      const std::string prefix = data.terms[t].substr(0, length);
      size_t end = t;
      std::vector<uint32_t> range;
      while (end < data.terms.size() && data.terms[end].compare(0, length, prefix) == 0) {
        range.push_back(static_cast<uint32_t>(end));
        ++end;
      }
      auto by_frequency = [&](uint32_t a, uint32_t b) {
        const uint64_t fa = data.postings[a].docs.cardinality();
        const uint64_t fb = data.postings[b].docs.cardinality();
        return fa != fb ? fa > fb : a < b;
      };
      const size_t keep = std::min(range.size(), kMaxSuggestions);
      std::partial_sort(range.begin(), range.begin() + keep, range.end(), by_frequency);
      range.resize(keep);
      data.prefix_top_terms.emplace(prefix, std::move(range));
      t = end;
    }
  }

  CacheWordUnions(data);

  std::vector<std::string>& systems = data.system_names;
  for (const SearchDocument& d : data.docs) {
    if (std::find(systems.begin(), systems.end(), d.system) == systems.end()) {
      if (systems.size() == 256) {
        return absl::InvalidArgumentError("more than 256 code systems; doc_system is one byte");
      }
      systems.push_back(d.system);
    }
  }
  std::sort(systems.begin(), systems.end());
  data.doc_system.reserve(n);
  for (uint32_t doc = 0; doc < n; ++doc) {
    const SearchDocument& d = data.docs[doc];
    data.doc_system.push_back(static_cast<uint8_t>(
        std::lower_bound(systems.begin(), systems.end(), d.system) - systems.begin()));
    if (!d.chapter.empty()) data.chapter_docs[d.chapter].add(doc);
    if (d.billable) data.billable_docs.add(doc);
    if (d.deleted) data.deleted_docs.add(doc);
    if (d.system == "HCPCS" || d.system == "CPT") data.undotted_docs.add(doc);
    if (d.effective_from || d.effective_to) {
      data.dated_docs.push_back(doc);
    } else {
      data.undated_docs.add(doc);
    }
  }
  if (n > 0) data.all_docs.addRange(0, n);
  for (auto& [name, docs] : data.chapter_docs) docs.runOptimize();
  data.billable_docs.runOptimize();
  for (Roaring* set : {&data.deleted_docs, &data.undotted_docs}) {
    set->runOptimize();
  }
  data.undated_docs.runOptimize();

  // The documents move to their packed store, one at a time so the build's
  // peak does not hold both copies in full.
  data.store.Reserve(data.docs);
  for (SearchDocument& d : data.docs) {
    absl::Status added = data.store.Add(d);
    d = SearchDocument();
    if (!added.ok()) return added;
  }
  data.docs = std::vector<SearchDocument>();
  data.store.Finish();

  data.speller = speller.get();
  data.synonyms = std::move(synonyms_);
  synonyms_ = SynonymTable();
  data.synonym_plans = internal::PlanSynonyms(data);
  return std::shared_ptr<const SearchIndex>(new SearchIndex(std::move(data)));
}

}  // namespace openencoder::search
