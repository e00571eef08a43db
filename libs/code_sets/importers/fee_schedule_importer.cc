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

// A CSV file with a header row whose columns are found by name: what the
// RVU and the GPCI imports share. Rows whose width is not the header's are
// rejected on the way, so Get never reads past a row.
class NamedColumnCsv {
 public:
  // NOT_FOUND when the file cannot be read. mapped() is false (and line 1
  // or 0 rejected in `report`) when the file is empty or its header lacks
  // one of the first `required` of `names`; the others may be missing and
  // read as blank.
  static absl::StatusOr<NamedColumnCsv> Open(const std::string& path, Edition edition,
                                             const std::vector<absl::string_view>& names,
                                             size_t required, ImportReport* report) {
    std::vector<std::string> header;
    absl::StatusOr<CsvReader> csv = OpenCsvImport(path, edition, report, &header);
    if (!csv.ok()) return csv.status();
    NamedColumnCsv out(*std::move(csv), report);
    out.width_ = header.size();
    out.mapped_ = !header.empty() && out.MapColumns(header, names, required);
    return out;
  }

  bool mapped() const { return mapped_; }
  size_t EstimateLines(size_t typical_line_length) const {
    return csv_.EstimateLines(typical_line_length);
  }

  // The next row of the header's width, counted as read; false at the end.
  bool Next() {
    while (csv_.Next(&fields_, &error_)) {
      ++report_->rows_read;
      if (error_.empty() && fields_.size() == width_) return true;
      report_->Reject(line(), error_.empty() ? absl::StrCat("row has ", fields_.size(),
                                                            " fields; the header has ", width_)
                                             : error_);
    }
    return false;
  }
  int64_t line() const { return csv_.record_line(); }
  // The current row's field of names[c]; blank when that column is missing.
  absl::string_view Get(int c) const {
    return column_[c] < 0 ? absl::string_view() : absl::string_view(fields_[column_[c]]);
  }

 private:
  NamedColumnCsv(CsvReader csv, ImportReport* report) : csv_(std::move(csv)), report_(report) {}

  bool MapColumns(const std::vector<std::string>& header,
                  const std::vector<absl::string_view>& names, size_t required) {
    absl::flat_hash_map<absl::string_view, int> position;
    for (size_t i = 0; i < header.size(); ++i) position[header[i]] = static_cast<int>(i);
    column_.assign(names.size(), -1);
    for (size_t i = 0; i < names.size(); ++i) {
      auto it = position.find(names[i]);
      if (it != position.end()) {
        column_[i] = it->second;
      } else if (i < required) {
        report_->Reject(1, absl::StrCat("header has no column \"", names[i], "\""));
        return false;
      }
    }
    return true;
  }

  CsvReader csv_;
  ImportReport* report_;
  std::vector<std::string> fields_;
  std::string error_;
  std::vector<int> column_;
  size_t width_ = 0;
  bool mapped_ = false;
};

}  // namespace

absl::StatusOr<RvuImport> ImportRvuCsv(const std::string& path, Edition edition) {
  RvuImport out;
  ImportReport& report = out.report;
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
  absl::StatusOr<NamedColumnCsv> csv =
      NamedColumnCsv::Open(path, edition, names, kNonFacTotal, &report);
  if (!csv.ok()) return csv.status();
  if (!csv->mapped()) return out;
  out.rows.reserve(csv->EstimateLines(110));
  absl::flat_hash_set<std::string> seen;
  seen.reserve(out.rows.capacity());
  bool single_factor = true;
  auto get = [&csv](int c) { return csv->Get(c); };
  while (csv->Next()) {
    const int64_t n = csv->line();
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
  const std::vector<absl::string_view> names = {
      "mac", "state", "locality_number", "locality_name", "gpci_work", "gpci_pe", "gpci_mp"};
  absl::StatusOr<NamedColumnCsv> csv =
      NamedColumnCsv::Open(path, edition, names, names.size(), &report);
  if (!csv.ok()) return csv.status();
  if (!csv->mapped()) return out;
  absl::flat_hash_set<std::string> seen;
  while (csv->Next()) {
    const int64_t n = csv->line();
    Gpci g;
    g.mac = std::string(csv->Get(0));
    g.state = std::string(csv->Get(1));
    g.locality_number = std::string(csv->Get(2));
    g.locality_name = std::string(csv->Get(3));
    if (g.mac.empty() || g.locality_number.empty()) {
      report.Reject(n, "mac and locality_number must not be blank");
      continue;
    }
    if (!ParseDecimalOrBlank(csv->Get(4), &g.work) || g.work <= 0 ||
        !ParseDecimalOrBlank(csv->Get(5), &g.pe) || g.pe <= 0 ||
        !ParseDecimalOrBlank(csv->Get(6), &g.mp) || g.mp <= 0) {
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
