#include "services/catalogue/store/cpt_tables.h"

#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/catalogue/importers/csv_reader.h"
#include "services/catalogue/importers/line_reader.h"
#include "services/catalogue/model/code_format.h"

namespace openencoder::catalogue {
namespace {

using RowFn = std::function<bool(int64_t line,
                                 const std::vector<absl::string_view>& f)>;

// Reads a headed TSV; `row` returns false when it rejected the row.
absl::Status ReadTable(const std::string& path, absl::string_view header,
                       size_t columns, ImportReport* report, const RowFn& row) {
  absl::StatusOr<LineReader> reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  absl::string_view line;
  std::vector<absl::string_view> fields;
  bool header_seen = false;
  while (reader->Next(&line)) {
    const int64_t n = reader->line_number();
    if (!header_seen) {
      header_seen = true;
      ++report->lines_skipped;
      if (line != header) {
        report->Reject(n, absl::StrCat("header must be \"", header, "\""));
        return absl::OkStatus();
      }
      continue;
    }
    if (line.empty()) {
      ++report->lines_skipped;
      continue;
    }
    ++report->rows_read;
    SplitPlain(line, '\t', &fields);
    if (fields.size() != columns) {
      report->Reject(n, absl::StrCat("expected ", columns, " columns, found ",
                                     fields.size()));
      continue;
    }
    if (row(n, fields)) ++report->rows_accepted;
  }
  return absl::OkStatus();
}

bool ParseIsoDay(absl::string_view text, std::optional<absl::CivilDay>* out) {
  if (text.empty()) {
    out->reset();
    return true;
  }
  std::vector<absl::string_view> p = absl::StrSplit(text, '-');
  int y, m, d;
  if (p.size() != 3 || !absl::SimpleAtoi(p[0], &y) ||
      !absl::SimpleAtoi(p[1], &m) || !absl::SimpleAtoi(p[2], &d)) {
    return false;
  }
  absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) return false;
  *out = day;
  return true;
}

// CPT Category I/II/III/PLA codes, plus MAAA (dddd M), which our ranges
// table names although code_format's CPT pattern leaves it out.
bool ValidRangeBound(absl::string_view code) {
  if (IsValidCode(CodeSystem::kCpt, code)) return true;
  return code.size() == 5 && code[4] == 'M' &&
         code.substr(0, 4).find_first_not_of("0123456789") ==
             absl::string_view::npos;
}

}  // namespace

absl::StatusOr<CptStatusImport> ImportCptStatus(const std::string& path,
                                                Edition edition) {
  CptStatusImport out;
  edition.source_file = path;
  out.report.edition = edition;
  ImportReport& report = out.report;
  absl::Status status = ReadTable(
      path, "code\tstatus\teffective\tdeleted\treplaced_by", 5, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        CptStatusRow row;
        row.code = std::string(f[0]);
        if (!IsValidCode(CodeSystem::kCpt, row.code)) {
          report.Reject(n, absl::StrCat("\"", f[0], "\" is not a CPT code (",
                                        CodePattern(CodeSystem::kCpt), ")"));
          return false;
        }
        if (f[1] != "active" && f[1] != "deleted") {
          report.Reject(n, absl::StrCat(row.code, ": status \"", f[1],
                                        "\" is not active or deleted"));
          return false;
        }
        row.deleted = f[1] == "deleted";
        if (!ParseIsoDay(f[2], &row.effective_date) ||
            !ParseIsoDay(f[3], &row.deleted_date)) {
          report.Reject(n, absl::StrCat(row.code, ": dates must be YYYY-MM-DD"));
          return false;
        }
        if (row.deleted != row.deleted_date.has_value()) {
          report.Reject(n, absl::StrCat(row.code,
                                        ": a deletion date goes with status "
                                        "deleted, and only with it"));
          return false;
        }
        for (absl::string_view r :
             absl::StrSplit(f[4], absl::ByAnyChar(" ,"), absl::SkipEmpty())) {
          if (!IsValidCode(CodeSystem::kCpt, r)) {
            report.Reject(n, absl::StrCat(row.code, ": replacement \"", r,
                                          "\" is not a CPT code"));
            return false;
          }
          row.replaced_by.emplace_back(r);
        }
        out.rows.push_back(std::move(row));
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CptNestedRangeImport> ImportNestedCptRanges(
    const std::string& path, Edition edition) {
  CptNestedRangeImport out;
  edition.source_file = path;
  out.report.edition = edition;
  ImportReport& report = out.report;
  absl::Status status = ReadTable(
      path, "first_code\tlast_code\tfamily", 3, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        if (!ValidRangeBound(f[0]) || !ValidRangeBound(f[1])) {
          report.Reject(n, absl::StrCat("\"", f[0], "\"-\"", f[1],
                                        "\": both ends must be CPT codes"));
          return false;
        }
        if (f[1] < f[0] || f[2].empty()) {
          report.Reject(n, absl::StrCat("range ", f[0], "-", f[1],
                                        " is reversed or has no family"));
          return false;
        }
        auto kind = [](absl::string_view c) {
          return c.back() >= '0' && c.back() <= '9' ? '0' : c.back();
        };
        for (const CptRange& r : out.ranges) {
          // Ranges of different kinds (digits, F, T, U, M) never meet.
          const bool disjoint = kind(f[0]) != kind(r.first_code) ||
                                f[1] < r.first_code || f[0] > r.last_code;
          const bool inside = f[0] >= r.first_code && f[1] <= r.last_code;
          const bool around = f[0] <= r.first_code && f[1] >= r.last_code;
          if (!disjoint && !inside && !around) {
            report.Reject(n, absl::StrCat("range ", f[0], "-", f[1],
                                          " partly overlaps ", r.first_code,
                                          "-", r.last_code));
            return false;
          }
        }
        out.ranges.push_back(
            {std::string(f[0]), std::string(f[1]), std::string(f[2])});
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CptModifierImport> ImportCptModifiers(const std::string& path,
                                                     Edition edition) {
  CptModifierImport out;
  edition.source_file = path;
  out.report.edition = edition;
  ImportReport& report = out.report;
  absl::Status status = ReadTable(
      path, "modifier\tname\texplanation", 3, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        if (f[0].size() != 2 ||
            f[0].find_first_not_of("0123456789") != absl::string_view::npos) {
          report.Reject(n, absl::StrCat("\"", f[0],
                                        "\" is not a two-digit CPT modifier"));
          return false;
        }
        if (f[1].empty()) {
          report.Reject(n, absl::StrCat(f[0], ": empty name"));
          return false;
        }
        out.modifiers.push_back(
            {std::string(f[0]), std::string(f[1]), std::string(f[2])});
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

}  // namespace openencoder::catalogue
