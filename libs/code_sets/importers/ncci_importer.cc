#include "libs/code_sets/importers/ncci_importer.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/csv_reader.h"
#include "libs/code_sets/importers/field_parse.h"
#include "libs/code_sets/importers/line_reader.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {
namespace {

bool IsProcedureCode(absl::string_view code) {
  return IsValidCode(CodeSystem::kHcpcs, code) || IsValidCode(CodeSystem::kCpt, code);
}

}  // namespace

absl::StatusOr<PtpImport> ImportNcciPtp(const std::string& path, Edition edition) {
  PtpImport out;
  absl::StatusOr<LineReader> reader = OpenImport(path, edition, &out.report);
  if (!reader.ok()) return reader.status();
  ImportReport& report = out.report;
  out.edits.reserve(reader->EstimateLines(60));
  absl::flat_hash_set<std::string> seen;
  std::vector<absl::string_view> f;
  bool in_data = false;
  absl::string_view line;
  while (reader->Next(&line)) {
    const int64_t n = reader->line_number();
    SplitPlain(line, '\t', &f);
    if (!in_data) {
      if (!IsProcedureCode(absl::StripAsciiWhitespace(f[0]))) {
        ++report.lines_skipped;  // Copyright and column-title lines.
        continue;
      }
      in_data = true;
    }
    if (absl::StripAsciiWhitespace(line).empty()) {
      ++report.lines_skipped;
      continue;
    }
    ++report.rows_read;
    if (f.size() != 7) {
      report.Reject(n, absl::StrCat("row has ", f.size(), " fields, not 7"));
      continue;
    }
    for (auto& field : f) field = absl::StripAsciiWhitespace(field);
    NcciPtpEdit e;
    if (!IsProcedureCode(f[0]) || !IsProcedureCode(f[1])) {
      report.Reject(
          n, absl::StrCat("\"", f[0], "\" / \"", f[1], "\": both columns must be HCPCS/CPT codes"));
      continue;
    }
    if (f[2] != "*" && !f[2].empty()) {
      report.Reject(n,
                    absl::StrCat("prior-to-1996 flag \"", f[2], "\" is neither \"*\" nor blank"));
      continue;
    }
    if (!ParseYyyyMmDd(f[3], &e.effective_date)) {
      report.Reject(n, absl::StrCat("effective date \"", f[3], "\" is not a valid YYYYMMDD date"));
      continue;
    }
    if (f[4] != "*") {
      absl::CivilDay deleted;
      if (!ParseYyyyMmDd(f[4], &deleted)) {
        report.Reject(n,
                      absl::StrCat("deletion date \"", f[4], "\" is neither \"*\" nor YYYYMMDD"));
        continue;
      }
      if (deleted < e.effective_date) {
        report.Reject(n, "deletion date is before the effective date");
        continue;
      }
      e.deletion_date = deleted;
    }
    if (f[5] != "0" && f[5] != "1" && f[5] != "9") {
      report.Reject(n, absl::StrCat("modifier indicator \"", f[5], "\" is not 0, 1 or 9"));
      continue;
    }
    if (!seen.insert(absl::StrCat(f[0], " ", f[1], " ", f[3])).second) {
      report.Reject(n, absl::StrCat("duplicate edit ", f[0], "/", f[1], " effective ", f[3]));
      continue;
    }
    e.column1 = std::string(f[0]);
    e.column2 = std::string(f[1]);
    e.existed_before_1996 = f[2] == "*";
    e.modifier_indicator = f[5][0] - '0';
    e.rationale = std::string(f[6]);
    out.edits.push_back(std::move(e));
    ++report.rows_accepted;
  }
  return out;
}

absl::StatusOr<MueImport> ImportNcciMue(const std::string& path, Edition edition) {
  MueImport out;
  absl::StatusOr<LineReader> lines = OpenImport(path, edition, &out.report);
  if (!lines.ok()) return lines.status();
  ImportReport& report = out.report;
  CsvReader csv(*std::move(lines));
  std::vector<std::string> f;
  std::string error;
  bool in_data = false;
  absl::flat_hash_set<std::string> seen;
  while (csv.Next(&f, &error)) {
    const int64_t n = csv.record_line();
    if (!in_data) {
      ++report.lines_skipped;
      in_data = f.size() >= 4 && f[0] == "HCPCS/CPT Code" &&
                f[1] == "Practitioner Services MUE Values" &&
                f[2] == "MUE Adjudication Indicator" && f[3] == "MUE Rationale";
      continue;
    }
    if (f.size() == 1 && f[0].empty()) {
      ++report.lines_skipped;
      continue;
    }
    ++report.rows_read;
    if (!error.empty() || f.size() != 4) {
      report.Reject(n,
                    error.empty() ? absl::StrCat("row has ", f.size(), " fields, not 4") : error);
      continue;
    }
    absl::string_view code = absl::StripAsciiWhitespace(f[0]);
    MueEdit e;
    if (!IsProcedureCode(code)) {
      report.Reject(n, absl::StrCat("\"", code, "\" is not a HCPCS/CPT code"));
      continue;
    }
    if (!ParseSmallInt(absl::StripAsciiWhitespace(f[1]), &e.units)) {
      report.Reject(n, absl::StrCat(code, ": MUE value \"", f[1], "\" is not a whole number"));
      continue;
    }
    absl::string_view adj = absl::StripAsciiWhitespace(f[2]);
    const char digit = adj.empty() ? '\0' : adj[0];
    if (digit < '1' || digit > '3') {
      report.Reject(n, absl::StrCat(code, ": adjudication indicator \"", adj,
                                    "\" does not start with 1, 2 or 3"));
      continue;
    }
    e.adjudication = static_cast<MueAdjudication>(digit - '0');
    // The text after the digit must be CMS's wording for that digit, so a
    // shifted column cannot pass unnoticed.
    absl::string_view meaning = absl::StripAsciiWhitespace(adj.substr(1));
    if (!meaning.empty() &&
        !absl::EqualsIgnoreCase(meaning, MueAdjudicationMeaning(e.adjudication))) {
      report.Reject(n, absl::StrCat(code, ": adjudication indicator \"", adj,
                                    "\" does not match its number"));
      continue;
    }
    if (!seen.insert(std::string(code)).second) {
      report.Reject(n, absl::StrCat("duplicate MUE for ", code));
      continue;
    }
    e.code = std::string(code);
    e.rationale = std::string(absl::StripAsciiWhitespace(f[3]));
    out.edits.push_back(std::move(e));
    ++report.rows_accepted;
  }
  if (!in_data) {
    report.Reject(0,
                  "no header row \"HCPCS/CPT Code,Practitioner Services MUE "
                  "Values,MUE Adjudication Indicator,MUE Rationale\"");
  }
  return out;
}

}  // namespace openencoder::catalogue
