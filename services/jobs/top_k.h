// The best k documents of a stream, for one search page: a bounded heap, so
// a search over thousands of matches keeps k entries and rejects most
// candidates with one comparison instead of sorting them all.
//
//   TopK top;
//   top.Reset(offset + page_size);
//   for (...) top.Offer({score, posted_ms, doc});
//   const std::vector<RankedDoc>& page = top.TakeSorted();  // best first
//
// Not thread-safe; reuse one per thread to keep its buffer.
#ifndef OPENENCODER_SERVICES_JOBS_TOP_K_H_
#define OPENENCODER_SERVICES_JOBS_TOP_K_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/attributes.h"

namespace openencoder::jobs {

// Larger `primary` ranks first (relevance score, yearly pay, or posted time
// for "newest"); ties go to the newer posting, then to the higher document
// number, so the order is total and pages are stable.
struct RankedDoc {
  int64_t primary;
  int64_t posted_ms;
  uint32_t doc;
};

inline bool RanksBefore(const RankedDoc& a, const RankedDoc& b) {
  if (a.primary != b.primary) return a.primary > b.primary;
  if (a.posted_ms != b.posted_ms) return a.posted_ms > b.posted_ms;
  return a.doc > b.doc;
}

class TopK {
 public:
  void Reset(size_t k) {
    k_ = k;
    heap_.clear();
  }

  // The heap's front is the worst kept entry. Most candidates of a large
  // match set lose to it: that test is inline, the heap work is not.
  void Offer(const RankedDoc& candidate) {
    if (heap_.size() < k_) {
      Push(candidate);
    } else if (k_ > 0 && RanksBefore(candidate, heap_.front())) {
      Replace(candidate);
    }
  }

  // The kept entries, best first. Offer must not be called again before
  // Reset.
  const std::vector<RankedDoc>& TakeSorted() {
    std::sort_heap(heap_.begin(), heap_.end(), RanksBefore);
    return heap_;
  }

 private:
  ABSL_ATTRIBUTE_NOINLINE void Push(const RankedDoc& candidate) {
    heap_.push_back(candidate);
    std::push_heap(heap_.begin(), heap_.end(), RanksBefore);
  }
  ABSL_ATTRIBUTE_NOINLINE void Replace(const RankedDoc& candidate) {
    std::pop_heap(heap_.begin(), heap_.end(), RanksBefore);
    heap_.back() = candidate;
    std::push_heap(heap_.begin(), heap_.end(), RanksBefore);
  }

  size_t k_ = 0;
  std::vector<RankedDoc> heap_;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_TOP_K_H_
