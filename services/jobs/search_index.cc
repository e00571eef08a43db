#include "services/jobs/search_index.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/time_proto.h"
#include "services/common/wire_writer.h"
#include "services/jobs/posting_validation.h"
#include "services/jobs/text_tokens.h"
#include "services/jobs/top_k.h"

namespace openencoder::jobs {
namespace {

constexpr char kAnyState[] = "*";  // remote, no state restriction
constexpr int kTitleWeight = 3;
constexpr size_t kFacetValues = 20;
constexpr int kArrangementCount = 4;
constexpr int kSettingCount = 8;

// Facets in response order.
enum FacetKind : uint32_t { kArrangement, kState, kCredential, kSetting, kSpecialty, kFacetKinds };
constexpr std::array<const char*, kFacetKinds> kFacetNames = {"arrangement", "state", "credential",
                                                              "setting", "specialty"};

// Per-thread buffers reused by every search: freeing blocks of this size on
// every query made glibc consolidate its whole heap each time (measured:
// milliseconds per search with 100,000 postings loaded).
struct Scratch {
  DocBits allowed;
  DocBits any;
  DocBits matched;
  std::vector<uint32_t> matches;
  std::vector<uint32_t> terms;    // the query's words
  std::vector<uint32_t> passing;  // entries of the rarest word's list
  std::vector<size_t> cursors;
  TopK top;
  std::vector<int64_t> counts;  // by facet ref
  std::vector<uint32_t> lanes;  // counts by lane, then by facet ref
  std::vector<std::pair<int64_t, const std::string*>> values;
  std::string key;         // the search's ResultCache key
  std::string facet_wire;  // one Facet message
  std::string value_wire;  // one FacetValue message
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

int64_t YearlyPayCents(const v1::PayRange& pay) {
  const int64_t amount = pay.max_cents() != 0 ? pay.max_cents() : pay.min_cents();
  switch (pay.model()) {
    case v1::PAY_MODEL_HOURLY:
      return amount * 2080;
    case v1::PAY_MODEL_SALARY:
      return amount;
    default:
      return 0;
  }
}

// A validated request, normalised for matching.
struct SearchIndex::Query {
  std::vector<int> arrangements;
  std::vector<int> settings;
  std::vector<std::string> states;  // upper case, plus kAnyState when not empty
  std::vector<std::string> credentials;
  std::vector<std::string> specialties;
  bool cpc_a = false;
  std::vector<std::string> words;
  int64_t now_ms = 0;
  int64_t posted_after_ms = 0;
  int64_t min_pay = 0;
  v1::JobSort sort = v1::JOB_SORT_NEWEST;
  int64_t offset = 0;
  int page_size = kDefaultPageSize;
};

uint32_t SearchIndex::Dictionary::IdOf(const std::string& name) {
  auto [it, inserted] = ids.try_emplace(name, static_cast<uint32_t>(names.size()));
  if (inserted) {
    names.push_back(name);
    bits.emplace_back();
  }
  return it->second;
}

const SearchIndex::Bits* SearchIndex::Dictionary::Find(const std::string& name) const {
  auto it = ids.find(name);
  return it == ids.end() ? nullptr : &bits[it->second];
}

SearchIndex::SearchIndex(size_t cached_results)
    : cache_(cached_results),
      facet_values_(kSinkRefs, kSinkValue),
      arrangements_(kArrangementCount),
      settings_(kSettingCount) {}

SearchIndex::~SearchIndex() = default;

uint32_t SearchIndex::FacetRef(uint32_t facet, uint32_t id) {
  auto [it, inserted] = facet_ref_of_.try_emplace(uint64_t{facet} << 32 | id,
                                                  static_cast<uint32_t>(facet_values_.size()));
  if (inserted) facet_values_.emplace_back(facet, id);
  return it->second;
}

const SearchIndex::Bits& SearchIndex::FacetBits(uint32_t ref) const {
  const auto [facet, id] = facet_values_[ref];
  switch (facet) {
    case kArrangement:
      return arrangements_[id];
    case kSetting:
      return settings_[id];
    case kState:
      return states_.bits[id];
    case kCredential:
      return credentials_.bits[id];
    default:
      return specialties_.bits[id];
  }
}

size_t SearchIndex::live_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return wire_.size() - dead_;
}

bool SearchIndex::Upsert(const v1::JobPosting& posting) {
  const bool published = posting.status() == v1::POSTING_STATUS_PUBLISHED;
  std::string wire;
  if (published) {  // serialised outside the lock
    v1::JobPosting copy = posting;
    copy.clear_applicant_count();  // never public
    wire = copy.SerializeAsString();
  }
  absl::MutexLock lock(&mu_);
  auto [it, first_time] = seen_.try_emplace(posting.posting_id());
  Seen& seen = it->second;
  // This state or a newer one is already in.
  if (!first_time && posting.version() <= seen.version) return false;
  seen.version = posting.version();
  ++generation_;  // cached answers are stale
  if (seen.doc >= 0) {
    const uint32_t old = static_cast<uint32_t>(seen.doc);
    ClearBit(live_, old);
    ClearBit(open_, old);  // its expiry heap entry, if any, clears nothing later
    std::string().swap(wire_[old]);
    ++dead_;
    seen.doc = -1;
  }
  if (published) {
    seen.doc = static_cast<int64_t>(wire_.size());
    AddDoc(posting, std::move(wire));
  }
  if (dead_ > 1024 && dead_ > wire_.size() / 2) Compact();
  return true;
}

void SearchIndex::AddDoc(const v1::JobPosting& posting, std::string wire) {
  const uint32_t n = static_cast<uint32_t>(wire_.size());
  const v1::PostingFields& f = posting.fields();
  const int64_t closes_ms = f.has_closes_at() ? common::ToMillis(f.closes_at()) : INT64_MAX;
  const int64_t posted_ms = common::ToMillis(posting.posted_at());
  posted_ms_.push_back(posted_ms);
  closes_ms_.push_back(closes_ms);
  pay_.push_back(YearlyPayCents(f.pay()));
  SetBit(live_, n);
  // Already closed as of the last sweep: never open (see the header).
  if (closes_ms > swept_ms_) {
    SetBit(open_, n);
    if (closes_ms != INT64_MAX) {
      expiry_heap_.emplace_back(closes_ms, n);
      std::push_heap(expiry_heap_.begin(), expiry_heap_.end(), std::greater<>());
    }
  }
  std::vector<uint32_t> refs;  // this document's facet values
  const int arrangement = f.arrangement();
  if (arrangement >= 0 && arrangement < kArrangementCount) {
    SetBit(arrangements_[arrangement], n);
    refs.push_back(FacetRef(kArrangement, static_cast<uint32_t>(arrangement)));
  }
  for (int s : f.settings()) {
    if (s >= 0 && s < kSettingCount) {
      SetBit(settings_[s], n);
      refs.push_back(FacetRef(kSetting, static_cast<uint32_t>(s)));
    }
  }
  if (f.cpc_a_accepted()) SetBit(cpc_a_, n);
  std::vector<std::string> states(f.remote_states().begin(), f.remote_states().end());
  if (!f.location().state().empty()) states.push_back(f.location().state());
  std::sort(states.begin(), states.end());
  states.erase(std::unique(states.begin(), states.end()), states.end());
  for (const std::string& s : states) {
    const uint32_t id = states_.IdOf(s);
    SetBit(states_.bits[id], n);
    refs.push_back(FacetRef(kState, id));
  }
  // The "any state" value filters but is not a facet value.
  if (f.arrangement() == v1::WORK_ARRANGEMENT_REMOTE && f.remote_states().empty()) {
    SetBit(states_.bits[states_.IdOf(kAnyState)], n);
  }
  std::vector<std::string> creds(f.credentials_required().begin(), f.credentials_required().end());
  creds.insert(creds.end(), f.credentials_preferred().begin(), f.credentials_preferred().end());
  std::sort(creds.begin(), creds.end());
  creds.erase(std::unique(creds.begin(), creds.end()), creds.end());
  for (const std::string& c : creds) {
    const uint32_t id = credentials_.IdOf(c);
    SetBit(credentials_.bits[id], n);
    refs.push_back(FacetRef(kCredential, id));
  }
  for (const std::string& s : f.specialties()) {
    const uint32_t id = specialties_.IdOf(s);
    SetBit(specialties_.bits[id], n);
    refs.push_back(FacetRef(kSpecialty, id));
  }
  StoreFacetRefs(refs);
  absl::flat_hash_map<uint32_t, int32_t> weights;
  auto add_terms = [&](absl::string_view text, int weight) {
    for (const std::string& word : Tokenize(text)) {
      auto [it, inserted] = term_ids_.try_emplace(word, static_cast<uint32_t>(term_lists_.size()));
      if (inserted) term_lists_.emplace_back();
      weights[it->second] += weight;
    }
  };
  add_terms(f.title(), kTitleWeight);
  add_terms(f.description(), 1);
  for (const auto& [term, weight] : weights) {
    TermList& list = term_lists_[term];
    list.docs.push_back(n);
    list.weights.push_back(weight);
    list.posted_ms.push_back(posted_ms);
  }
  wire_.push_back(std::move(wire));
}

void SearchIndex::StoreFacetRefs(const std::vector<uint32_t>& refs) {
  const size_t at = facet_slots_.size();
  facet_slots_.resize(at + kFacetSlotBytes, 0);
  uint8_t* slots = &facet_slots_[at];
  const bool fits = refs.size() < kFacetSlotBytes &&
                    std::all_of(refs.begin(), refs.end(), [](uint32_t r) { return r < 256; });
  if (fits) {
    slots[0] = static_cast<uint8_t>(refs.size());
    for (size_t r = 1; r < kFacetSlotBytes; ++r) {
      slots[r] = static_cast<uint8_t>(r <= refs.size() ? refs[r - 1] : r - 1);
    }
  } else {
    slots[0] = kOverflowMark;
    const uint32_t offset = static_cast<uint32_t>(facet_overflow_.size());
    std::memcpy(slots + 4, &offset, sizeof(offset));
    facet_overflow_.push_back(static_cast<uint32_t>(refs.size()));
    facet_overflow_.insert(facet_overflow_.end(), refs.begin(), refs.end());
  }
}

void SearchIndex::Compact() {
  std::vector<std::string> old = std::move(wire_);
  const Bits old_live = std::move(live_);
  wire_.clear();
  posted_ms_.clear();
  closes_ms_.clear();
  pay_.clear();
  facet_slots_.clear();
  facet_overflow_.clear();
  facet_values_.assign(kSinkRefs, kSinkValue);
  facet_ref_of_.clear();
  dead_ = 0;
  live_.clear();
  open_.clear();
  expiry_heap_.clear();
  cpc_a_.clear();
  for (Bits& b : arrangements_) b.clear();
  for (Bits& b : settings_) b.clear();
  states_ = Dictionary();
  credentials_ = Dictionary();
  specialties_ = Dictionary();
  term_ids_.clear();
  term_lists_.clear();
  v1::JobPosting posting;
  for (uint32_t n = 0; n < old.size(); ++n) {
    // Bytes this index serialised itself: they parse.
    if (!TestBit(old_live, n) || !posting.ParseFromString(old[n])) continue;
    seen_[posting.posting_id()].doc = static_cast<int64_t>(wire_.size());
    AddDoc(posting, std::move(old[n]));
  }
}

bool SearchIndex::NeedsSweep(int64_t now_ms) const {
  return !expiry_heap_.empty() && expiry_heap_.front().first <= now_ms;
}

void SearchIndex::Sweep(int64_t now_ms) const {
  if (NeedsSweep(now_ms)) ++generation_;  // postings leave `open_`: cached answers are stale
  while (NeedsSweep(now_ms)) {
    // Entries of dead documents clear a bit that is already clear.
    ClearBit(open_, expiry_heap_.front().second);
    std::pop_heap(expiry_heap_.begin(), expiry_heap_.end(), std::greater<>());
    expiry_heap_.pop_back();
  }
  swept_ms_ = std::max(swept_ms_, now_ms);
}

absl::Status SearchIndex::ParseQuery(const v1::SearchJobsRequest& request, absl::Time now,
                                     Query& q) {
  if (request.query().size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError("query: at most 256 bytes");
  }
  if (request.page_size() < 0) return absl::InvalidArgumentError("page_size: negative");
  q.page_size =
      request.page_size() == 0 ? kDefaultPageSize : std::min(request.page_size(), kMaxPageSize);
  if (!request.page_token().empty() && (!absl::SimpleAtoi(request.page_token(), &q.offset) ||
                                        q.offset < 0 || q.offset > 1'000'000)) {
    return absl::InvalidArgumentError("page_token: not one this server issued");
  }
  const v1::JobFilters& filters = request.filters();
  for (int a : filters.arrangements()) {
    if (a <= 0 || a >= kArrangementCount) return absl::InvalidArgumentError("filters.arrangements");
    q.arrangements.push_back(a);
  }
  for (int s : filters.settings()) {
    if (s <= 0 || s >= kSettingCount) return absl::InvalidArgumentError("filters.settings");
    q.settings.push_back(s);
  }
  for (const std::string& s : filters.states()) {
    q.states.push_back(absl::AsciiStrToUpper(s));
    if (!IsStateCode(q.states.back())) return absl::InvalidArgumentError("filters.states");
  }
  if (!q.states.empty()) q.states.push_back(kAnyState);
  for (const std::string& c : filters.credentials()) {
    q.credentials.push_back(absl::AsciiStrToUpper(c));
    if (!IsKnownCredential(q.credentials.back())) {
      return absl::InvalidArgumentError("filters.credentials");
    }
  }
  for (const std::string& s : filters.specialties()) {
    q.specialties.push_back(absl::AsciiStrToLower(s));
  }
  if (filters.min_pay_cents_yearly() < 0 || filters.posted_within_days() < 0) {
    return absl::InvalidArgumentError("filters: negative numbers");
  }
  q.cpc_a = filters.cpc_a_accepted();
  q.min_pay = filters.min_pay_cents_yearly();
  q.words = Tokenize(request.query());
  q.now_ms = absl::ToUnixMillis(now);
  q.posted_after_ms = filters.posted_within_days() > 0
                          ? absl::ToUnixMillis(now - absl::Hours(24) * filters.posted_within_days())
                          : 0;
  q.sort = request.sort();
  if (q.sort == v1::JOB_SORT_UNSPECIFIED) {
    q.sort = q.words.empty() ? v1::JOB_SORT_NEWEST : v1::JOB_SORT_RELEVANCE;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SearchJobsResponse> SearchIndex::Search(const v1::SearchJobsRequest& request,
                                                           absl::Time now) const {
  std::string wire;
  if (absl::Status s = SearchWire(request, now, wire); !s.ok()) return s;
  v1::SearchJobsResponse response;
  if (!response.ParseFromString(wire)) {
    return absl::InternalError("search response: the assembled bytes do not parse");
  }
  return response;
}

absl::Status SearchIndex::SearchWire(const v1::SearchJobsRequest& request, absl::Time now,
                                     std::string& wire) const {
  Query query;
  if (absl::Status s = ParseQuery(request, now, query); !s.ok()) return s;
  wire.clear();
  // Usually one pass: the exclusive step runs only when a posting has
  // closed since the last sweep.
  for (;;) {
    {
      absl::ReaderMutexLock lock(&mu_);
      if (!NeedsSweep(query.now_ms)) {
        SearchLocked(query, wire);
        return absl::OkStatus();
      }
    }
    absl::MutexLock lock(&mu_);
    Sweep(query.now_ms);
  }
}

void SearchIndex::SearchLocked(const Query& q, std::string& wire) const {
  Scratch& scratch = ThreadScratch();
  // A clock behind the last sweep sees postings open that the sweep closed:
  // start from every live posting and compare closing times per match.
  const bool check_closes = q.now_ms < swept_ms_;
  const bool check_each = check_closes || q.posted_after_ms > 0 || q.min_pay > 0;
  auto passes = [&](uint32_t n) {
    return (!check_closes || closes_ms_[n] > q.now_ms) && posted_ms_[n] >= q.posted_after_ms &&
           pay_[n] >= q.min_pay;
  };
  // An answer that depends on the clock only through `open_` (so not one
  // compared per match against `now`) is the same until the generation
  // changes: those are cached.
  const bool cacheable = cache_.capacity() > 0 && !check_closes && q.posted_after_ms == 0;
  const size_t wanted = static_cast<size_t>(q.offset) + q.page_size;
  if (cacheable) {
    CacheKey(q, scratch.key);
    std::shared_ptr<const CachedResult> hit = cache_.Find(scratch.key, generation_);
    if (hit != nullptr &&
        (wanted <= hit->ranked.size() || hit->ranked.size() == static_cast<size_t>(hit->total))) {
      AppendResponse(*hit, q, wire);
      return;
    }
  }

  // --- Filters as one bitset: AND across fields, OR within one. Each step
  // is a plain loop over the words that the compiler vectorises; a field
  // with one value is a single AND.
  Bits& allowed = scratch.allowed;
  allowed.assign(check_closes ? live_.begin() : open_.begin(),
                 check_closes ? live_.end() : open_.end());
  auto any_of = [&](const auto& values, auto&& bits_of) {
    const Bits* first = nullptr;
    Bits& any = scratch.any;
    for (const auto& v : values) {
      const Bits* b = bits_of(v);
      if (b == nullptr) continue;
      if (first == nullptr) {
        first = b;
      } else {
        if (first != &any) any.assign(first->begin(), first->end());
        first = &any;
        if (any.size() < b->size()) any.resize(b->size(), 0);
        OrInto(any, *b);
      }
    }
    if (first == nullptr) {
      allowed.assign(allowed.size(), 0);  // no value of the field is used
    } else {
      AndInto(allowed, *first);
    }
  };
  if (!q.arrangements.empty()) any_of(q.arrangements, [&](int a) { return &arrangements_[a]; });
  if (!q.settings.empty()) any_of(q.settings, [&](int s) { return &settings_[s]; });
  if (!q.states.empty()) any_of(q.states, [&](const std::string& s) { return states_.Find(s); });
  if (!q.credentials.empty()) {
    any_of(q.credentials, [&](const std::string& c) { return credentials_.Find(c); });
  }
  if (!q.specialties.empty()) {
    any_of(q.specialties, [&](const std::string& s) { return specialties_.Find(s); });
  }
  if (q.cpc_a) AndInto(allowed, cpc_a_);
  // Every document number has a word, so the walk below tests bits unchecked.
  allowed.resize(wire_.size() / 64 + 1, 0);

  // --- Matches, ranked as they are found.
  std::vector<uint32_t>& matches = scratch.matches;
  matches.clear();
  TopK& top = scratch.top;
  // A cached answer keeps a few pages, so the next pages hit it too.
  top.Reset(cacheable ? std::max(wanted, kCachedRanks) : wanted);
  auto primary = [&](uint32_t n, int64_t score) {
    switch (q.sort) {
      case v1::JOB_SORT_RELEVANCE:
        return score;
      case v1::JOB_SORT_PAY:
        return pay_[n];
      default:
        return posted_ms_[n];
    }
  };
  bool match_bits_are_allowed = false;
  if (!q.words.empty()) {
    std::vector<uint32_t>& terms = scratch.terms;
    terms.clear();
    for (const std::string& w : q.words) {
      auto it = term_ids_.find(w);
      if (it == term_ids_.end()) break;  // a word nobody uses: no match
      terms.push_back(it->second);
    }
    if (terms.size() == q.words.size()) {
      std::sort(terms.begin(), terms.end());
      terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
      std::sort(terms.begin(), terms.end(), [&](uint32_t a, uint32_t b) {
        return term_lists_[a].docs.size() < term_lists_[b].docs.size();
      });
      // Newest documents first (numbers grow with time): the top-k fills
      // with good candidates early and rejects most later ones with one
      // comparison; in increasing order nearly every match displaced one.
      const TermList& rarest = term_lists_[terms[0]];
      const uint32_t* docs = rarest.docs.data();
      // First the rarest word's entries that pass the filter bitset, without
      // a branch: whether an entry passes is data, not predictable, and a
      // mispredicted branch per entry was most of this walk's time.
      std::vector<uint32_t>& passing = scratch.passing;
      passing.resize(rarest.docs.size());
      size_t passed = 0;
      for (size_t i = rarest.docs.size(); i-- > 0;) {
        passing[passed] = static_cast<uint32_t>(i);
        passed += TestBitUnchecked(allowed.data(), docs[i]);
      }
      scratch.cursors.resize(terms.size());
      for (size_t t = 1; t < terms.size(); ++t)
        scratch.cursors[t] = term_lists_[terms[t]].docs.size();
      // Every match is a passing entry: room for all, no growth checks.
      matches.resize(passed);
      size_t found = 0;
      for (size_t k = 0; k < passed; ++k) {
        const uint32_t i = passing[k];
        const uint32_t doc = docs[i];
        if (check_each && !passes(doc)) continue;
        int64_t score = rarest.weights[i];
        bool all = true;
        for (size_t t = 1; t < terms.size() && all; ++t) {
          // Each other list is searched below a bound that only moves down.
          const TermList& list = term_lists_[terms[t]];
          size_t& bound = scratch.cursors[t];
          bound = std::lower_bound(list.docs.begin(), list.docs.begin() + bound, doc) -
                  list.docs.begin();
          all = bound < list.docs.size() && list.docs[bound] == doc;
          if (all) score += list.weights[bound];
        }
        if (!all) continue;
        matches[found++] = doc;
        const int64_t posted = rarest.posted_ms[i];
        const int64_t key = q.sort == v1::JOB_SORT_RELEVANCE ? score
                            : q.sort == v1::JOB_SORT_PAY     ? pay_[doc]
                                                             : posted;
        top.Offer({key, posted, doc});
      }
      matches.resize(found);
    }
  } else {
    ForEachBitDescending(allowed, [&](uint32_t n) {  // newest first, as above
      if (check_each && !passes(n)) return;
      matches.push_back(n);
      top.Offer({primary(n, 0), posted_ms_[n], n});
    });
    match_bits_are_allowed = !check_each;
  }
  auto result = std::make_shared<CachedResult>();
  result->generation = generation_;
  result->total = static_cast<int64_t>(matches.size());
  AppendFacets(matches, match_bits_are_allowed ? &allowed : nullptr, result->facets_wire);
  const std::vector<RankedDoc>& ranked = top.TakeSorted();
  result->ranked.reserve(ranked.size());
  for (const RankedDoc& r : ranked) result->ranked.push_back(r.doc);
  AppendResponse(*result, q, wire);
  if (cacheable) cache_.Put(scratch.key, std::move(result));
}

void SearchIndex::AppendResponse(const CachedResult& result, const Query& q,
                                 std::string& wire) const {
  // Fields in number order, as protobuf writes them.
  using Response = v1::SearchJobsResponse;
  const size_t end = static_cast<size_t>(q.offset) + q.page_size;
  for (size_t i = static_cast<size_t>(q.offset); i < std::min(end, result.ranked.size()); ++i) {
    common::wire::AppendMessageField(wire, Response::kPostingsFieldNumber, wire_[result.ranked[i]]);
  }
  common::wire::AppendInt64Field(wire, Response::kTotalCountFieldNumber, result.total);
  wire.append(result.facets_wire);
  if (end < static_cast<size_t>(result.total)) {
    common::wire::AppendStringField(wire, Response::kNextPageTokenFieldNumber, absl::StrCat(end));
  }
}

void SearchIndex::CacheKey(const Query& q, std::string& key) {
  // Lists sorted (filters OR within a field, words AND) and every string
  // length-prefixed, so that equal searches, and only they, share a key.
  key.clear();
  auto add_numbers = [&](std::vector<int> values) {
    std::sort(values.begin(), values.end());
    for (int v : values) absl::StrAppend(&key, v, ",");
    key.push_back(';');
  };
  auto add_strings = [&](std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const std::string& v : values) absl::StrAppend(&key, v.size(), ":", v);
    key.push_back(';');
  };
  absl::StrAppend(&key, static_cast<int>(q.sort), ";", q.cpc_a ? 1 : 0, ";", q.min_pay, ";");
  add_numbers(q.arrangements);
  add_numbers(q.settings);
  add_strings(q.states);
  add_strings(q.credentials);
  add_strings(q.specialties);
  add_strings(q.words);
}

void SearchIndex::AppendFacets(const std::vector<uint32_t>& matches, const Bits* match_bits,
                               std::string& wire) const {
  Scratch& scratch = ThreadScratch();
  std::vector<int64_t>& counts = scratch.counts;
  const size_t values = facet_values_.size();
  counts.assign(values, 0);
  // Per match: ~7 increments each. By bitset: one AND-popcount pass over the
  // index per facet value. Take whichever reads less.
  if (matches.size() * 8 < values * live_.size()) {
    // Matches are scattered over the index, so each one's slots are a cache
    // miss: their address needs no other load, so they are fetched well
    // ahead. Consecutive matches mostly share values (the filtered ones
    // always do), and incrementing one counter twice in a row waits for the
    // first store: four lanes of counters take turns.
    constexpr size_t kAhead = 16;
    constexpr size_t kLanes = 4;
    std::vector<uint32_t>& lanes = scratch.lanes;
    lanes.assign(values * kLanes, 0);
    const uint8_t* all_slots = facet_slots_.data();
    const uint32_t* overflow = facet_overflow_.data();
    auto overflow_of = [&](const uint8_t* slots) {
      uint32_t offset;
      std::memcpy(&offset, slots + 4, sizeof(offset));
      return overflow + offset;
    };
    const size_t m = matches.size();
    for (size_t i = 0; i < m; ++i) {
      if (i + kAhead < m)
        __builtin_prefetch(all_slots + size_t{matches[i + kAhead]} * kFacetSlotBytes);
      const uint8_t* slots = all_slots + size_t{matches[i]} * kFacetSlotBytes;
      uint32_t* lane = &lanes[(i % kLanes) * values];
      if (slots[0] != kOverflowMark) {
        // Always every byte (unused ones count into sinks): a loop of
        // varying length mispredicted its exit once per match.
        for (size_t r = 1; r < kFacetSlotBytes; ++r) ++lane[slots[r]];
      } else {
        const uint32_t* rest = overflow_of(slots);
        for (uint32_t r = 1; r <= rest[0]; ++r) ++lane[rest[r]];
      }
    }
    for (size_t l = 0; l < kLanes; ++l) {
      for (size_t v = 0; v < values; ++v) counts[v] += lanes[l * values + v];
    }
  } else {
    if (match_bits == nullptr) {
      scratch.matched.assign(live_.size(), 0);
      for (uint32_t n : matches) SetBit(scratch.matched, n);
      match_bits = &scratch.matched;
    }
    for (uint32_t ref = kSinkRefs; ref < facet_values_.size(); ++ref) {
      counts[ref] = CountAnd(*match_bits, FacetBits(ref));
    }
  }
  auto name_of = [&](uint32_t kind, size_t i) -> const std::string& {
    switch (kind) {
      case kArrangement:
        return v1::WorkArrangement_Name(static_cast<v1::WorkArrangement>(i));
      case kSetting:
        return v1::CodingSetting_Name(static_cast<v1::CodingSetting>(i));
      case kState:
        return states_.names[i];
      case kCredential:
        return credentials_.names[i];
      default:
        return specialties_.names[i];
    }
  };
  // Most frequent first, ties by name.
  for (uint32_t kind = 0; kind < kFacetKinds; ++kind) {
    auto& values = scratch.values;
    values.clear();
    for (uint32_t ref = 0; ref < facet_values_.size(); ++ref) {
      if (facet_values_[ref].first == kind && counts[ref] > 0) {
        values.emplace_back(counts[ref], &name_of(kind, facet_values_[ref].second));
      }
    }
    const size_t kept = std::min(values.size(), kFacetValues);
    std::partial_sort(values.begin(), values.begin() + kept, values.end(),
                      [](const auto& a, const auto& b) {
                        if (a.first != b.first) return a.first > b.first;
                        return *a.second < *b.second;
                      });
    std::string& facet = scratch.facet_wire;
    facet.clear();
    common::wire::AppendStringField(facet, v1::Facet::kNameFieldNumber, kFacetNames[kind]);
    for (size_t i = 0; i < kept; ++i) {
      std::string& value = scratch.value_wire;
      value.clear();
      common::wire::AppendStringField(value, v1::FacetValue::kValueFieldNumber, *values[i].second);
      common::wire::AppendInt64Field(value, v1::FacetValue::kCountFieldNumber, values[i].first);
      common::wire::AppendMessageField(facet, v1::Facet::kValuesFieldNumber, value);
    }
    common::wire::AppendMessageField(wire, v1::SearchJobsResponse::kFacetsFieldNumber, facet);
  }
}

}  // namespace openencoder::jobs
