#include "libs/code_sets/importers/modifier_tsv_importer.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/csv_reader.h"
#include "libs/code_sets/importers/field_parse.h"
#include "libs/code_sets/importers/line_reader.h"

namespace openencoder::catalogue {

absl::StatusOr<ModifierImport> ImportModifierTsv(const std::string& path, Edition edition) {
  ModifierImport out;
  absl::StatusOr<LineReader> reader = OpenImport(path, edition, &out.report);
  if (!reader.ok()) return reader.status();
  ImportReport& report = out.report;
  constexpr absl::string_view kHeader =
      "modifier\tlong_description\tshort_description\tadded_date\t"
      "action_effective_date\ttermination_date\taction_code";

  absl::flat_hash_set<std::string> seen;
  std::vector<absl::string_view> f;
  absl::string_view line;
  while (reader->Next(&line)) {
    const int64_t n = reader->line_number();
    if (n == 1) {
      ++report.lines_skipped;
      if (line != kHeader) {
        report.Reject(1, absl::StrCat("header is not \"", kHeader, "\""));
        return out;
      }
      continue;
    }
    if (line.empty()) {
      ++report.lines_skipped;
      continue;
    }
    ++report.rows_read;
    SplitPlain(line, '\t', &f);
    if (f.size() != 7) {
      report.Reject(n, absl::StrCat("row has ", f.size(), " fields, not 7"));
      continue;
    }
    absl::string_view code = absl::StripAsciiWhitespace(f[0]);
    if (code.size() != 2 || !absl::ascii_isalnum(code[0]) || !absl::ascii_isalnum(code[1])) {
      report.Reject(n, absl::StrCat("\"", f[0], "\" is not a 2-character modifier"));
      continue;
    }
    Modifier m;
    if (!ParseOptionalYyyyMmDd(f[3], &m.added_date) ||
        !ParseOptionalYyyyMmDd(f[4], &m.effective_date) ||
        !ParseOptionalYyyyMmDd(f[5], &m.termination_date)) {
      report.Reject(n, absl::StrCat(code, ": a date is not YYYYMMDD"));
      continue;
    }
    if (f[6].size() > 1) {
      report.Reject(n, absl::StrCat(code, ": action code \"", f[6], "\""));
      continue;
    }
    if (!seen.insert(std::string(code)).second) {
      report.Reject(n, absl::StrCat("duplicate modifier ", code));
      continue;
    }
    m.code = absl::AsciiStrToUpper(code);
    m.long_description = std::string(f[1]);
    m.short_description = std::string(f[2]);
    m.action_code = f[6].empty() ? '\0' : f[6][0];
    m.edition_id = edition.id;
    out.modifiers.push_back(std::move(m));
    ++report.rows_accepted;
  }
  return out;
}

}  // namespace openencoder::catalogue
