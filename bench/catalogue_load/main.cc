// Loads ICD-10-CM (+ addenda), ICD-10-PCS, HCPCS (fixed width and CSV),
// both GEMs and the MPFS RVU/GPCI files from a shared-data folder and
// prints the wall time and peak resident memory (VmHWM).
//
//   oe_bench_catalogue_load "$OE_SHARED_DATA"      (e.g. ../shared/data)
//
// Target for the catalogue: under 3 s and under 300 MB in a release build.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "services/catalogue/importers/fee_schedule_importer.h"
#include "services/catalogue/importers/gem_importer.h"
#include "services/catalogue/importers/hcpcs_importer.h"
#include "services/catalogue/importers/icd10_order_importer.h"

namespace {

using openencoder::catalogue::CodeSystem;
using openencoder::catalogue::Edition;
using openencoder::catalogue::ImportReport;

std::string PeakRss() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, "VmHWM:")) return line.substr(6);
  }
  return " unknown";
}

// Prints one report; returns false when the file could not be loaded.
template <typename T>
bool Show(const char* what, const absl::StatusOr<T>& result) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, result.status().ToString().c_str());
    return false;
  }
  const ImportReport& r = result->report;
  std::printf("  %-16s read %7lld accepted %7lld rejected %zu\n", what,
              static_cast<long long>(r.rows_read), static_cast<long long>(r.rows_accepted),
              r.rejected.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <shared data folder>\n", argv[0]);
    return 2;
  }
  namespace oc = openencoder::catalogue;
  const std::string root = argv[1];
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;

  auto cm = oc::ImportIcd10OrderFile(
      root + "/icd10cm/icd10cm-order-2026.txt",
      Edition{CodeSystem::kIcd10Cm, "icd10cm-fy2026", "ICD-10-CM FY2026", {}, ""});
  ok &= Show("ICD-10-CM", cm);
  if (cm.ok()) {
    auto addenda =
        oc::ApplyIcd10OrderAddenda(root + "/icd10cm/icd10cm-order-addenda-2026.txt", &*cm);
    ok &= addenda.ok();
  }
  auto pcs = oc::ImportIcd10OrderFile(
      root + "/icd10pcs/icd10pcs_order_2026.txt",
      Edition{CodeSystem::kIcd10Pcs, "icd10pcs-fy2026", "ICD-10-PCS FY2026", {}, ""});
  ok &= Show("ICD-10-PCS", pcs);
  auto hcpcs =
      oc::ImportHcpcsFixedWidth(root + "/hcpcs/2019-annual/HCPC2019_CONTR_ANWEB.txt",
                                Edition{CodeSystem::kHcpcs, "hcpcs-2019", "HCPCS 2019", {}, ""});
  ok &= Show("HCPCS 2019 txt", hcpcs);
  auto hcpcs_csv =
      oc::ImportHcpcsCsv(root + "/hcpcs/2020-10-quarterly/HCPC2020_OCT_ANWEB.csv",
                         Edition{CodeSystem::kHcpcs, "hcpcs-2020q4", "HCPCS 2020 Q4", {}, ""});
  ok &= Show("HCPCS 2020 csv", hcpcs_csv);
  Edition gems{CodeSystem::kIcd10Cm, "gems-2018", "GEMs 2018", {}, ""};
  auto forward = oc::ImportGemFile(root + "/gems/2018_I9gem.txt", CodeSystem::kIcd9Cm, gems);
  ok &= Show("GEM I9->I10", forward);
  auto backward = oc::ImportGemFile(root + "/gems/2018_I10gem.txt", CodeSystem::kIcd10Cm, gems);
  ok &= Show("GEM I10->I9", backward);
  Edition mpfs{CodeSystem::kCpt, "mpfs-2024c", "MPFS CY2024", {}, ""};
  auto rvu = oc::ImportRvuCsv(root + "/mpfs-rvu/PPRRVU24_JUL_codes_rvus_no_descriptors.csv", mpfs);
  ok &= Show("RVU", rvu);
  auto gpci = oc::ImportGpciCsv(root + "/mpfs-rvu/GPCI2024_rvu24c.csv", mpfs);
  ok &= Show("GPCI", gpci);

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("load_seconds %.3f\npeak_rss%s\n", seconds, PeakRss().c_str());
  return ok ? 0 : 1;
}
