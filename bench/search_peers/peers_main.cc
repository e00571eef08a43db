// oe_bench_search_peers: our search engine, SQLite FTS5 and Xapian on the
// same real code sets and the same labelled queries, in one run. See
// README.md for the method. Usage (from the repository root):
//   oe_bench_search_peers [--data=DIR] [--queries=FILE] [--synonyms=FILE] [--procedures=FILE]
//       [--notes=FILE] [--reps=N] [--key_reps=N] [--results=FILE.md]
//       [--engines=openencoder,xapian,...] [--dump=latencies.tsv]
// --data defaults to $OE_SHARED_DATA, else ../shared/data.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "bench/search_peers/latency_table.h"
#include "bench/search_peers/our_peer.h"
#include "bench/search_peers/sqlite_peer.h"
#include "bench/search_peers/xapian_peer.h"
#include "libs/search_engine/eval/labelled_queries.h"
#include "libs/search_engine/eval/real_corpus.h"

namespace oes = openencoder::search;
namespace bench = openencoder::search::bench;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string data;
  std::string queries = "data/search/queries.tsv";
  std::string synonyms = "data/search/synonyms.tsv";
  std::string procedures = "data/search/procedure_terms.tsv";
  std::string notes = "data/demo/code_notes.tsv";
  int reps = 5;
  int key_reps = 3;
  std::string results;
  std::string engines;  // Comma-separated names to run; empty: all.
  std::string dump;     // TSV of per-query median latency per engine.
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  const char* env = std::getenv("OE_SHARED_DATA");
  o.data = env != nullptr && *env != '\0' ? env : "../shared/data";
  for (int i = 1; i < argc; ++i) {
    absl::string_view a = argv[i];
    if (absl::ConsumePrefix(&a, "--data="))
      o.data = std::string(a);
    else if (absl::ConsumePrefix(&a, "--queries="))
      o.queries = std::string(a);
    else if (absl::ConsumePrefix(&a, "--synonyms="))
      o.synonyms = std::string(a);
    else if (absl::ConsumePrefix(&a, "--procedures="))
      o.procedures = std::string(a);
    else if (absl::ConsumePrefix(&a, "--notes="))
      o.notes = std::string(a);
    else if (absl::ConsumePrefix(&a, "--reps="))
      o.reps = std::max(1, std::atoi(a.data()));
    else if (absl::ConsumePrefix(&a, "--key_reps="))
      o.key_reps = std::max(1, std::atoi(a.data()));
    else if (absl::ConsumePrefix(&a, "--results="))
      o.results = std::string(a);
    else if (absl::ConsumePrefix(&a, "--engines="))
      o.engines = std::string(a);
    else if (absl::ConsumePrefix(&a, "--dump="))
      o.dump = std::string(a);
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      std::exit(2);
    }
  }
  return o;
}

