// The in-memory index SearchJobs answers from, so that a search costs no
// Redis round trip. It holds the published postings only.
//
// Layout (why): a query is a few word-wise ANDs and one short walk.
// - Filters are dense bitsets over document numbers (doc_bits.h), one per
//   value of every facet; a query ANDs (and ORs within a field) ~1,600 words
//   per value for 100,000 postings.
// - Keywords are per-word lists of documents sorted by number, with each
//   one's weight and posting time alongside, so the rarest word's list is
//   walked sequentially and each entry is tested against the filter bitset
//   (without a branch); other words are found by binary search below a
//   bound that only moves down. The weight is the relevance score, so
//   matching never reads a posting.
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
//   from the word lists or contiguous arrays; the response is written as
//   wire bytes (wire_writer.h) around each page posting's bytes serialised
//   at indexing time.
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
#include "services/jobs/huge_page_allocator.h"
#include "services/jobs/result_cache.h"

namespace openencoder::jobs {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
inline constexpr size_t kMaxQueryBytes = 256;
inline constexpr size_t kDefaultCachedResults = 1024;

// Pay as yearly cents for comparing and sorting: hourly x 2,080, salary as
// is; per-chart pay has no yearly equivalent and counts as 0 (it never
// passes a minimum-pay filter and sorts last by pay).
int64_t YearlyPayCents(const v1::PayRange& pay);

class SearchIndex {
 public:
  // Keeps the answers of up to `cached_results` recent searches
  // (result_cache.h); 0 turns the cache off.
  explicit SearchIndex(size_t cached_results = kDefaultCachedResults);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Puts the posting's current state into the index: published postings are
  // (re)indexed, any other status removes it. A version older than or equal
  // to the one already seen for that id is ignored (versions grow with every
  // change), so the change feed, a writer's own update and a reconcile may
  // arrive in any order and repeat. Returns whether the index changed.
  bool Upsert(const v1::JobPosting& posting);

  // Answers a public search at `now` with a serialised SearchJobsResponse
  // in `wire` (replaced). Postings come back without applicant_count.
  // INVALID_ARGUMENT: query over 256 bytes, unknown state or credential or
  // enum value, negative numbers, bad page token.
  absl::Status SearchWire(const v1::SearchJobsRequest& request, absl::Time now,
                          std::string& wire) const;

  // The same answer as a message (tests, tools): SearchWire, parsed.
  absl::StatusOr<v1::SearchJobsResponse> Search(const v1::SearchJobsRequest& request,
                                                absl::Time now) const;

  // Indexed (published) postings, expired ones included.
  size_t live_count() const;

 private:
  using Bits = DocBits;
  struct Query;

  // A word's documents, ascending, as parallel arrays: the walk tests every
  // document number against the filters, so those are contiguous on their
  // own; the weight (the relevance score) and the posting time (every
  // ranking's sort key or tie-break) are read for the passing few. Read
  // from a per-document array, the posting time cost one cache miss per
  // match, over half of a keyword search.
  struct TermList {
    std::vector<uint32_t> docs;
    std::vector<int32_t> weights;
    std::vector<int64_t> posted_ms;
  };

  // A value dictionary for one facet field (states, credentials, specialties).
  struct Dictionary {
    absl::flat_hash_map<std::string, uint32_t> ids;
    std::vector<std::string> names;
    std::vector<Bits> bits;
    uint32_t IdOf(const std::string& name);  // adds
    const Bits* Find(const std::string& name) const;
  };

  // Indexes `posting` as the next document; `wire` is its public form,
  // serialised.
  void AddDoc(const v1::JobPosting& posting, std::string wire) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Compact() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Appends the next document's facet value refs to facet_slots_.
  void StoreFacetRefs(const std::vector<uint32_t>& refs) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The ref of a facet value (see facet_slots_), added when new.
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
  void SearchLocked(const Query& query, std::string& wire) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Counts the facet values of the matches and appends the response's
  // `facets` fields to `wire`.
  void AppendFacets(const std::vector<uint32_t>& matches, const Bits* match_bits,
                    std::string& wire) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Appends the response for `q`'s page of `result`.
  void AppendResponse(const CachedResult& result, const Query& q, std::string& wire) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The ResultCache key of a search: everything but the page.
  static void CacheKey(const Query& q, std::string& key);

  // Ranked documents a cached answer keeps: five pages of the default size.
  static constexpr size_t kCachedRanks = 5 * kDefaultPageSize;

  mutable absl::Mutex mu_;
  // Bumped by every change to what a search can return (an upsert, an
  // expiry sweep): the ResultCache serves only answers of this generation.
  mutable uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  mutable ResultCache cache_;
  // The public posting serialised, by document number (cleared once dead):
  // a page copies these bytes into the response, so a search neither copies
  // nor serialises nor destroys messages (those were a third of its CPU).
  std::vector<std::string> wire_ ABSL_GUARDED_BY(mu_);
  // Hot per-document numbers, contiguous so that filtering and ranking read
  // a few cache lines instead of one posting each.
  std::vector<int64_t> posted_ms_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> closes_ms_ ABSL_GUARDED_BY(mu_);  // INT64_MAX: no date
  std::vector<int64_t> pay_ ABSL_GUARDED_BY(mu_);
  // Facet values of document n, each an index ("ref") into facet_values_,
  // so that counting them is one increment each: kFacetSlotBytes bytes from
  // n * kFacetSlotBytes. Byte 0 is their number c when c < kFacetSlotBytes
  // and every ref is below 256: then bytes 1..c are the refs. Otherwise byte
  // 0 is kOverflowMark and bytes 4..7 the offset in facet_overflow_ of
  // [c, ref 1, ..., ref c].
  // Why: a fixed stride puts a document's values at an address computed
  // from its number, with no dependent load (a begin-offset array cost two
  // dependent misses per match), and one byte a value keeps 100,000
  // documents in 800 KB, inside the L2 cache.
  // An unused byte r holds the ref r - 1, one of the "sink" values of no
  // facet, never reported: a fixed number of increments per document, and
  // one sink per position, so that padding does not chain increments of one
  // counter either.
  static constexpr size_t kFacetSlotBytes = 8;
  static constexpr uint8_t kOverflowMark = 0xFF;
  static constexpr uint32_t kSinkRefs = kFacetSlotBytes - 1;
  static constexpr std::pair<uint32_t, uint32_t> kSinkValue{~uint32_t{0}, 0};
  std::vector<uint8_t, HugePageAllocator<uint8_t>> facet_slots_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t, HugePageAllocator<uint32_t>> facet_overflow_ ABSL_GUARDED_BY(mu_);
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
  std::vector<TermList> term_lists_ ABSL_GUARDED_BY(mu_);
  struct Seen {
    int64_t version = 0;
    int64_t doc = -1;  // -1: not indexed
  };
  absl::flat_hash_map<std::string, Seen> seen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_SEARCH_INDEX_H_
