#include "services/jobs/search_index.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/jobs/posting_validation.h"
#include "services/jobs/text_tokens.h"
#include "services/jobs/time_proto.h"

namespace openencoder::jobs {
namespace {

constexpr char kAnyState[] = "*";  // remote, no state restriction
constexpr int kTitleWeight = 3;
constexpr size_t kFacetValues = 20;
constexpr int kArrangementCount = 4;
constexpr int kSettingCount = 8;

bool Test(const std::vector<uint64_t>& bits, uint32_t doc) {
  const size_t word = doc >> 6;
  return word < bits.size() && ((bits[word] >> (doc & 63)) & 1);
}

void AndInto(std::vector<uint64_t>& acc, const std::vector<uint64_t>& other) {
  for (size_t i = 0; i < acc.size(); ++i) acc[i] &= i < other.size() ? other[i] : 0;
}

void OrInto(std::vector<uint64_t>& acc, const std::vector<uint64_t>& other) {
  for (size_t i = 0; i < acc.size() && i < other.size(); ++i) acc[i] |= other[i];
}

// Carries its sort keys so that ordering never touches the documents.
struct Match {
  uint32_t doc;
  int32_t score;
  int64_t posted_ms;
  int64_t pay;
};

// Below this many matches facets are counted per document; above it, by
// popcount of (matches AND value bitset), whose cost does not grow with the
// match count.
constexpr size_t kBitsetFacetThreshold = 512;

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

// Everything a query reads about one document, kept compact and apart from
// the proto so that filtering touches little memory.
struct SearchIndex::Doc {
  std::shared_ptr<const v1::JobPosting> posting;
  int64_t posted_ms = 0;
  int64_t closes_ms = 0;  // 0: no closing date
  int64_t pay_yearly = 0;
  int arrangement = 0;
  std::vector<int> settings;
  std::vector<uint32_t> states;  // without kAnyState
  std::vector<uint32_t> credentials;
  std::vector<uint32_t> specialties;
  std::vector<std::pair<uint32_t, int32_t>> terms;  // sorted by term id, with weight
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

SearchIndex::SearchIndex() : arrangements_(kArrangementCount), settings_(kSettingCount) {}

SearchIndex::~SearchIndex() = default;

size_t SearchIndex::live_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return docs_.size() - dead_;
}

void SearchIndex::SetBit(Bits& bits, uint32_t doc) {
  const size_t word = doc >> 6;
  if (bits.size() <= word) bits.resize(word + 1, 0);
  bits[word] |= uint64_t{1} << (doc & 63);
}

void SearchIndex::Upsert(const v1::JobPosting& posting) {
  auto copy = std::make_shared<v1::JobPosting>(posting);
  copy->clear_applicant_count();  // never public
  absl::MutexLock lock(&mu_);
  Seen& seen = seen_[posting.posting_id()];
  if (posting.version() < seen.version) return;  // a newer state is already in
  seen.version = posting.version();
  if (seen.doc >= 0) {
    const uint32_t old = static_cast<uint32_t>(seen.doc);
    live_[old >> 6] &= ~(uint64_t{1} << (old & 63));
    docs_[old].posting.reset();
    ++dead_;
    seen.doc = -1;
  }
  if (posting.status() == v1::POSTING_STATUS_PUBLISHED) {
    seen.doc = static_cast<int64_t>(docs_.size());
    AddDoc(std::move(copy));
  }
  if (dead_ > 1024 && dead_ > docs_.size() / 2) Compact();
}

void SearchIndex::AddDoc(std::shared_ptr<const v1::JobPosting> posting) {
  const uint32_t n = static_cast<uint32_t>(docs_.size());
  const v1::PostingFields& f = posting->fields();
  Doc doc;
  doc.posted_ms = ToMillis(posting->posted_at());
  doc.closes_ms = f.has_closes_at() ? ToMillis(f.closes_at()) : 0;
  doc.pay_yearly = YearlyPayCents(f.pay());
  doc.arrangement = f.arrangement();
  posted_ms_.push_back(doc.posted_ms);
  closes_ms_.push_back(doc.closes_ms == 0 ? INT64_MAX : doc.closes_ms);
  pay_.push_back(doc.pay_yearly);
  SetBit(live_, n);
  if (doc.arrangement >= 0 && doc.arrangement < kArrangementCount) {
    SetBit(arrangements_[doc.arrangement], n);
  }
  for (int s : f.settings()) {
    if (s >= 0 && s < kSettingCount) {
      doc.settings.push_back(s);
      SetBit(settings_[s], n);
    }
  }
  if (f.cpc_a_accepted()) SetBit(cpc_a_, n);
  std::vector<std::string> states(f.remote_states().begin(), f.remote_states().end());
  if (!f.location().state().empty()) states.push_back(f.location().state());
  std::sort(states.begin(), states.end());
  states.erase(std::unique(states.begin(), states.end()), states.end());
  for (const std::string& s : states) {
    const uint32_t id = states_.IdOf(s);
    doc.states.push_back(id);
    SetBit(states_.bits[id], n);
  }
  if (f.arrangement() == v1::WORK_ARRANGEMENT_REMOTE && f.remote_states().empty()) {
    SetBit(states_.bits[states_.IdOf(kAnyState)], n);
  }
  std::vector<std::string> creds(f.credentials_required().begin(),
                                 f.credentials_required().end());
  creds.insert(creds.end(), f.credentials_preferred().begin(), f.credentials_preferred().end());
  std::sort(creds.begin(), creds.end());
  creds.erase(std::unique(creds.begin(), creds.end()), creds.end());
  for (const std::string& c : creds) {
    const uint32_t id = credentials_.IdOf(c);
    doc.credentials.push_back(id);
    SetBit(credentials_.bits[id], n);
  }
  for (const std::string& s : f.specialties()) {
    const uint32_t id = specialties_.IdOf(s);
    doc.specialties.push_back(id);
    SetBit(specialties_.bits[id], n);
  }
  absl::flat_hash_map<uint32_t, int32_t> weights;
  auto add_terms = [&](absl::string_view text, int weight) {
    for (const std::string& word : Tokenize(text)) {
      auto [it, inserted] = term_ids_.try_emplace(word, static_cast<uint32_t>(term_docs_.size()));
      if (inserted) term_docs_.emplace_back();
      weights[it->second] += weight;
    }
  };
  add_terms(f.title(), kTitleWeight);
  add_terms(f.description(), 1);
  doc.terms.assign(weights.begin(), weights.end());
  std::sort(doc.terms.begin(), doc.terms.end());
  for (const auto& [term, weight] : doc.terms) term_docs_[term].push_back(n);
  doc.posting = std::move(posting);
  docs_.push_back(std::move(doc));
}

void SearchIndex::Compact() {
  std::vector<Doc> old = std::move(docs_);
  docs_.clear();
  posted_ms_.clear();
  closes_ms_.clear();
  pay_.clear();
  dead_ = 0;
  live_.clear();
  cpc_a_.clear();
  for (Bits& b : arrangements_) b.clear();
  for (Bits& b : settings_) b.clear();
  states_ = Dictionary();
  credentials_ = Dictionary();
  specialties_ = Dictionary();
  term_ids_.clear();
  term_docs_.clear();
  for (Doc& d : old) {
    if (d.posting == nullptr) continue;
    seen_[d.posting->posting_id()].doc = static_cast<int64_t>(docs_.size());
    AddDoc(std::move(d.posting));
  }
}

absl::StatusOr<v1::SearchJobsResponse> SearchIndex::Search(const v1::SearchJobsRequest& request,
                                                           absl::Time now) const {
  // --- Validate the request (no lock needed).
  if (request.query().size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError("query: at most 256 bytes");
  }
  if (request.page_size() < 0) return absl::InvalidArgumentError("page_size: negative");
  const int page_size =
      request.page_size() == 0 ? kDefaultPageSize : std::min(request.page_size(), kMaxPageSize);
  int64_t offset = 0;
  if (!request.page_token().empty() &&
      (!absl::SimpleAtoi(request.page_token(), &offset) || offset < 0 || offset > 1'000'000)) {
    return absl::InvalidArgumentError("page_token: not one this server issued");
  }
  const v1::JobFilters& filters = request.filters();
  for (int a : filters.arrangements()) {
    if (a <= 0 || a >= kArrangementCount) return absl::InvalidArgumentError("filters.arrangements");
  }
  for (int s : filters.settings()) {
    if (s <= 0 || s >= kSettingCount) return absl::InvalidArgumentError("filters.settings");
  }
  std::vector<std::string> states, credentials, specialties;
  for (const std::string& s : filters.states()) {
    states.push_back(absl::AsciiStrToUpper(s));
    if (!IsStateCode(states.back())) return absl::InvalidArgumentError("filters.states");
  }
  for (const std::string& c : filters.credentials()) {
    credentials.push_back(absl::AsciiStrToUpper(c));
    if (!IsKnownCredential(credentials.back())) {
      return absl::InvalidArgumentError("filters.credentials");
    }
  }
  for (const std::string& s : filters.specialties()) specialties.push_back(absl::AsciiStrToLower(s));
  if (filters.min_pay_cents_yearly() < 0 || filters.posted_within_days() < 0) {
    return absl::InvalidArgumentError("filters: negative numbers");
  }
  const std::vector<std::string> words = Tokenize(request.query());
  const int64_t now_ms = absl::ToUnixMillis(now);
  const int64_t posted_after =
      filters.posted_within_days() > 0
          ? absl::ToUnixMillis(now - absl::Hours(24) * filters.posted_within_days())
          : 0;
  v1::JobSort sort = request.sort();
  if (sort == v1::JOB_SORT_UNSPECIFIED) {
    sort = words.empty() ? v1::JOB_SORT_NEWEST : v1::JOB_SORT_RELEVANCE;
  }

  v1::SearchJobsResponse response;
  absl::ReaderMutexLock lock(&mu_);

  // --- Filters as one bitset.
  // Scratch buffers are per thread and reused: freeing blocks of this size
  // on every query made glibc consolidate its whole heap each time (measured:
  // milliseconds per search with 100,000 postings loaded).
  thread_local Bits allowed;
  thread_local Bits acc;
  thread_local Bits matched;
  thread_local std::vector<Match> matches;
  allowed.assign(live_.begin(), live_.end());
  matches.clear();
  auto any_of = [&](auto&& bits_of, const auto& values) {
    acc.assign(allowed.size(), 0);
    for (const auto& v : values) {
      if (const Bits* b = bits_of(v)) OrInto(acc, *b);
    }
    AndInto(allowed, acc);
  };
  if (!filters.arrangements().empty()) {
    any_of([&](int a) { return &arrangements_[a]; }, filters.arrangements());
  }
  if (!filters.settings().empty()) {
    any_of([&](int s) { return &settings_[s]; }, filters.settings());
  }
  if (!states.empty()) {
    states.push_back(kAnyState);
    any_of([&](const std::string& s) { return states_.Find(s); }, states);
  }
  if (!credentials.empty()) {
    any_of([&](const std::string& c) { return credentials_.Find(c); }, credentials);
  }
  if (!specialties.empty()) {
    any_of([&](const std::string& s) { return specialties_.Find(s); }, specialties);
  }
  if (filters.cpc_a_accepted()) AndInto(allowed, cpc_a_);

  // --- Candidates: the rarest word's list, else every allowed document.
  const int64_t min_pay = filters.min_pay_cents_yearly();
  auto passes = [&](uint32_t n) {
    return closes_ms_[n] > now_ms && posted_ms_[n] >= posted_after && pay_[n] >= min_pay;
  };
  if (!words.empty()) {
    std::vector<uint32_t> term_list;
    for (const std::string& w : words) {
      auto it = term_ids_.find(w);
      if (it == term_ids_.end()) {
        term_list.clear();
        break;
      }
      term_list.push_back(it->second);
    }
    if (term_list.size() == words.size()) {
      std::sort(term_list.begin(), term_list.end());
      term_list.erase(std::unique(term_list.begin(), term_list.end()), term_list.end());
      const uint32_t rarest = *std::min_element(
          term_list.begin(), term_list.end(),
          [&](uint32_t a, uint32_t b) { return term_docs_[a].size() < term_docs_[b].size(); });
      for (uint32_t n : term_docs_[rarest]) {
        if (!Test(allowed, n) || !passes(n)) continue;
        const Doc& d = docs_[n];
        int32_t score = 0;
        bool all = true;
        for (uint32_t t : term_list) {
          auto it = std::lower_bound(d.terms.begin(), d.terms.end(),
                                     std::pair<uint32_t, int32_t>(t, INT32_MIN));
          if (it == d.terms.end() || it->first != t) {
            all = false;
            break;
          }
          score += it->second;
        }
        if (all) matches.push_back({n, score, posted_ms_[n], pay_[n]});
      }
    }
  } else {
    for (size_t w = 0; w < allowed.size(); ++w) {
      uint64_t word = allowed[w];
      while (word != 0) {
        const uint32_t n = static_cast<uint32_t>(w * 64 + __builtin_ctzll(word));
        word &= word - 1;
        if (passes(n)) matches.push_back({n, 0, posted_ms_[n], pay_[n]});
      }
    }
  }
  response.set_total_count(static_cast<int64_t>(matches.size()));

  // --- Facets over the filtered set.
  std::vector<int64_t> arrangement_counts(kArrangementCount), setting_counts(kSettingCount);
  std::vector<int64_t> state_counts(states_.names.size()), credential_counts(credentials_.names.size()),
      specialty_counts(specialties_.names.size());
  if (matches.size() < kBitsetFacetThreshold) {
    for (const Match& m : matches) {
      const Doc& d = docs_[m.doc];
      ++arrangement_counts[d.arrangement];
      for (int s : d.settings) ++setting_counts[s];
      for (uint32_t s : d.states) ++state_counts[s];
      for (uint32_t c : d.credentials) ++credential_counts[c];
      for (uint32_t s : d.specialties) ++specialty_counts[s];
    }
  } else {
    matched.assign(live_.size(), 0);
    for (const Match& m : matches) matched[m.doc >> 6] |= uint64_t{1} << (m.doc & 63);
    auto count = [&](const Bits& bits) {
      int64_t c = 0;
      for (size_t i = 0; i < matched.size() && i < bits.size(); ++i) {
        c += __builtin_popcountll(matched[i] & bits[i]);
      }
      return c;
    };
    for (int a = 1; a < kArrangementCount; ++a) arrangement_counts[a] = count(arrangements_[a]);
    for (int st = 1; st < kSettingCount; ++st) setting_counts[st] = count(settings_[st]);
    for (size_t i = 0; i < states_.names.size(); ++i) {
      if (states_.names[i] != kAnyState) state_counts[i] = count(states_.bits[i]);
    }
    for (size_t i = 0; i < credentials_.names.size(); ++i) {
      credential_counts[i] = count(credentials_.bits[i]);
    }
    for (size_t i = 0; i < specialties_.names.size(); ++i) {
      specialty_counts[i] = count(specialties_.bits[i]);
    }
  }
  auto add_facet = [&](const char* name, const std::vector<int64_t>& counts, auto&& name_of) {
    std::vector<std::pair<int64_t, std::string>> values;
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] > 0) values.emplace_back(-counts[i], name_of(i));
    }
    std::sort(values.begin(), values.end());
    v1::Facet* facet = response.add_facets();
    facet->set_name(name);
    for (size_t i = 0; i < values.size() && i < kFacetValues; ++i) {
      v1::FacetValue* v = facet->add_values();
      v->set_value(values[i].second);
      v->set_count(-values[i].first);
    }
  };
  add_facet("arrangement", arrangement_counts, [](size_t i) {
    return v1::WorkArrangement_Name(static_cast<v1::WorkArrangement>(i));
  });
  add_facet("state", state_counts, [&](size_t i) { return states_.names[i]; });
  add_facet("credential", credential_counts, [&](size_t i) { return credentials_.names[i]; });
  add_facet("setting", setting_counts, [](size_t i) {
    return v1::CodingSetting_Name(static_cast<v1::CodingSetting>(i));
  });
  add_facet("specialty", specialty_counts, [&](size_t i) { return specialties_.names[i]; });

  // --- Order and page. Ties fall back to newest, then document number, so
  // that pages are stable.
  auto newer = [](const Match& a, const Match& b) {
    if (a.posted_ms != b.posted_ms) return a.posted_ms > b.posted_ms;
    return a.doc > b.doc;
  };
  auto order = [&](const Match& a, const Match& b) {
    if (sort == v1::JOB_SORT_RELEVANCE && a.score != b.score) return a.score > b.score;
    if (sort == v1::JOB_SORT_PAY && a.pay != b.pay) return a.pay > b.pay;
    return newer(a, b);
  };
  const size_t end = std::min(matches.size(), static_cast<size_t>(offset) + page_size);
  if (static_cast<size_t>(offset) < matches.size()) {
    std::partial_sort(matches.begin(), matches.begin() + end, matches.end(), order);
    for (size_t i = offset; i < end; ++i) {
      *response.add_postings() = *docs_[matches[i].doc].posting;
    }
    if (end < matches.size()) response.set_next_page_token(absl::StrCat(end));
  }
  return response;
}

}  // namespace openencoder::jobs
