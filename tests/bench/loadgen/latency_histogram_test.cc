#include "bench/loadgen/latency_histogram.h"

#include <cmath>

#include "gtest/gtest.h"

namespace openencoder::loadgen {
namespace {

TEST(LatencyHistogramTest, EmptyHistogramReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.Percentile(50), absl::ZeroDuration());
  EXPECT_EQ(h.Mean(), absl::ZeroDuration());
  EXPECT_EQ(h.max(), absl::ZeroDuration());
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (int ns = 1; ns <= 100; ++ns) h.Record(absl::Nanoseconds(ns));
  EXPECT_EQ(h.Percentile(50), absl::Nanoseconds(50));
  EXPECT_EQ(h.Percentile(99), absl::Nanoseconds(99));
  EXPECT_EQ(h.Percentile(100), absl::Nanoseconds(100));
  EXPECT_EQ(h.min(), absl::Nanoseconds(1));
}

TEST(LatencyHistogramTest, PercentilesOfAUniformSpreadAreWithinOnePercent) {
  LatencyHistogram h;
  // 1..10000 microseconds, one sample each.
  for (int us = 1; us <= 10000; ++us) h.Record(absl::Microseconds(us));
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    double want = p * 100;  // microseconds
    double got = absl::ToDoubleMicroseconds(h.Percentile(p));
    EXPECT_NEAR(got, want, want * 0.01) << "p" << p;
  }
  EXPECT_NEAR(absl::ToDoubleMicroseconds(h.Mean()), 5000.5, 0.01);
}

TEST(LatencyHistogramTest, PercentileNeverExceedsMaxOrUndercutsMin) {
  LatencyHistogram h;
  h.Record(absl::Microseconds(1234));
  EXPECT_EQ(h.Percentile(0), absl::Microseconds(1234));
  EXPECT_EQ(h.Percentile(100), absl::Microseconds(1234));
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverythingInOne) {
  LatencyHistogram a, b, all;
  for (int i = 1; i <= 500; ++i) {
    absl::Duration d = absl::Microseconds(i * 7);
    (i % 2 == 0 ? a : b).Record(d);
    all.Record(d);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9}) {
    EXPECT_EQ(a.Percentile(p), all.Percentile(p)) << "p" << p;
  }
}

TEST(LatencyHistogramTest, MergeIntoEmptyKeepsOthersMin) {
  LatencyHistogram empty, other;
  other.Record(absl::Milliseconds(3));
  empty.Merge(other);
  EXPECT_EQ(empty.min(), absl::Milliseconds(3));
}

TEST(LatencyHistogramTest, HugeAndNegativeValuesAreClampedNotLost) {
  LatencyHistogram h;
  h.Record(absl::Hours(5));
  h.Record(absl::Nanoseconds(-5));
  EXPECT_EQ(h.count(), 2);
  EXPECT_EQ(h.min(), absl::ZeroDuration());
  EXPECT_LE(h.Percentile(50), h.Percentile(100));
}

}  // namespace
}  // namespace openencoder::loadgen
