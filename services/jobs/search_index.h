// The in-memory index SearchJobs answers from, so that a search costs no
// Redis round trip. It holds the published postings only.
//
// Layout (why): a query is a few word-wise ANDs and one short walk.
// - Filters are dense bitsets over document numbers (doc_bits.h), one per
//   value of every facet; a query ANDs (and ORs within a field) ~1,600 words
//   per value for 100,000 postings.
// - Keywords are per-word lists of (document, weight), sorted by document
//   and contiguous, so the rarest word's list is walked sequentially and
//   each entry is tested against the filter bitset; other words are found by
//   binary search from a forward-moving cursor. The weight is the relevance
//   score, so matching never reads a posting.
// - Expiry: `open_` holds the live postings not yet seen expired and a
//   min-heap of closing times says when the next one expires; a query at or
//   past that time first moves the expired ones out of `open_` (a short
//   exclusive step, once per expiring posting), so filters never compare
//   closing times and an expired posting still disappears at its time with
//   nothing having to run. A query with a clock behind the last sweep
//   compares closing times per match instead.
// - Facets are counted per match from a flat per-document list of value ids
//   when the match set is small, else by AND-popcount of the match set with
//   each value's bitset, whichever reads fewer words.
// - The page is a bounded top-k (top_k.h) over the matches with sort keys
//   from contiguous arrays; only the page's postings are copied.
// - A changed posting gets a new document number at the end (lists stay
//   sorted without inserting) and its old number is cleared from the live
//   bitsets; once more than half of the numbers are dead the whole index is
//   rebuilt compactly.
//
// Thread safety: Upsert and Search may be called concurrently (a reader/
// writer lock; searches share it except for the rare expiry step).
#ifndef OPENENCODER_SERVICES_JOBS_SEARCH_INDEX_H_
#define OPENENCODER_SERVICES_JOBS_SEARCH_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"
#include "services/jobs/doc_bits.h"

namespace openencoder::jobs {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
inline constexpr size_t kMaxQueryBytes = 256;

// Pay as yearly cents for comparing and sorting: hourly x 2,080, salary as
// is; per-chart pay has no yearly equivalent and counts as 0 (it never
// passes a minimum-pay filter and sorts last by pay).
int64_t YearlyPayCents(const v1::PayRange& pay);

class SearchIndex {
 public:
  SearchIndex();
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Puts the posting's current state into the index: published postings are
  // (re)indexed, any other status removes it. A version older than the one
  // already seen for that id is ignored, so the change feed and a writer's
  // own update may arrive in any order.
  void Upsert(const v1::JobPosting& posting);

  // Answers a public search at `now`. Postings come back without
  // applicant_count. INVALID_ARGUMENT: query over 256 bytes, unknown state
  // or credential or enum value, negative numbers, bad page token.
  absl::StatusOr<v1::SearchJobsResponse> Search(const v1::SearchJobsRequest& request,
                                                absl::Time now) const;

  // Indexed (published) postings, expired ones included.
  size_t live_count() const;

 private:
  using Bits = DocBits;
  struct Query;

  // A (document, weight) entry of a word's list.
  struct TermPosting {
    uint32_t doc;
    int32_t weight;
  };

  // A value dictionary for one facet field (states, credentials, specialties).
  struct Dictionary {
    absl::flat_hash_map<std::string, uint32_t> ids;
    std::vector<std::string> names;
    std::vector<Bits> bits;
    uint32_t IdOf(const std::string& name);  // adds
    const Bits* Find(const std::string& name) const;
  };

  void AddDoc(std::shared_ptr<const v1::JobPosting> posting) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Compact() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The ref of a facet value (see facet_refs_), added when new.
  uint32_t FacetRef(uint32_t facet, uint32_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The bitset of a facet value, by ref.
  const Bits& FacetBits(uint32_t ref) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // True when a posting in `open_` closes at or before now_ms.
  bool NeedsSweep(int64_t now_ms) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Moves the postings closing at or before now_ms out of `open_`.
  void Sweep(int64_t now_ms) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Validates and normalises a request (no lock needed).
  static absl::Status ParseQuery(const v1::SearchJobsRequest& request, absl::Time now,
                                 Query& query);
  void SearchLocked(const Query& query, v1::SearchJobsResponse& response) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void AddFacets(const std::vector<uint32_t>& matches, const Bits* match_bits,
                 v1::SearchJobsResponse& response) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  // By document number; null once the document is dead.
  std::vector<std::shared_ptr<const v1::JobPosting>> docs_ ABSL_GUARDED_BY(mu_);
  // Hot per-document numbers, contiguous so that filtering and ranking read
  // a few cache lines instead of one posting each.
  std::vector<int64_t> posted_ms_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> closes_ms_ ABSL_GUARDED_BY(mu_);  // INT64_MAX: no date
  std::vector<int64_t> pay_ ABSL_GUARDED_BY(mu_);
  // Facet values of document n: facet_refs_[facet_begin_[n], facet_begin_[n + 1]),
  // each an index into facet_values_, so counting them is one increment each.
  std::vector<uint32_t> facet_begin_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> facet_refs_ ABSL_GUARDED_BY(mu_);
  // (facet, value id within the facet) by ref, and back.
  std::vector<std::pair<uint32_t, uint32_t>> facet_values_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, uint32_t> facet_ref_of_ ABSL_GUARDED_BY(mu_);
  size_t dead_ ABSL_GUARDED_BY(mu_) = 0;
  Bits live_ ABSL_GUARDED_BY(mu_);
  // Expiry state: mutable because a search advances it (see the top). Live
  // documents missing from open_ closed at or before swept_ms_.
  mutable Bits open_ ABSL_GUARDED_BY(mu_);
  mutable std::vector<std::pair<int64_t, uint32_t>> expiry_heap_ ABSL_GUARDED_BY(mu_);
  mutable int64_t swept_ms_ ABSL_GUARDED_BY(mu_) = INT64_MIN;
  Bits cpc_a_ ABSL_GUARDED_BY(mu_);
  std::vector<Bits> arrangements_ ABSL_GUARDED_BY(mu_);  // by WorkArrangement
  std::vector<Bits> settings_ ABSL_GUARDED_BY(mu_);      // by CodingSetting
  Dictionary states_ ABSL_GUARDED_BY(mu_);
  Dictionary credentials_ ABSL_GUARDED_BY(mu_);
  Dictionary specialties_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> term_ids_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<TermPosting>> term_postings_ ABSL_GUARDED_BY(mu_);
  struct Seen {
    int64_t version = 0;
    int64_t doc = -1;  // -1: not indexed
  };
  absl::flat_hash_map<std::string, Seen> seen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_SEARCH_INDEX_H_
