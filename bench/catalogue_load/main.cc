// Loads the whole catalogue the way the server does (the shared-data
// manifest, two import threads, the snapshot's indexes) and prints the wall
// time and the peak resident memory (VmHWM) of this process.
//
//   oe_bench_catalogue_load <manifest> <shared data folder> [--without=KIND]...
//
// --without=icd10cm-tabular --without=icd10cm-index drops the manifest rows
// of those kinds: the same-run baseline for the cost of the two FY2023 XML
// files (run.sh runs both variants, each in its own process so their peaks
// do not mix). Besides the wall time it prints the CPU time of the load
// (user + system, all threads), which a busy machine inflates far less.
// Targets with every file: under 3 s and under 350 MB in a release build.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "services/catalogue/store/catalogue_loader.h"

namespace {

namespace oc = openencoder::catalogue;

std::string Status(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, key)) return line.substr(std::strlen(key));
  }
  return " unknown";
}

double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <manifest> <shared data folder> [--without=KIND]...\n",
                 argv[0]);
    return 2;
  }
  oc::LoadOptions options;
  options.variables["OE_SHARED_DATA"] = argv[2];
  auto manifest = oc::ReadManifest(argv[1], options.variables);
  if (!manifest.ok()) {
    std::fprintf(stderr, "%s\n", manifest.status().ToString().c_str());
    return 1;
  }
  std::string without;
  for (int i = 3; i < argc; ++i) {
    if (!absl::StartsWith(argv[i], "--without=")) {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
    const std::string name = argv[i] + std::strlen("--without=");
    auto kind = oc::ParseFileKind(name);
    if (!kind) {
      std::fprintf(stderr, "unknown file kind %s\n", name.c_str());
      return 2;
    }
    std::erase_if(manifest->entries, [&](const oc::ManifestEntry& e) { return e.kind == *kind; });
    without += "-without-" + name;
  }

  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  auto result = oc::LoadCatalogue(*manifest, options);
  const double seconds = Since(start);
  const double cpu = CpuSeconds() - cpu_start;
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 1;
  }
  for (const oc::FileLoadReport& f : result->files) {
    std::printf("  %-18s read %7lld rejected %zu  %s\n",
                std::string(oc::FileKindName(f.entry.kind)).c_str(),
                static_cast<long long>(f.report.rows_read), f.report.rejected.size(),
                f.entry.path.c_str());
  }
  std::printf("variant %s\nfiles %zu\ncodes %zu\nrows_rejected %lld\n",
              without.empty() ? "all" : without.substr(1).c_str(), result->files.size(),
              result->snapshot->code_count(), static_cast<long long>(result->rows_rejected));
  std::printf("load_seconds %.3f\ncpu_seconds %.3f\nvm_hwm%s\nvm_rss%s\n", seconds, cpu,
              Status("VmHWM:").c_str(), Status("VmRSS:").c_str());
  return result->rows_rejected == 0 ? 0 : 1;
}
