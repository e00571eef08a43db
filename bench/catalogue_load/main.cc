// Loads the whole catalogue the way the server does (the shared-data
// manifest, two import threads, the snapshot's indexes) and prints the wall
// time and the peak resident memory (VmHWM) of this process.
//
//   oe_bench_catalogue_load <manifest> <shared data folder> [--without=KIND]
//
// --without=icd10cm-tabular drops the manifest rows of that kind: the
// same-run baseline for the cost of the Tabular List (run.sh runs both, each
// in its own process so their peaks do not mix). Also prints the time of the
// tabular import alone and the page build of E11.22 as a sanity check.
// Targets with every file: under 3 s and under 350 MB in a release build.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "services/catalogue/importers/icd10cm_tabular_importer.h"
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

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s <manifest> <shared data folder> [--without=KIND]\n", argv[0]);
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
  if (argc == 4) {
    if (!absl::StartsWith(argv[3], "--without=")) {
      std::fprintf(stderr, "unknown flag %s\n", argv[3]);
      return 2;
    }
    without = argv[3] + std::strlen("--without=");
    auto kind = oc::ParseFileKind(without);
    if (!kind) {
      std::fprintf(stderr, "unknown file kind %s\n", without.c_str());
      return 2;
    }
    std::erase_if(manifest->entries, [&](const oc::ManifestEntry& e) { return e.kind == *kind; });
  }

  const auto start = std::chrono::steady_clock::now();
  auto result = oc::LoadCatalogue(*manifest, options);
  const double seconds = Since(start);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 1;
  }
  std::string tabular_path;
  for (const oc::FileLoadReport& f : result->files) {
    std::printf("  %-18s read %7lld rejected %zu  %s\n",
                std::string(oc::FileKindName(f.entry.kind)).c_str(),
                static_cast<long long>(f.report.rows_read), f.report.rejected.size(),
                f.entry.path.c_str());
    if (f.entry.kind == oc::FileKind::kIcd10CmTabular) tabular_path = f.entry.path;
  }
  std::printf("variant %s\nfiles %zu\ncodes %zu\nrows_rejected %lld\n",
              without.empty() ? "all" : ("without-" + without).c_str(), result->files.size(),
              result->snapshot->code_count(), static_cast<long long>(result->rows_rejected));
  std::printf("load_seconds %.3f\nvm_hwm%s\nvm_rss%s\n", seconds, Status("VmHWM:").c_str(),
              Status("VmRSS:").c_str());
  if (!tabular_path.empty()) {
    // The tabular import on its own, after the load (its peak is below the
    // load's: the snapshot is still held).
    const auto t = std::chrono::steady_clock::now();
    auto tab = oc::ImportIcd10CmTabular(tabular_path, {});
    std::printf("tabular_import_seconds %.3f (%lld diags)\n", Since(t),
                tab.ok() ? static_cast<long long>(tab->report.rows_accepted) : -1LL);
  }
  return result->rows_rejected == 0 ? 0 : 1;
}
