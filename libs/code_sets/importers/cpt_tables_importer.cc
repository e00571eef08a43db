#include "libs/code_sets/importers/cpt_tables_importer.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/code_sets/importers/field_parse.h"
#include "libs/code_sets/importers/line_reader.h"
#include "libs/code_sets/importers/tsv_table.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {
namespace {

// CPT codes sort by number only within one kind: plain five digits, or
// four digits plus F, M, T or U. "0042T" is not between 00100 and 01999.
char CptKind(absl::string_view code) { return absl::ascii_isdigit(code[4]) ? '0' : code[4]; }

bool IsCptCode(absl::string_view code) { return IsValidCode(CodeSystem::kCpt, code); }

}  // namespace

absl::StatusOr<CptStatusImport> ImportCptStatus(const std::string& path, Edition edition) {
  CptStatusImport out;
  StartImport(path, edition, &out.report);
  ImportReport& report = out.report;
  absl::Status status = ReadTsvTable(
      path, "code\tstatus\teffective\tdeleted\treplaced_by", /*hash_comments=*/false, 5, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        CptStatusRow row;
        row.code = std::string(f[0]);
        if (!IsCptCode(row.code)) {
          report.Reject(n, absl::StrCat("\"", f[0], "\" is not a CPT code (",
                                        CodePattern(CodeSystem::kCpt), ")"));
          return false;
        }
        if (f[1] != "active" && f[1] != "deleted") {
          report.Reject(n,
                        absl::StrCat(row.code, ": status \"", f[1], "\" is not active or deleted"));
          return false;
        }
        row.deleted = f[1] == "deleted";
        if (!ParseOptionalIsoDay(f[2], &row.effective_date) ||
            !ParseOptionalIsoDay(f[3], &row.deleted_date)) {
          report.Reject(n, absl::StrCat(row.code, ": dates must be YYYY-MM-DD"));
          return false;
        }
        if (row.deleted != row.deleted_date.has_value()) {
          report.Reject(n, absl::StrCat(row.code,
                                        ": a deletion date goes with status "
                                        "deleted, and only with it"));
          return false;
        }
        for (absl::string_view r : absl::StrSplit(f[4], absl::ByAnyChar(" ,"), absl::SkipEmpty())) {
          if (!IsCptCode(r)) {
            report.Reject(n, absl::StrCat(row.code, ": replacement \"", r, "\" is not a CPT code"));
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

absl::StatusOr<CptRangeImport> ImportCptRanges(const std::string& path, Edition edition) {
  CptRangeImport out;
  StartImport(path, edition, &out.report);
  ImportReport& report = out.report;
  absl::Status status = ReadTsvTable(
      path, "first_code\tlast_code\tfamily", /*hash_comments=*/false, 3, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        if (!IsCptCode(f[0]) || !IsCptCode(f[1])) {
          report.Reject(n,
                        absl::StrCat("\"", f[0], "\"-\"", f[1], "\": both ends must be CPT codes"));
          return false;
        }
        if (CptKind(f[0]) != CptKind(f[1])) {
          report.Reject(n, absl::StrCat("range ", f[0], "-", f[1], " mixes kinds of CPT code"));
          return false;
        }
        if (f[1] < f[0]) {
          report.Reject(n, absl::StrCat("range ", f[0], "-", f[1], " ends before it starts"));
          return false;
        }
        if (f[2].empty()) {
          report.Reject(n, "empty family name");
          return false;
        }
        for (const CptRange& r : out.ranges) {
          if (CptKind(r.first_code) != CptKind(f[0])) continue;
          // Nesting is allowed (a section holding its subsections); ranges
          // that cross, or repeat exactly, would make a family ambiguous.
          const bool disjoint = f[1] < r.first_code || f[0] > r.last_code;
          const bool inside = f[0] >= r.first_code && f[1] <= r.last_code;
          const bool around = f[0] <= r.first_code && f[1] >= r.last_code;
          const bool same = f[0] == r.first_code && f[1] == r.last_code;
          if (!disjoint && (same || (!inside && !around))) {
            report.Reject(n,
                          absl::StrCat("range ", f[0], "-", f[1], same ? " repeats " : " crosses ",
                                       r.first_code, "-", r.last_code));
            return false;
          }
        }
        out.ranges.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2])});
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CptModifierImport> ImportCptModifiers(const std::string& path, Edition edition) {
  CptModifierImport out;
  StartImport(path, edition, &out.report);
  ImportReport& report = out.report;
  absl::Status status = ReadTsvTable(
      path, "modifier\tname\texplanation", /*hash_comments=*/false, 3, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        if (f[0].size() != 2 || !absl::ascii_isdigit(f[0][0]) || !absl::ascii_isdigit(f[0][1])) {
          report.Reject(n, absl::StrCat("\"", f[0], "\" is not a two-digit CPT modifier"));
          return false;
        }
        if (f[1].empty()) {
          report.Reject(n, absl::StrCat(f[0], ": empty name"));
          return false;
        }
        out.modifiers.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2])});
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

}  // namespace openencoder::catalogue
