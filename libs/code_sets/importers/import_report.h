// What an importer did with a file: counts, the edition, and every row it
// refused with the reason. Importers never drop a row silently.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_IMPORT_REPORT_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_IMPORT_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "libs/code_sets/model/edition.h"

namespace openencoder::catalogue {

struct RejectedRow {
  std::string file;
  int64_t line = 0;  // 1-based; 0 for problems of the whole file.
  std::string reason;
};

struct ImportReport {
  Edition edition;
  // Data rows seen (after headers, disclaimers and summaries).
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;
  // Lines that are by format not data (headers, disclaimers, comments,
  // summary blocks, blank lines); counted so nothing goes missing.
  int64_t lines_skipped = 0;
  std::vector<RejectedRow> rejected;
  // Rows accepted after a documented correction (e.g. a lower-case code in
  // an official file), with what was corrected.
  std::vector<RejectedRow> corrected;

  // Records a refused data row in `file` (edition.source_file if empty).
  void Reject(int64_t line, std::string reason, absl::string_view file = {});

  // Notes a row that was accepted after correcting it.
  void Correct(int64_t line, std::string what, absl::string_view file = {});

  // True when no row was rejected.
  bool clean() const { return rejected.empty(); }

  // One line: "<file>: read N, accepted M, skipped S, rejected R".
  std::string Summary() const;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_IMPORT_REPORT_H_
