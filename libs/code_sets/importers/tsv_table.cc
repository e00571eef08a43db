#include "libs/code_sets/importers/tsv_table.h"

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "libs/code_sets/importers/csv_reader.h"
#include "libs/code_sets/importers/line_reader.h"

namespace openencoder::catalogue {

absl::Status ReadTsvTable(const std::string& path, absl::string_view header, bool hash_comments,
                          size_t fields, ImportReport* report, TsvRowFn row) {
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
                                       absl::StrReplaceAll(header, {{"\t", "<TAB>"}}), "\""));
        return absl::OkStatus();
      }
      header_seen = true;
      continue;
    }
    ++report->rows_read;
    SplitPlain(line, '\t', &f);
    if (f.size() != fields) {
      report->Reject(n, absl::StrCat("row has ", f.size(),
                                     " tab-separated "
                                     "fields, not ",
                                     fields));
      continue;
    }
    for (auto& field : f) field = absl::StripAsciiWhitespace(field);
    if (row(n, f)) ++report->rows_accepted;
  }
  return absl::OkStatus();
}

}  // namespace openencoder::catalogue
