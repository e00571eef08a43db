// Prints index build time, VmRSS and median/p99 latency of Search, Suggest
// and Lookup. Usage:
//   oe_bench_search_engine [icd10cm-order-file] [synonyms.tsv] [copies]
// With no file (or a missing one) a synthetic code set is indexed. `copies`
// (default 2) repeats the real file under other system names to approach
// the ~185,000 documents of all code sets together.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/search_engine/index_builder.h"
#include "libs/search_engine/synonym_table.h"

namespace oes = openencoder::search;
using Clock = std::chrono::steady_clock;

namespace {

long RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Throwaway fixed-width parser: code 7-13, billable 15, short 17-76, long 78+.
std::vector<oes::SearchDocument> ReadOrderFile(const std::string& path) {
  std::vector<oes::SearchDocument> docs;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 78) continue;
    oes::SearchDocument d;
    d.system = "ICD10CM";
    d.code = std::string(absl::StripAsciiWhitespace(line.substr(6, 7)));
    d.display_code =
        d.code.size() > 3 ? absl::StrCat(d.code.substr(0, 3), ".", d.code.substr(3)) : d.code;
    d.billable = line[14] == '1';
    d.short_title = std::string(absl::StripAsciiWhitespace(line.substr(16, 60)));
    d.title = std::string(absl::StripAsciiWhitespace(line.substr(77)));
    d.chapter = d.code.substr(0, 1);
    docs.push_back(std::move(d));
  }
  return docs;
}