// Resident memory after returning freed heap pages, so a delta counts
// what an index keeps, not what its build left in malloc's free lists.
double RssMb() {
  malloc_trim(0);
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

struct EngineRun {
  std::unique_ptr<bench::PeerEngine> engine;
  double build_s = 0;
  double rss_mb = 0;
  oes::QualityTally quality;
  std::vector<std::vector<double>> full;       // [query][rep] us
  std::vector<std::vector<double>> keystroke;  // [prefix][rep] us
};

// Every prefix of every query as typed, without prefixes ending in a
// space (they repeat the prefix before), deduplicated.
std::vector<std::string> Keystrokes(const std::vector<oes::LabelledQuery>& queries) {
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen;
  for (const oes::LabelledQuery& q : queries) {
    for (size_t n = 1; n <= q.query.size(); ++n) {
      if (q.query[n - 1] == ' ') continue;
      std::string prefix = q.query.substr(0, n);
      if (seen.insert(prefix).second) out.push_back(std::move(prefix));
    }
  }
  return out;
}

// Times `inputs` on every engine, `reps` times, rotating which engine goes
// first so that cache warmth and machine noise are shared out evenly.
void TimeInterleaved(std::vector<EngineRun>& runs, const std::vector<std::string>& inputs, int reps,
                     std::vector<std::vector<double>> EngineRun::*samples) {
  for (EngineRun& run : runs) (run.*samples).assign(inputs.size(), {});
  for (int r = 0; r < reps; ++r) {
    for (size_t q = 0; q < inputs.size(); ++q) {
      for (size_t k = 0; k < runs.size(); ++k) {
        EngineRun& run = runs[(k + q + r) % runs.size()];
        const auto start = Clock::now();
        absl::StatusOr<std::vector<std::string>> codes = run.engine->Top10(inputs[q]);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
        if (!codes.ok()) {
          std::fprintf(stderr, "%s failed on '%s': %s\n", run.engine->Name().c_str(),
                       inputs[q].c_str(), codes.status().ToString().c_str());
          std::exit(1);
        }
        (run.*samples)[q].push_back(us);
      }
    }
  }
}

std::string MachineNote() {
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, model;
  int cores = 0;
  while (std::getline(cpu, line)) {
    if (line.rfind("model name", 0) == 0 && model.empty()) {
      model = std::string(absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
    }
    if (line.rfind("processor", 0) == 0) ++cores;
  }
  return absl::StrCat(model, ", ", cores, " cores shared with other work");
}

std::string Table(const std::vector<EngineRun>& runs, const oes::RealCorpus& corpus,
                  const Options& o, size_t queries, size_t keystrokes) {
  std::string md;
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M", std::localtime(&now));
  absl::StrAppend(&md, "Run ", date, " on ", MachineNote(), ".\n\n");
  absl::StrAppendFormat(&md,
                        "%zu documents (ICD-10-CM %zu, ICD-10-PCS %zu, HCPCS %zu, ICD-9-CM %zu "
                        "(ours only; left out of default results); %zu Alphabetic Index entries; "
                        "%zu with plain-language notes); %zu labelled queries x %d "
                        "reps; %zu keystroke prefixes x %d reps. Latency: per-query "
                        "median of the reps, then median / p99 across queries.\n\n",
                        corpus.documents.size(), corpus.icd10cm, corpus.icd10pcs, corpus.hcpcs,
                        corpus.icd9cm, corpus.index_entries, corpus.with_notes, queries, o.reps,
                        keystrokes, o.key_reps);
  absl::StrAppend(&md,
                  "| engine | hit@1 | hit@10 | MRR | query p50 us | query p99 us | "
                  "keystroke p50 us | keystroke p99 us | build s | RSS delta MB |\n"
                  "|---|---|---|---|---|---|---|---|---|---|\n");
  std::vector<bench::LatencySummary> full, keys;
  for (const EngineRun& run : runs) {
    full.push_back(bench::Summarise(run.full));
    keys.push_back(bench::Summarise(run.keystroke));
    const oes::Quality& q = run.quality.Overall();
    absl::StrAppendFormat(
        &md, "| %s | %.3f | %.3f | %.3f | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f |\n",
        run.engine->Name(), q.hit_at_1(), q.hit_at_10(), q.mrr(), full.back().median_us,
        full.back().p99_us, keys.back().median_us, keys.back().p99_us, run.build_s, run.rss_mb);
  }
  absl::StrAppend(&md,
                  "\nLatency of each peer as a multiple of ours (higher is better for us):\n\n"
                  "| peer | query p50 | query p99 | keystroke p50 | keystroke p99 |\n"
                  "|---|---|---|---|---|\n");
  for (size_t i = 1; i < runs.size(); ++i) {
    absl::StrAppendFormat(&md, "| %s | %.1fx | %.1fx | %.1fx | %.1fx |\n", runs[i].engine->Name(),
                          full[i].median_us / full[0].median_us, full[i].p99_us / full[0].p99_us,
                          keys[i].median_us / keys[0].median_us, keys[i].p99_us / keys[0].p99_us);
  }
  absl::StrAppend(&md, "\nPer kind of query, hit@1 / hit@10 / MRR:\n\n| kind | n |");
  for (const EngineRun& run : runs) absl::StrAppend(&md, " ", run.engine->Name(), " |");
  absl::StrAppend(&md, "\n|---|---|");
  for (size_t i = 0; i < runs.size(); ++i) absl::StrAppend(&md, "---|");
  absl::StrAppend(&md, "\n");
  for (const auto& [kind, quality] : runs[0].quality.PerKind()) {
    absl::StrAppendFormat(&md, "| %s | %zu |", kind, quality.queries);
    for (const EngineRun& run : runs) {
      const oes::Quality& q = run.quality.PerKind().at(kind);
      absl::StrAppendFormat(&md, " %.2f / %.2f / %.2f |", q.hit_at_1(), q.hit_at_10(), q.mrr());
    }
    absl::StrAppend(&md, "\n");
  }
  absl::StrAppend(&md, "\nConfigurations:\n\n");
  for (const EngineRun& run : runs) {
    absl::StrAppend(&md, "- ", run.engine->Name(), ": ", run.engine->Note(), "\n");
  }
  return md;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  absl::StatusOr<oes::RealCorpus> corpus = oes::LoadRealCorpus(o.data, o.notes);
  if (!corpus.ok()) {
    std::fprintf(stderr, "loading %s: %s\n", o.data.c_str(), corpus.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<std::vector<oes::LabelledQuery>> queries = oes::LoadLabelledQueries(o.queries);
  absl::StatusOr<oes::SynonymTable> synonyms = oes::SynonymTable::LoadFile(o.synonyms);
  if (!queries.ok() || !synonyms.ok()) {
    std::fprintf(stderr, "queries: %s; synonyms: %s\n", queries.status().ToString().c_str(),
                 synonyms.status().ToString().c_str());
    return 1;
  }

  absl::StatusOr<std::vector<oes::ProcedureTerm>> procedures =
      oes::LoadProcedureTerms(o.procedures);
  if (!procedures.ok()) {
    std::fprintf(stderr, "procedure terms: %s\n", procedures.status().ToString().c_str());
    return 1;
  }
  // The peers get what the public files give (the Alphabetic Index paths as
  // lay text) and, since they have no "current code sets" default, no
  // ICD-9-CM documents: the same result set our default search draws from.
  std::vector<oes::SearchDocument> peer_documents;
  peer_documents.reserve(corpus->documents.size());
  for (const oes::SearchDocument& d : corpus->documents) {
    if (d.system == oes::kLegacySystem) continue;
    oes::SearchDocument& copy = peer_documents.emplace_back(d);
    for (const oes::IndexTermRef& entry : d.index_terms) {
      copy.lay_terms.push_back(absl::StrCat(entry.path, " ", entry.modifiers));
    }
    copy.index_terms.clear();
  }

  std::vector<EngineRun> runs;
  runs.push_back({std::make_unique<bench::OurPeer>(*std::move(synonyms), *std::move(procedures))});
  runs.push_back({std::make_unique<bench::SqlitePeer>("sqlite-fts5-porter",
                                                      "porter unicode61 remove_diacritics 2")});
  runs.push_back({std::make_unique<bench::SqlitePeer>("sqlite-fts5-unicode61",
                                                      "unicode61 remove_diacritics 2")});
  runs.push_back({std::make_unique<bench::XapianPeer>()});
  if (!o.engines.empty()) {  // For profiling one engine; the table wants ours first.
    std::erase_if(runs, [&](const EngineRun& run) {
      return !absl::StrContains(absl::StrCat(",", o.engines, ","),
                                absl::StrCat(",", run.engine->Name(), ","));
    });
    if (runs.empty()) return 2;
  }
  for (EngineRun& run : runs) {
    const double rss_before = RssMb();
    const auto start = Clock::now();
    const bool ours = run.engine->Name() == "openencoder";
    if (absl::Status s = run.engine->Build(ours ? corpus->documents : peer_documents); !s.ok()) {
      std::fprintf(stderr, "%s build: %s\n", run.engine->Name().c_str(), s.ToString().c_str());
      return 1;
    }
    run.build_s = std::chrono::duration<double>(Clock::now() - start).count();
    run.rss_mb = RssMb() - rss_before;
    std::fprintf(stderr, "%s built in %.2f s, +%.0f MB\n", run.engine->Name().c_str(), run.build_s,
                 run.rss_mb);
  }

  std::vector<std::string> texts;
  for (const oes::LabelledQuery& q : *queries) texts.push_back(q.query);
  for (EngineRun& run : runs) {
    for (const oes::LabelledQuery& q : *queries) {
      absl::StatusOr<std::vector<std::string>> codes = run.engine->Top10(q.query);
      run.quality.Add(q.kind, codes.ok() ? oes::RankOfFirstAccepted(q, *codes) : 0);
    }
  }
  TimeInterleaved(runs, texts, o.reps, &EngineRun::full);
  const std::vector<std::string> keystrokes = Keystrokes(*queries);
  TimeInterleaved(runs, keystrokes, o.key_reps, &EngineRun::keystroke);

  if (!o.dump.empty()) {
    std::ofstream out(o.dump);
    out << "set\tquery";
    for (const EngineRun& run : runs) out << "\t" << run.engine->Name();
    out << "\n";
    for (int set = 0; set < 2; ++set) {
      const std::vector<std::string>& inputs = set == 0 ? texts : keystrokes;
      for (size_t q = 0; q < inputs.size(); ++q) {
        out << (set == 0 ? "query" : "keystroke") << "\t" << inputs[q];
        for (const EngineRun& run : runs) {
          out << "\t" << bench::Percentile((set == 0 ? run.full : run.keystroke)[q], 50);
        }
        out << "\n";
      }
    }
  }
  const std::string md = Table(runs, *corpus, o, texts.size(), keystrokes.size());
  std::fputs(md.c_str(), stdout);
  if (!o.results.empty()) {
    std::ofstream out(o.results);
    out << "# Search engine vs SQLite FTS5 and Xapian\n\n"
        << "Written by `oe_bench_search_peers --results=...`; method in README.md.\n\n"
        << md;
  }
  return 0;
}
