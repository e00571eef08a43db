#include "libs/code_sets/importers/gem_importer.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/code_sets/importers/line_reader.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {
namespace {

// The loop both CMS text files share: every line that is not blank goes to
// `row` with its line number and is counted as read; blank lines are
// counted as skipped. `rows` and the `seen` codes are reserved for the
// file's estimated lines.
// NOT_FOUND when the file cannot be read.
template <class Row>
absl::Status ForEachRow(const std::string& path, Edition edition, ImportReport* report,
                        std::vector<Row>* rows, absl::flat_hash_set<std::string>* seen,
                        size_t typical_line_length,
                        absl::FunctionRef<void(int64_t n, absl::string_view line)> row) {
  absl::StatusOr<LineReader> reader = OpenImport(path, edition, report);
  if (!reader.ok()) return reader.status();
  const size_t expected_rows = reader->EstimateLines(typical_line_length);
  rows->reserve(expected_rows);
  seen->reserve(expected_rows);  // one key per row: no rehash while reading
  absl::string_view line;
  while (reader->Next(&line)) {
    if (absl::StripAsciiWhitespace(line).empty()) {
      ++report->lines_skipped;
      continue;
    }
    ++report->rows_read;
    row(reader->line_number(), line);
  }
  return absl::OkStatus();
}

}  // namespace

void AppendLatin1AsUtf8(absl::string_view latin1, std::string* out) {
  for (char ch : latin1) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out->push_back(ch);
    } else {
      out->push_back(static_cast<char>(0xC0 | (c >> 6)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

absl::StatusOr<GemImport> ImportGemFile(const std::string& path, CodeSystem source_system,
                                        Edition edition) {
  CodeSystem target_system;
  if (source_system == CodeSystem::kIcd9Cm) {
    target_system = CodeSystem::kIcd10Cm;
  } else if (source_system == CodeSystem::kIcd10Cm) {
    target_system = CodeSystem::kIcd9Cm;
  } else {
    return absl::InvalidArgumentError("GEM source must be ICD-9-CM or ICD-10-CM");
  }
  GemImport out;
  ImportReport& report = out.report;
  absl::flat_hash_set<std::string> seen;
  auto read_row = [&](int64_t n, absl::string_view line) {
    absl::string_view f[3];
    int count = 0;
    for (absl::string_view piece : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
      if (count < 3) f[count] = piece;
      ++count;
    }
    if (count != 3) {
      report.Reject(n, absl::StrCat("expected 3 fields (source, target, "
                                    "flags), found ",
                                    count));
      return;
    }
    const absl::string_view flags = f[2];
    bool flags_ok = flags.size() == 5;
    for (size_t i = 0; flags_ok && i < 5; ++i) {
      flags_ok = absl::ascii_isdigit(flags[i]) && (i >= 3 || flags[i] <= '1');
    }
    if (!flags_ok) {
      report.Reject(n, absl::StrCat("flags \"", flags, "\" are not 3 binary and 2 decimal digits"));
      return;
    }
    GemMapping m;
    m.source_system = source_system;
    m.target_system = target_system;
    m.approximate = flags[0] == '1';
    m.no_map = flags[1] == '1';
    m.combination = flags[2] == '1';
    m.scenario = flags[3] - '0';
    m.choice_list = flags[4] - '0';
    if (!IsValidCode(source_system, f[0])) {
      report.Reject(n, absl::StrCat("source \"", f[0], "\" is not a valid ",
                                    CodeSystemLabel(source_system), " code"));
      return;
    }
    // CMS's 2018 I10 GEM writes one target in lower case ("v5889");
    // upper-casing is the only correction made, and it is reported.
    std::string target(f[1]);
    if (!m.no_map) {
      for (char& c : target) c = absl::ascii_toupper(static_cast<unsigned char>(c));
      if (target != f[1]) {
        report.Correct(n, absl::StrCat("target \"", f[1], "\" upper-cased to ", target));
      }
    }
    const bool target_ok = m.no_map ? target == "NoDx" : IsValidCode(target_system, target);
    if (!target_ok) {
      report.Reject(n, absl::StrCat("target \"", f[1], "\" is not valid",
                                    m.no_map ? " for a no-map row (NoDx)" : ""));
      return;
    }
    if (!seen.insert(absl::StrCat(f[0], " ", target, " ", flags)).second) {
      report.Reject(n, absl::StrCat("duplicate mapping ", f[0], " -> ", target));
      return;
    }
    m.source = std::string(f[0]);
    m.target = std::move(target);
    out.mappings.push_back(std::move(m));
    ++report.rows_accepted;
  };
  absl::Status read = ForEachRow(path, edition, &report, &out.mappings, &seen, 21, read_row);
  if (!read.ok()) return read;
  return out;
}

absl::StatusOr<CodeSetImport> ImportIcd9Titles(const std::string& path, Edition edition,
                                               bool short_titles, TextEncoding encoding) {
  if (edition.system != CodeSystem::kIcd9Cm && edition.system != CodeSystem::kIcd9CmProcedure) {
    return absl::InvalidArgumentError("ICD-9-CM titles need an ICD-9 edition");
  }
  CodeSetImport out;
  ImportReport& report = out.report;
  absl::flat_hash_set<std::string> seen;
  auto read_row = [&](int64_t n, absl::string_view line) {
    size_t blank = line.find(' ');
    absl::string_view code = line.substr(0, blank);
    absl::string_view title = blank == absl::string_view::npos
                                  ? absl::string_view()
                                  : absl::StripAsciiWhitespace(line.substr(blank + 1));
    if (!IsValidCode(edition.system, code)) {
      report.Reject(n, absl::StrCat("\"", code, "\" is not a valid ",
                                    CodeSystemLabel(edition.system), " code"));
      return;
    }
    if (title.empty()) {
      report.Reject(n, absl::StrCat("code ", code, " has no title"));
      return;
    }
    if (!seen.insert(std::string(code)).second) {
      report.Reject(n, absl::StrCat("duplicate code ", code));
      return;
    }
    CodeRecord& r = out.records.emplace_back();
    r.system = edition.system;
    r.code = std::string(code);
    r.display_code = FormatDisplayCode(edition.system, code);
    std::string& text = short_titles ? r.short_title : r.long_title;
    if (encoding == TextEncoding::kLatin1) {
      AppendLatin1AsUtf8(title, &text);
    } else {
      text = std::string(title);
    }
    r.billable = true;
    r.edition_id = edition.id;
    ++report.rows_accepted;
  };
  absl::Status read = ForEachRow(path, edition, &report, &out.records, &seen, 40, read_row);
  if (!read.ok()) return read;
  return out;
}

}  // namespace openencoder::catalogue
