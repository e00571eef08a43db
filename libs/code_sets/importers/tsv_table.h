// The loop shared by OpenEncoder's own headed TSV tables (code notes, CPT
// status, ranges and modifiers, the CPT licensee file): blank lines and,
// optionally, '#' comments are skipped; the first other line must be the
// header (unless none is expected); every data row must have exactly the
// expected number of tab-separated fields, each stripped of surrounding
// whitespace, before it is handed to `row`.
//
// Example:
//   ReadTsvTable(path, "code\tname", /*hash_comments=*/false, 2, &report,
//                [&](int64_t line, const std::vector<absl::string_view>& f) {
//                  ...; return true;  // false: `row` rejected it itself
//                });
//
// Counts land in `report` (rows_read, rows_accepted, lines_skipped); a wrong
// header rejects the file at its line and stops there. Errors: only an
// unreadable file (LineReader::Open's NOT_FOUND / UNAVAILABLE).
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_TSV_TABLE_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_TSV_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/code_sets/importers/import_report.h"

namespace openencoder::catalogue {

// Returns true when the row was accepted; a row it refuses it reports
// itself with ImportReport::Reject.
using TsvRowFn =
    absl::FunctionRef<bool(int64_t line, const std::vector<absl::string_view>& fields)>;

absl::Status ReadTsvTable(const std::string& path, absl::string_view header, bool hash_comments,
                          size_t fields, ImportReport* report, TsvRowFn row);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_TSV_TABLE_H_
