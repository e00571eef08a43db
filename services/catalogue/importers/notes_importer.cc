#include "services/catalogue/importers/notes_importer.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/catalogue/importers/csv_reader.h"
#include "services/catalogue/importers/line_reader.h"
#include "services/catalogue/model/code_format.h"

namespace openencoder::catalogue {
namespace {

// Shared loop of the three TSV formats: header check, comments, blank
// lines, field count. `row` handles one split data row.
template <typename Row>
absl::Status ReadTsv(const std::string& path, absl::string_view header,
                     bool hash_comments, size_t fields, ImportReport* report,
                     Row row) {
  absl::StatusOr<LineReader> reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<absl::string_view> f;
  absl::string_view line;
  bool header_seen = header.empty();
  while (reader->Next(&line)) {
    const int64_t n = reader->line_number();
    if (absl::StripAsciiWhitespace(line).empty() ||
        (hash_comments && absl::StartsWith(line, "#"))) {
      ++report->lines_skipped;
      continue;
    }
    if (!header_seen) {
      ++report->lines_skipped;
      if (absl::StripTrailingAsciiWhitespace(line) != header) {
        report->Reject(n, absl::StrCat("header is not \"",
                                       absl::StrReplaceAll(header, {{"\t", "<TAB>"}}),
                                       "\""));
        return absl::OkStatus();
      }
      header_seen = true;
      continue;
    }
    ++report->rows_read;
    SplitPlain(line, '\t', &f);
    if (f.size() != fields) {
      report->Reject(n, absl::StrCat("row has ", f.size(), " tab-separated "
                                     "fields, not ", fields));
      continue;
    }
    for (auto& field : f) field = absl::StripAsciiWhitespace(field);
    if (row(n, f)) ++report->rows_accepted;
  }
  return absl::OkStatus();
}

// CPT codes sort by number only within one kind: plain five digits, or
// four digits plus F, M, T or U. "0042T" is not between 00100 and 01999.
char CptKind(absl::string_view code) {
  return absl::ascii_isdigit(code[4]) ? '0' : code[4];
}

}  // namespace

absl::StatusOr<CodeSetImport> ImportCptLicenseeFile(const std::string& path,
                                                    Edition edition) {
  CodeSetImport out;
  edition.system = CodeSystem::kCpt;
  edition.source_file = path;
  out.report.edition = edition;
  ImportReport& report = out.report;
  absl::flat_hash_set<std::string> seen;
  absl::Status status = ReadTsv(
      path, "", /*hash_comments=*/true, 3, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        if (!IsValidCode(CodeSystem::kCpt, f[0])) {
          report.Reject(n, absl::StrCat("\"", f[0], "\" is not a CPT code (",
                                        CodePattern(CodeSystem::kCpt), ")"));
          return false;
        }
        if (f[1].empty() || f[2].empty()) {
          report.Reject(n, absl::StrCat(f[0], ": empty descriptor"));
          return false;
        }
        if (!seen.insert(std::string(f[0])).second) {
          report.Reject(n, absl::StrCat("duplicate code ", f[0]));
          return false;
        }
        CodeRecord& r = out.records.emplace_back();
        r.system = CodeSystem::kCpt;
        r.code = std::string(f[0]);
        r.display_code = r.code;
        r.short_title = std::string(f[1]);
        r.long_title = std::string(f[2]);
        r.billable = true;
        r.effective_date = edition.effective_date;
        r.edition_id = edition.id;
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CodeNoteImport> ImportCodeNotes(const std::string& path,
                                               Edition edition) {
  CodeNoteImport out;
  edition.source_file = path;
  out.report.edition = edition;
  ImportReport& report = out.report;
  absl::flat_hash_set<std::string> seen;
  absl::Status status = ReadTsv(
      path, "system\tcode\tfamily\tplain_language\tlay_terms",
      /*hash_comments=*/false, 5, &report,
      [&](int64_t n, const std::vector<absl::string_view>& f) {
        std::optional<CodeSystem> system = ParseCodeSystemName(f[0]);
        if (!system.has_value() || *system == CodeSystem::kIcd9Cm ||
            *system == CodeSystem::kIcd9CmProcedure) {
          report.Reject(n, absl::StrCat("system \"", f[0], "\" is not one of "
                                        "ICD10CM, ICD10PCS, HCPCS, CPT"));
          return false;
        }
        absl::StatusOr<std::string> code = NormalizeCode(*system, f[1]);
        if (!code.ok()) {
          report.Reject(n, std::string(code.status().message()));
          return false;
        }
        if (f[3].empty()) {
          report.Reject(n, absl::StrCat(*code, ": empty plain_language"));
          return false;
        }
        if (!seen.insert(absl::StrCat(f[0], ":", *code)).second) {
          report.Reject(n, absl::StrCat("duplicate note for ", f[0], " ", *code));
          return false;
        }
        CodeNote& note = out.notes.emplace_back();
        note.system = *system;
        note.code = *std::move(code);
        note.family = std::string(f[2]);
        note.plain_language = std::string(f[3]);
        for (absl::string_view term : absl::StrSplit(f[4], '|')) {
          term = absl::StripAsciiWhitespace(term);
          if (!term.empty()) note.lay_terms.emplace_back(term);
        }
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CptRangeImport> ImportCptRanges(const std::string& path,
                                               Edition edition) {
  CptRangeImport out;
  edition.source_file = path;
  out.report.edition = edition;
  ImportReport& report = out.report;
  absl::Status status = ReadTsv(
      path, "first_code\tlast_code\tfamily", /*hash_comments=*/false, 3,
      &report, [&](int64_t n, const std::vector<absl::string_view>& f) {
        if (!IsValidCode(CodeSystem::kCpt, f[0]) ||
            !IsValidCode(CodeSystem::kCpt, f[1])) {
          report.Reject(n, absl::StrCat("\"", f[0], "\"-\"", f[1],
                                        "\": both ends must be CPT codes"));
          return false;
        }
        if (CptKind(f[0]) != CptKind(f[1])) {
          report.Reject(n, absl::StrCat("range ", f[0], "-", f[1],
                                        " mixes kinds of CPT code"));
          return false;
        }
        if (f[1] < f[0]) {
          report.Reject(n, absl::StrCat("range ", f[0], "-", f[1],
                                        " ends before it starts"));
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
            report.Reject(n, absl::StrCat("range ", f[0], "-", f[1],
                                          same ? " repeats " : " crosses ",
                                          r.first_code, "-", r.last_code));
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

}  // namespace openencoder::catalogue
