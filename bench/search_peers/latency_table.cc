#include "bench/search_peers/latency_table.h"

#include <algorithm>
#include <cmath>

namespace openencoder::search::bench {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank =
      static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

LatencySummary Summarise(const std::vector<std::vector<double>>& samples) {
  std::vector<double> per_query;
  per_query.reserve(samples.size());
  for (const std::vector<double>& reps : samples) {
    if (!reps.empty()) per_query.push_back(Percentile(reps, 50));
  }
  LatencySummary summary;
  summary.median_us = Percentile(per_query, 50);
  summary.p99_us = Percentile(per_query, 99);
  summary.max_us = Percentile(per_query, 100);
  return summary;
}

}  // namespace openencoder::search::bench
