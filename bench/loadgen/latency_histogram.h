// LatencyHistogram: an HDR-style log-linear histogram of durations.
//
// Every recorded value lands in a bucket whose width is at most 1/128 of its
// lower edge, so any reported percentile is within 0.8% of the true sample
// (values below 128 ns are exact). Memory is fixed (a few thousand counters)
// whatever the run length, and histograms from several workers or slices are
// combined with Merge().
//
// Not thread-safe: give each worker its own histogram and merge afterwards.
//
// Example:
//   LatencyHistogram h;
//   h.Record(absl::Microseconds(250));
//   absl::Duration p99 = h.Percentile(99.0);
#ifndef OPENENCODER_BENCH_LOADGEN_LATENCY_HISTOGRAM_H_
#define OPENENCODER_BENCH_LOADGEN_LATENCY_HISTOGRAM_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"

namespace openencoder::loadgen {

class LatencyHistogram {
 public:
  LatencyHistogram();

  // Records one duration. Negative values count as zero; values above
  // ~18 minutes are clamped into the top bucket.
  void Record(absl::Duration latency);

  // Adds every sample of `other` to this histogram.
  void Merge(const LatencyHistogram& other);

  int64_t count() const { return count_; }
  absl::Duration min() const;   // zero when empty
  absl::Duration max() const;   // zero when empty
  absl::Duration Mean() const;  // zero when empty

  // The smallest recorded value v such that at least `percent`% of samples
  // are <= v (reported as its bucket's upper edge, capped at max()).
  // `percent` is clamped to [0, 100]; returns zero when empty. Monotone in
  // `percent`, so p50 <= p90 <= p99 <= p99.9 always holds.
  absl::Duration Percentile(double percent) const;

 private:
  static int BucketOf(int64_t nanos);
  static int64_t UpperEdgeOf(int bucket);

  std::vector<int64_t> buckets_;
  int64_t count_ = 0;
  int64_t min_nanos_ = 0;
  int64_t max_nanos_ = 0;
  double sum_nanos_ = 0;
};

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_LATENCY_HISTOGRAM_H_
