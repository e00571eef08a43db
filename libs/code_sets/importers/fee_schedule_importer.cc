#include "libs/code_sets/importers/fee_schedule_importer.h"

#include <array>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/csv_reader.h"
#include "libs/code_sets/importers/field_parse.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {
namespace {

// Maps wanted column names to their positions in the header row. Returns
// false (after rejecting line 1) when a required column is missing.
bool MapColumns(const std::vector<std::string>& header, const std::vector<absl::string_view>& names,
                size_t required, std::vector<int>* index, ImportReport* report) {
  absl::flat_hash_map<absl::string_view, int> column;
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = static_cast<int>(i);
  index->assign(names.size(), -1);
  for (size_t i = 0; i < names.size(); ++i) {
    auto it = column.find(names[i]);
    if (it != column.end()) {
      (*index)[i] = it->second;
    } else if (i < required) {
      report->Reject(1, absl::StrCat("header has no column \"", names[i], "\""));
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<RvuImport> ImportRvuCsv(const std::string& path, Edition edition) {
  RvuImport out;
  ImportReport& report = out.report;
  std::vector<std::string> f;
  absl::StatusOr<CsvReader> csv_or = OpenCsvImport(path, edition, &report, &f);
  if (!csv_or.ok()) return csv_or.status();
  if (f.empty()) return out;
  CsvReader& csv = *csv_or;
  out.rows.reserve(csv.EstimateLines(110));
  std::string error;
  enum Col {
    kCode,
    kMod,
    kStatus,
    kWork,
    kNonFacPe,
    kFacPe,
    kMp,  // required
    kNonFacTotal,
    kFacTotal,
    kPctc,
    kGlobal,
    kMult,
    kBilat,
    kAsst,
    kCo,
    kTeam,
    kConv,
    kCount
  };
  const std::vector<absl::string_view> names = {
      "hcpcs",           "mod",        "status_code",        "work_rvu",       "non_fac_pe_rvu",
      "facility_pe_rvu", "mp_rvu",     "non_facility_total", "facility_total", "pctc_ind",
      "glob_days",       "mult_proc",  "bilat_surg",         "asst_surg",      "co_surg",
      "team_surg",       "conv_factor"};
  std::vector<int> col;
  if (!MapColumns(f, names, kNonFacTotal, &col, &report)) return out;
  const size_t width = f.size();

  absl::flat_hash_set<std::string> seen;
  seen.reserve(out.rows.capacity());
  bool single_factor = true;
  while (csv.Next(&f, &error)) {
    const int64_t n = csv.record_line();
    ++report.rows_read;
    if (!error.empty() || f.size() != width) {
      report.Reject(n, error.empty()
                           ? absl::StrCat("row has ", f.size(), " fields; the header has ", width)
                           : error);
      continue;
    }
    auto get = [&](int c) -> absl::string_view {
      return col[c] < 0 ? absl::string_view() : absl::string_view(f[col[c]]);
    };
    RvuRow r;
    absl::string_view code = get(kCode);
    if (!IsValidCode(CodeSystem::kHcpcs, code) && !IsValidCode(CodeSystem::kCpt, code)) {
      report.Reject(n, absl::StrCat("\"", code, "\" is not a HCPCS or CPT code"));
      continue;
    }
    std::array<std::pair<int, double*>, 8> numbers = {{{kWork, &r.work_rvu},
                                                       {kNonFacPe, &r.non_facility_pe_rvu},
                                                       {kFacPe, &r.facility_pe_rvu},
                                                       {kMp, &r.mp_rvu},
                                                       {kNonFacTotal, &r.non_facility_total},
                                                       {kFacTotal, &r.facility_total},
                                                       {kConv, &r.conversion_factor},
                                                       {kCount, nullptr}}};
    bool ok = true;
    for (auto& [c, target] : numbers) {
      if (target == nullptr) break;
      if (!ParseDecimalOrBlank(get(c), target) || *target < 0) {
        report.Reject(n, absl::StrCat(code, ": ", names[c], " \"", get(c),
                                      "\" is not a non-negative number"));
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    r.code = std::string(code);
    r.modifier = std::string(get(kMod));
    if (!seen.insert(absl::StrCat(r.code, "-", r.modifier)).second) {
      report.Reject(
          n, absl::StrCat("duplicate row for ", r.code, r.modifier.empty() ? "" : "-", r.modifier));
      continue;
    }
    r.status_code = std::string(get(kStatus));
    r.pctc_indicator = std::string(get(kPctc));
    r.global_days = std::string(get(kGlobal));
    r.multiple_procedure = std::string(get(kMult));
    r.bilateral_surgery = std::string(get(kBilat));
    r.assistant_surgery = std::string(get(kAsst));
    r.co_surgery = std::string(get(kCo));
    r.team_surgery = std::string(get(kTeam));
    if (r.conversion_factor > 0) {
      if (out.conversion_factor == 0) {
        out.conversion_factor = r.conversion_factor;
      } else if (out.conversion_factor != r.conversion_factor) {
        single_factor = false;
      }
    }
    out.rows.push_back(std::move(r));
    ++report.rows_accepted;
  }
  if (!single_factor) out.conversion_factor = 0;
  return out;
}

absl::StatusOr<GpciImport> ImportGpciCsv(const std::string& path, Edition edition) {
  GpciImport out;
  ImportReport& report = out.report;
  std::vector<std::string> f;
  absl::StatusOr<CsvReader> csv_or = OpenCsvImport(path, edition, &report, &f);
  if (!csv_or.ok()) return csv_or.status();
  if (f.empty()) return out;
  CsvReader& csv = *csv_or;
  std::string error;
  const std::vector<absl::string_view> names = {
      "mac", "state", "locality_number", "locality_name", "gpci_work", "gpci_pe", "gpci_mp"};
  std::vector<int> col;
  if (!MapColumns(f, names, names.size(), &col, &report)) return out;
  const size_t width = f.size();
  absl::flat_hash_set<std::string> seen;
  while (csv.Next(&f, &error)) {
    const int64_t n = csv.record_line();
    ++report.rows_read;
    if (!error.empty() || f.size() != width) {
      report.Reject(n, error.empty()
                           ? absl::StrCat("row has ", f.size(), " fields; the header has ", width)
                           : error);
      continue;
    }
    Gpci g;
    g.mac = f[col[0]];
    g.state = f[col[1]];
    g.locality_number = f[col[2]];
    g.locality_name = f[col[3]];
    if (g.mac.empty() || g.locality_number.empty()) {
      report.Reject(n, "mac and locality_number must not be blank");
      continue;
    }
    if (!ParseDecimalOrBlank(f[col[4]], &g.work) || g.work <= 0 ||
        !ParseDecimalOrBlank(f[col[5]], &g.pe) || g.pe <= 0 ||
        !ParseDecimalOrBlank(f[col[6]], &g.mp) || g.mp <= 0) {
      report.Reject(n, absl::StrCat("locality ", g.mac, "/", g.locality_number,
                                    ": GPCIs must be positive numbers"));
      continue;
    }
    if (!seen.insert(absl::StrCat(g.mac, "/", g.locality_number)).second) {
      report.Reject(n, absl::StrCat("duplicate locality ", g.mac, "/", g.locality_number));
      continue;
    }
    out.localities.push_back(std::move(g));
    ++report.rows_accepted;
  }
  return out;
}

}  // namespace openencoder::catalogue
