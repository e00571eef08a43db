#include "bench/loadgen/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace openencoder::loadgen {
namespace {

// 2^7 sub-buckets per power of two bounds the relative error by 1/128.
constexpr int kSubBucketBits = 7;
constexpr int64_t kSubBuckets = int64_t{1} << kSubBucketBits;
// 2^40 ns is about 18 minutes: far beyond any sane RPC deadline.
constexpr int kMaxExponent = 40;
constexpr int kBucketCount = (kMaxExponent - kSubBucketBits + 2) * static_cast<int>(kSubBuckets);

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0) {}

int LatencyHistogram::BucketOf(int64_t nanos) {
  if (nanos < kSubBuckets) return static_cast<int>(nanos);
  int msb = std::bit_width(static_cast<uint64_t>(nanos)) - 1;
  if (msb > kMaxExponent) return kBucketCount - 1;
  // The top kSubBucketBits+1 bits of the value select the bucket.
  int shift = msb - kSubBucketBits;
  int64_t sub = (nanos >> shift) - kSubBuckets;
  return static_cast<int>((shift + 1) * kSubBuckets + sub);
}

int64_t LatencyHistogram::UpperEdgeOf(int bucket) {
  if (bucket < kSubBuckets) return bucket;
  int shift = bucket / static_cast<int>(kSubBuckets) - 1;
  int64_t sub = bucket % kSubBuckets + kSubBuckets;
  return ((sub + 1) << shift) - 1;
}

void LatencyHistogram::Record(absl::Duration latency) {
  int64_t nanos = std::max<int64_t>(0, absl::ToInt64Nanoseconds(latency));
  ++buckets_[BucketOf(nanos)];
  if (count_ == 0 || nanos < min_nanos_) min_nanos_ = nanos;
  if (count_ == 0 || nanos > max_nanos_) max_nanos_ = nanos;
  ++count_;
  sum_nanos_ += static_cast<double>(nanos);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (int i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  min_nanos_ = count_ == 0 ? other.min_nanos_ : std::min(min_nanos_, other.min_nanos_);
  max_nanos_ = std::max(max_nanos_, other.max_nanos_);
  count_ += other.count_;
  sum_nanos_ += other.sum_nanos_;
}

absl::Duration LatencyHistogram::min() const { return absl::Nanoseconds(min_nanos_); }

absl::Duration LatencyHistogram::max() const { return absl::Nanoseconds(max_nanos_); }

absl::Duration LatencyHistogram::Mean() const {
  if (count_ == 0) return absl::ZeroDuration();
  return absl::Nanoseconds(sum_nanos_ / static_cast<double>(count_));
}

absl::Duration LatencyHistogram::Percentile(double percent) const {
  if (count_ == 0) return absl::ZeroDuration();
  percent = std::clamp(percent, 0.0, 100.0);
  // Rank of the wanted sample, 1-based; at least the first sample.
  auto rank = static_cast<int64_t>(std::ceil(percent / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<int64_t>(rank, 1, count_);
  int64_t seen = 0;
  for (int i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      int64_t edge = std::clamp(UpperEdgeOf(i), min_nanos_, max_nanos_);
      return absl::Nanoseconds(edge);
    }
  }
  return absl::Nanoseconds(max_nanos_);
}

}  // namespace openencoder::loadgen
