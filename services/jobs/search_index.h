// The in-memory index SearchJobs answers from, so that a search costs no
// Redis round trip. It holds the published postings only; expiry is checked
// against closes_at on every query, so an expired posting disappears at its
// time with nothing having to run.
//
// Layout (why): filters are bitsets over dense document numbers (AND/OR of
// 100,000 documents is ~1,600 word operations); keywords are sorted
// document lists per word, walked from the rarest word and checked against
// the filter bitset bit by bit. A changed posting gets a new document
// number at the end (lists stay sorted without inserting) and its old number
// is cleared from the live bitset; once more than half of the numbers are
// dead the whole index is rebuilt compactly.
//
// Thread safety: Upsert and Search may be called concurrently (a reader/
// writer lock; searches share it).
#ifndef OPENENCODER_SERVICES_JOBS_SEARCH_INDEX_H_
#define OPENENCODER_SERVICES_JOBS_SEARCH_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"

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
  ~SearchIndex();  // out of line: Doc is defined in the .cc
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
  struct Doc;
  using Bits = std::vector<uint64_t>;

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
  void SetBit(Bits& bits, uint32_t doc) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::vector<Doc> docs_ ABSL_GUARDED_BY(mu_);
  // Hot per-document numbers, contiguous so that filtering and sorting a
  // large match set reads a few cache lines instead of one Doc each.
  std::vector<int64_t> posted_ms_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> closes_ms_ ABSL_GUARDED_BY(mu_);  // INT64_MAX: no date
  std::vector<int64_t> pay_ ABSL_GUARDED_BY(mu_);
  size_t dead_ ABSL_GUARDED_BY(mu_) = 0;
  Bits live_ ABSL_GUARDED_BY(mu_);
  Bits cpc_a_ ABSL_GUARDED_BY(mu_);
  std::vector<Bits> arrangements_ ABSL_GUARDED_BY(mu_);  // by WorkArrangement
  std::vector<Bits> settings_ ABSL_GUARDED_BY(mu_);      // by CodingSetting
  Dictionary states_ ABSL_GUARDED_BY(mu_);
  Dictionary credentials_ ABSL_GUARDED_BY(mu_);
  Dictionary specialties_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> term_ids_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<uint32_t>> term_docs_ ABSL_GUARDED_BY(mu_);
  struct Seen {
    int64_t version = 0;
    int64_t doc = -1;  // -1: not indexed
  };
  absl::flat_hash_map<std::string, Seen> seen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_SEARCH_INDEX_H_
