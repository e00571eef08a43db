// Profiling driver: builds the index of the real corpus once, then runs the
// labelled queries and every keystroke prefix of them `--reps` times, and
// prints per-set min-of-reps median/p99 and a checksum of the top-10 codes
// (so a speed change that alters results shows up). Meant to run under
// `perf record` or `valgrind --tool=callgrind --instr-atstart=no`.
// Usage: oe_profile_search_engine --data=DIR [--reps=N] [--set=query|keystroke]
//        [--slowest=N] [--inputs=FILE] [--dump=FILE] [--evict=KB]
// --inputs: one query per line instead of the labelled queries and their
// keystrokes (set "query"). --dump: every field of every response (scores
// as exact hex floats), page 1 of each input with and without a systems
// filter, to diff results before and after an engine change. --evict:
// writes a buffer of KB kilobytes before each timed Search (untimed, and
// outside callgrind's collection), so the engine's data is out of the
// caches as in the server, where gRPC and the other processes evict it
// between calls: a warm loop alone hides the cost of touching much memory.
#include <valgrind/callgrind.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/strip.h"
#include "libs/search_engine/eval/labelled_queries.h"
#include "libs/search_engine/eval/real_corpus.h"
#include "libs/search_engine/index_builder.h"
#include "libs/search_engine/synonym_table.h"

namespace oes = openencoder::search;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  std::string data = "../shared/data", set, inputs_file, dump_file;
  int reps = 5;
  size_t slowest = 0, evict_kb = 0;
  for (int i = 1; i < argc; ++i) {
    absl::string_view a = argv[i];
    if (absl::ConsumePrefix(&a, "--data="))
      data = std::string(a);
    else if (absl::ConsumePrefix(&a, "--reps="))
      reps = std::max(1, std::atoi(a.data()));
    else if (absl::ConsumePrefix(&a, "--set="))
      set = std::string(a);
    else if (absl::ConsumePrefix(&a, "--slowest="))
      slowest = std::atoi(a.data());
    else if (absl::ConsumePrefix(&a, "--inputs="))
      inputs_file = std::string(a);
    else if (absl::ConsumePrefix(&a, "--dump="))
      dump_file = std::string(a);
    else if (absl::ConsumePrefix(&a, "--evict="))
      evict_kb = std::atoi(a.data());
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
  std::printf("build %.2f s\n", std::chrono::duration<double>(Clock::now() - build_start).count());

  // Under `valgrind --tool=callgrind --instr-atstart=no` only the searches
  // are simulated, so an instruction count takes seconds, not minutes.
  CALLGRIND_START_INSTRUMENTATION;
  std::vector<std::string> texts, keys;
  absl::flat_hash_set<std::string> seen;
  if (!inputs_file.empty()) {
    std::ifstream in(inputs_file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) texts.push_back(line);
    }
  }
  for (const auto& q : *queries) {
    if (!inputs_file.empty()) break;
    texts.push_back(q.query);
    for (size_t n = 1; n <= q.query.size(); ++n) {
      if (q.query[n - 1] == ' ') continue;
      std::string prefix = q.query.substr(0, n);
      if (seen.insert(prefix).second) keys.push_back(std::move(prefix));
    }
  }
  if (!dump_file.empty()) {
    std::FILE* out = std::fopen(dump_file.c_str(), "w");
    if (out == nullptr) return 1;
    for (int s = 0; s < 2; ++s) {
      for (const std::string& input : s == 0 ? texts : keys) {
        for (int filtered = 0; filtered < 2; ++filtered) {
          oes::SearchRequest request;
          request.query = input;
          if (filtered) request.filters.systems = {"ICD10CM", "HCPCS"};
          auto r = (*index)->Search(request);
          std::fprintf(out, "Q %s |%d\n", input.c_str(), filtered);
          if (!r.ok()) {
            std::fprintf(out, "  error %s\n", r.status().ToString().c_str());
            continue;
          }
          std::fprintf(out, "  total %zu partial %d corrected '%s'\n", r->total, r->partial_match,
                       r->corrected_query.c_str());
          for (const auto& c : r->corrections) std::fprintf(out, "  correction %s\n", c.c_str());
          for (const auto& c : r->synonyms_applied) std::fprintf(out, "  synonym %s\n", c.c_str());
          for (const auto& f : r->facets) {
            std::fprintf(out, "  facet %s %zu\n", f.system.c_str(), f.count);
          }
          for (const auto& h : r->hits) {
            std::fprintf(out, "  hit %s %s %s %d %a |%s| |%s|", h.system.c_str(), h.code.c_str(),
                         h.display_code.c_str(), h.billable, h.score, h.title.c_str(),
                         h.snippet.c_str());
            for (const auto& sp : h.title_spans) std::fprintf(out, " [%u,%u)", sp.begin, sp.end);
            for (const auto& re : h.reasons) {
              std::fprintf(out, " {%d:%s}", static_cast<int>(re.kind), re.detail.c_str());
            }
            std::fprintf(out, "\n");
          }
        }
      }
    }
    std::fclose(out);
  }
  std::vector<char> evict(evict_kb * 1024);
  for (int s = 0; s < 2; ++s) {
    const char* name = s == 0 ? "query" : "keystroke";
    if (!set.empty() && set != name) continue;
    const std::vector<std::string>& inputs = s == 0 ? texts : keys;
    if (inputs.empty()) continue;  // --inputs has no keystroke set
    std::vector<double> best(inputs.size(), 1e18);
    size_t checksum = 0;
    for (int r = 0; r < reps; ++r) {
      for (size_t q = 0; q < inputs.size(); ++q) {
        oes::SearchRequest request;
        request.query = inputs[q];
        if (!evict.empty()) {
          CALLGRIND_TOGGLE_COLLECT;  // The cache simulation still sees the writes.
          for (size_t b = 0; b < evict.size(); b += 64) evict[b] = static_cast<char>(evict[b] + 1);
          CALLGRIND_TOGGLE_COLLECT;
        }
        const auto start = Clock::now();
        auto response = (*index)->Search(request);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
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
    std::printf("%-9s n=%zu p50 %.1f us p90 %.1f us p99 %.1f us sum %.0f us checksum %zx\n", name,
                sorted.size(), sorted[sorted.size() / 2], sorted[sorted.size() * 9 / 10],
                sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)], sum, checksum);
    std::vector<size_t> order(inputs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return best[a] > best[b]; });
    for (size_t i = 0; i < std::min(slowest, order.size()); ++i) {
      std::printf("  %9.1f us  %s\n", best[order[i]], inputs[order[i]].c_str());
    }
  }
  return 0;
}
