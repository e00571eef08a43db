// Latency bookkeeping for the peer benchmark. Each query is timed several
// times, interleaved with the other engines; a query's latency is the
// median of its repetitions (robust to a neighbour stealing the CPU for
// one run), and the table reports the median and the 99th percentile of
// those per-query figures across queries.
#ifndef OPENENCODER_BENCH_SEARCH_PEERS_LATENCY_TABLE_H_
#define OPENENCODER_BENCH_SEARCH_PEERS_LATENCY_TABLE_H_

#include <cstddef>
#include <vector>

namespace openencoder::search::bench {

struct LatencySummary {
  double median_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

// samples[q] holds the repetitions of query q, in microseconds.
LatencySummary Summarise(const std::vector<std::vector<double>>& samples);

// Nearest-rank percentile (0 < p <= 100) of `values`; 0 when empty.
double Percentile(std::vector<double> values, double p);

}  // namespace openencoder::search::bench

#endif  // OPENENCODER_BENCH_SEARCH_PEERS_LATENCY_TABLE_H_
