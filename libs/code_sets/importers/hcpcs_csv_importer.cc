#include <array>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/csv_reader.h"
#include "libs/code_sets/importers/hcpcs_assembler.h"
#include "libs/code_sets/importers/hcpcs_importer.h"

namespace openencoder::catalogue {

absl::StatusOr<HcpcsImport> ImportHcpcsCsv(const std::string& path, Edition edition) {
  HcpcsImport out;
  edition.system = CodeSystem::kHcpcs;
  ImportReport& report = out.report;
  std::vector<std::string> fields;
  absl::StatusOr<CsvReader> csv_or = OpenCsvImport(path, edition, &report, &fields);
  if (!csv_or.ok()) return csv_or.status();
  if (fields.empty()) return out;
  CsvReader& csv = *csv_or;
  out.codes.reserve(csv.EstimateLines(150));
  std::string error;
  absl::flat_hash_map<std::string, size_t> column;
  for (size_t i = 0; i < fields.size(); ++i) column[fields[i]] = i;

  // Field order of HcpcsRawRow; the numbered groups expand below.
  const std::vector<std::string> names = [] {
    std::vector<std::string> v = {"HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION",
                                  "SHORT DESCRIPTION"};
    for (int i = 1; i <= 4; ++i) v.push_back(absl::StrCat("PRICE", i));
    v.push_back("MULT_PI");
    for (int i = 1; i <= 3; ++i) v.push_back(absl::StrCat("CIM", i));
    for (int i = 1; i <= 3; ++i) v.push_back(absl::StrCat("MCM", i));
    v.push_back("STATUTE");
    for (int i = 1; i <= 8; ++i) v.push_back(absl::StrCat("LABCERT", i));
    for (int i = 1; i <= 5; ++i) v.push_back(absl::StrCat("XREF", i));
    for (const char* s :
         {"COV", "ASC_GRP", "ASC_DT", "OPPS", "OPPS_PI", "OPPS_DT", "PROCNOTE", "BETOS"}) {
      v.push_back(s);
    }
    for (int i = 1; i <= 5; ++i) v.push_back(absl::StrCat("TOS", i));
    for (const char* s : {"ANEST_BU", "ADD DT", "ACT EFF DT", "TERM DT", "ACTION CD"}) {
      v.push_back(s);
    }
    return v;
  }();
  std::vector<size_t> index(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    auto it = column.find(names[i]);
    if (it == column.end()) {
      report.Reject(1, absl::StrCat("header has no column \"", names[i], "\""));
      return out;
    }
    index[i] = it->second;
  }

  HcpcsAssembler assembler(&out);
  const size_t width = column.size();
  while (csv.Next(&fields, &error)) {
    const int64_t n = csv.record_line();
    ++report.rows_read;
    if (!error.empty()) {
      report.Reject(n, error);
      continue;
    }
    if (fields.size() != width) {
      report.Reject(n, absl::StrCat("row has ", fields.size(), " fields; the header has ", width));
      continue;
    }
    std::array<absl::string_view, 48> v;
    for (size_t i = 0; i < names.size(); ++i) {
      absl::string_view f = fields[index[i]];
      while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
      v[i] = f;
    }
    HcpcsRawRow r;
    size_t k = 0;
    r.code = v[k++];
    r.sequence = v[k++];
    r.record_id = v[k++];
    r.long_description = v[k++];
    r.short_description = v[k++];
    for (auto& f : r.price) f = v[k++];
    r.multiple_price = v[k++];
    for (auto& f : r.cim) f = v[k++];
    for (auto& f : r.mcm) f = v[k++];
    r.statute = v[k++];
    for (auto& f : r.lab_cert) f = v[k++];
    for (auto& f : r.xref) f = v[k++];
    r.coverage = v[k++];
    r.asc_group = v[k++];
    r.asc_date = v[k++];
    r.opps = v[k++];
    r.opps_indicator = v[k++];
    r.opps_date = v[k++];
    r.processing_note = v[k++];
    r.betos = v[k++];
    for (auto& f : r.type_of_service) f = v[k++];
    r.anesthesia_base_units = v[k++];
    r.added_date = v[k++];
    r.action_effective_date = v[k++];
    r.termination_date = v[k++];
    r.action_code = v[k++];
    assembler.Add(n, r);
  }
  return out;
}

}  // namespace openencoder::catalogue