std::vector<oes::SearchDocument> Synthetic(size_t n) {
  static const char* kWords[] = {
      "acute",        "chronic",   "fracture",  "diabetes",   "mellitus", "type",
      "infection",    "pneumonia", "heart",     "failure",    "left",     "right",
      "unspecified",  "initial",   "encounter", "subsequent", "wrist",    "femur",
      "hypertension", "kidney",    "disease",   "with",       "without",  "complication"};
  std::vector<oes::SearchDocument> docs;
  for (size_t i = 0; i < n; ++i) {
    oes::SearchDocument d;
    d.system = "ICD10CM";
    d.code = absl::StrCat(std::string(1, 'A' + i % 26), 100000 + i);
    d.billable = i % 3 != 0;
    for (size_t w = 0; w < 8; ++w) {
      absl::StrAppend(&d.title, w ? " " : "", kWords[(i * 7 + w * 13 + i / (w + 1)) % 24],
                      w == 7 ? absl::StrCat(i % 997) : "");
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

template <typename F>
void Measure(const char* label, const std::vector<std::string>& inputs, int rounds, F&& call) {
  std::vector<double> micros;
  for (int r = 0; r < rounds; ++r) {
    for (const std::string& input : inputs) {
      const auto start = Clock::now();
      call(input);
      micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  std::printf("%-8s n=%-6zu median %8.1f us   p99 %8.1f us   max %8.1f us\n", label, micros.size(),
              micros[micros.size() / 2], micros[micros.size() * 99 / 100], micros.back());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string order_file =
      argc > 1 ? argv[1] : "../shared/data/icd10cm/icd10cm-order-2026.txt";
  const std::string synonyms_file = argc > 2 ? argv[2] : "data/search/synonyms.tsv";
  const int copies = argc > 3 ? std::max(1, std::atoi(argv[3])) : 2;

  const long rss_start = RssKb();
  std::vector<oes::SearchDocument> docs = ReadOrderFile(order_file);
  if (docs.empty()) {
    std::printf("no order file at %s: synthetic data\n", order_file.c_str());
    docs = Synthetic(185000);
  } else {
    // Other systems' volumes, approximated by copies under other names.
    const size_t real = docs.size();
    for (int c = 1; c < copies; ++c) {
      for (size_t i = 0; i < real; ++i) {
        oes::SearchDocument d = docs[i];
        d.system = absl::StrCat("COPY", c);
        docs.push_back(std::move(d));
      }
    }
  }
  oes::IndexBuilder builder;
  absl::StatusOr<oes::SynonymTable> synonyms = oes::SynonymTable::LoadFile(synonyms_file);
  std::printf("synonyms: %s\n", synonyms.ok() ? absl::StrCat(synonyms->size(), " terms").c_str()
                                              : std::string(synonyms.status().message()).c_str());
  if (synonyms.ok()) builder.SetSynonyms(*std::move(synonyms));
  const size_t n = docs.size();
  const long rss_docs = RssKb();

  const auto build_start = Clock::now();
  for (oes::SearchDocument& d : docs) {
    if (absl::Status s = builder.Add(std::move(d)); !s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      return 1;
    }
  }
  docs.clear();
  docs.shrink_to_fit();
  absl::StatusOr<std::shared_ptr<const oes::SearchIndex>> index = std::move(builder).Build();
  if (!index.ok()) return 1;
  const double build_s = std::chrono::duration<double>(Clock::now() - build_start).count();
  const long rss_built = RssKb();
  malloc_trim(0);  // Hand the builder's freed scratch back to the kernel.
  std::printf(
      "documents %zu   build %.2f s   VmRSS start %ld MB, with input "
      "%ld MB, after build %ld MB, after malloc_trim %ld MB\n",
      n, build_s, rss_start / 1024, rss_docs / 1024, rss_built / 1024, RssKb() / 1024);

  const std::vector<std::string> queries = {"E11",
                                            "e11.9",
                                            "T814XXA",
                                            "J11",
                                            "diabetes",
                                            "diab mell typ 2",
                                            "type 2 diabetes mellitus with hyperglycemia",
                                            "diabetis",
                                            "pnuemonia",
                                            "fractur",
                                            "fractures of wrist",
                                            "heart attack",
                                            "high blood pressure",
                                            "chf",
                                            "copd",
                                            "broken wrist",
                                            "fracture femur left initial",
                                            "pneumonia zebra",
                                            "unspecified",
                                            "a"};
  std::vector<std::string> keystrokes;
  for (const std::string word :
       {"diabetes mellitus", "pneumonia", "fracture", "e11.65", "hypertension", "s52.5"}) {
    for (size_t i = 1; i <= word.size(); ++i) keystrokes.push_back(word.substr(0, i));
  }
  const std::vector<std::string> codes = {"E119",    "e11.65", "T81.4XXA",
                                          "S52501A", "Z00.00", "A000"};

  size_t sink = 0;
  oes::SearchRequest request;
  Measure("search", queries, 20, [&](const std::string& q) {
    request.query = q;
    auto r = (*index)->Search(request);
    sink += r.ok() ? r->total : 0;
  });
  Measure("keys", keystrokes, 20, [&](const std::string& q) {
    request.query = q;
    auto r = (*index)->Search(request);
    sink += r.ok() ? r->total : 0;
  });
  Measure("suggest", keystrokes, 20, [&](const std::string& q) {
    auto r = (*index)->Suggest(q);
    sink += r.ok() ? r->size() : 0;
  });
  Measure("lookup", codes, 200, [&](const std::string& q) {
    auto r = (*index)->Lookup(q);
    sink += r.ok() ? r->size() : 0;
  });
  // Per-query detail, to see which kinds of query cost most.
  for (const std::string& q : queries) {
    request.query = q;
    std::vector<double> t;
    size_t total = 0;
    for (int r = 0; r < 11; ++r) {
      const auto start = Clock::now();
      auto resp = (*index)->Search(request);
      t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      total = resp.ok() ? resp->total : 0;
    }
    std::sort(t.begin(), t.end());
    std::printf("  %-45s %7zu hits  median %8.1f us\n", q.c_str(), total, t[5]);
  }
  std::printf("VmRSS end %ld MB (sink %zu)\n", RssKb() / 1024, sink);
  return 0;
}
