// The answers of recent searches, for the next request of the same search:
// the next page, the same search from another coder, a refresh. Like
// Lucene's query cache or Solr's queryResultCache, it keeps what a search
// costs most to find (its match count, its facets and its best-ranked
// documents) and never serves an answer from an older index: every entry
// carries the index generation it was computed at, and SearchIndex bumps the
// generation on every change, including a posting expiring. So a hit is
// exactly what a fresh search would return.
//
// Why: a keyword search with filters over 100,000 postings walks a few
// thousand matches and counts their facet values (tens of microseconds); a
// repeated one only copies a page of serialised postings.
//
// Least recently used entries go first. Thread-safe.
#ifndef OPENENCODER_SERVICES_JOBS_RESULT_CACHE_H_
#define OPENENCODER_SERVICES_JOBS_RESULT_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::jobs {

struct CachedResult {
  uint64_t generation = 0;       // of the index it was computed from
  int64_t total = 0;             // all matches
  std::string facets_wire;       // the response's serialised facets fields
  std::vector<uint32_t> ranked;  // the best documents, best first
};

class ResultCache {
 public:
  // capacity 0: caches nothing.
  explicit ResultCache(size_t capacity) : capacity_(capacity) {}

  size_t capacity() const { return capacity_; }

  // The entry for `key` computed at `generation`, or null.
  std::shared_ptr<const CachedResult> Find(const std::string& key, uint64_t generation);

  // Keeps `result` for `key`, replacing an older entry and evicting the
  // least recently used one when full.
  void Put(const std::string& key, std::shared_ptr<const CachedResult> result);

 private:
  using Recency = std::list<std::string>;
  struct Slot {
    std::shared_ptr<const CachedResult> result;
    Recency::iterator recency;
  };

  const size_t capacity_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Slot> slots_ ABSL_GUARDED_BY(mu_);
  Recency recency_ ABSL_GUARDED_BY(mu_);  // most recent first
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_RESULT_CACHE_H_
