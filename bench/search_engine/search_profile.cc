// Profiling driver: builds the index of the real corpus once, then runs the
// labelled queries and every keystroke prefix of them `--reps` times, and
// prints per-set min-of-reps median/p99 and a checksum of the top-10 codes
// (so a speed change that alters results shows up). Meant to run under
// `perf record` or `valgrind --tool=callgrind --instr-atstart=no`.
// Usage: oe_profile_search_engine --data=DIR [--reps=N] [--set=query|keystroke]
//        [--slowest=N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <valgrind/callgrind.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/strip.h"
#include "services/search/engine/eval/labelled_queries.h"
#include "services/search/engine/eval/real_corpus.h"
#include "services/search/engine/index_builder.h"
#include "services/search/engine/synonym_table.h"

namespace oes = openencoder::search;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  std::string data = "../shared/data", set;
  int reps = 5;
  size_t slowest = 0;
  for (int i = 1; i < argc; ++i) {
    absl::string_view a = argv[i];
    if (absl::ConsumePrefix(&a, "--data=")) data = std::string(a);
    else if (absl::ConsumePrefix(&a, "--reps=")) reps = std::max(1, std::atoi(a.data()));
    else if (absl::ConsumePrefix(&a, "--set=")) set = std::string(a);
    else if (absl::ConsumePrefix(&a, "--slowest=")) slowest = std::atoi(a.data());
  }
  auto corpus = oes::LoadRealCorpus(data, "data/demo/code_notes.tsv");
  auto queries = oes::LoadLabelledQueries("data/search/queries.tsv");
  auto synonyms = oes::SynonymTable::LoadFile("data/search/synonyms.tsv");
  if (!corpus.ok() || !queries.ok() || !synonyms.ok()) return 1;
  const auto build_start = Clock::now();
  oes::IndexBuilder builder;
  builder.SetSynonyms(*std::move(synonyms));
  for (oes::SearchDocument& d : corpus->documents) {
    if (!builder.Add(std::move(d)).ok()) return 1;
  }
  auto index = std::move(builder).Build();
  if (!index.ok()) return 1;
  std::printf("build %.2f s\n",
              std::chrono::duration<double>(Clock::now() - build_start).count());

  // Under `valgrind --tool=callgrind --instr-atstart=no` only the searches
  // are simulated, so an instruction count takes seconds, not minutes.
  CALLGRIND_START_INSTRUMENTATION;
  std::vector<std::string> texts, keys;
  absl::flat_hash_set<std::string> seen;
  for (const auto& q : *queries) {
    texts.push_back(q.query);
    for (size_t n = 1; n <= q.query.size(); ++n) {
      if (q.query[n - 1] == ' ') continue;
      std::string prefix = q.query.substr(0, n);
      if (seen.insert(prefix).second) keys.push_back(std::move(prefix));
    }
  }
  for (int s = 0; s < 2; ++s) {
    const char* name = s == 0 ? "query" : "keystroke";
    if (!set.empty() && set != name) continue;
    const std::vector<std::string>& inputs = s == 0 ? texts : keys;
    std::vector<double> best(inputs.size(), 1e18);
    size_t checksum = 0;
    for (int r = 0; r < reps; ++r) {
      for (size_t q = 0; q < inputs.size(); ++q) {
        oes::SearchRequest request;
        request.query = inputs[q];
        const auto start = Clock::now();
        auto response = (*index)->Search(request);
        const double us =
            std::chrono::duration<double, std::micro>(Clock::now() - start).count();
        best[q] = std::min(best[q], us);
        if (r == 0 && response.ok()) {
          std::string text = std::to_string(response->total);
          for (const auto& hit : response->hits) {
            text += " " + hit.code + " " + hit.snippet;
          }
          checksum = checksum * 31 + std::hash<std::string>()(text);
        }
      }
    }
    std::vector<double> sorted = best;
    std::sort(sorted.begin(), sorted.end());
    double sum = 0;
    for (double v : sorted) sum += v;
    std::printf("%-9s n=%zu p50 %.1f us p90 %.1f us p99 %.1f us sum %.0f us checksum %zx\n",
                name, sorted.size(), sorted[sorted.size() / 2],
                sorted[sorted.size() * 9 / 10],
                sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)], sum,
                checksum);
    std::vector<size_t> order(inputs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return best[a] > best[b]; });
    for (size_t i = 0; i < std::min(slowest, order.size()); ++i) {
      std::printf("  %9.1f us  %s\n", best[order[i]], inputs[order[i]].c_str());
    }
  }
  return 0;
}
