// RFC 4180 CSV records on top of LineReader: quoted fields may hold commas,
// doubled quotes ("") and line breaks. Any delimiter can be used, so the
// same reader serves the TSV files (which never quote) with '\t' and
// quoting off.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CSV_READER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CSV_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/code_sets/importers/line_reader.h"

namespace openencoder::catalogue {

class CsvReader {
 public:
  explicit CsvReader(LineReader lines, char delimiter = ',', bool quoting = true)
      : lines_(std::move(lines)), delimiter_(delimiter), quoting_(quoting) {}

  // Reads the next record into `fields` (reusing its strings' capacity).
  // Returns false at the end of input. A quote left open at the end of the
  // file makes `error` non-empty for that last record.
  bool Next(std::vector<std::string>* fields, std::string* error);

  // LineReader::EstimateLines of the input, for reserving rows.
  size_t EstimateLines(size_t typical_line_length) const {
    return lines_.EstimateLines(typical_line_length);
  }

  // Line on which the record last returned by Next starts.
  int64_t record_line() const { return record_line_; }

 private:
  LineReader lines_;
  char delimiter_;
  bool quoting_;
  int64_t record_line_ = 0;
};

// The start of every CSV importer with a header row: OpenImport, then the
// header read into `header` (counted as a skipped line). An empty file is
// rejected in `report` ("empty file: no header row") and leaves `header`
// empty, so the caller returns its empty import. NOT_FOUND when the file
// cannot be read.
absl::StatusOr<CsvReader> OpenCsvImport(const std::string& path, Edition edition,
                                        ImportReport* report, std::vector<std::string>* header);

// Splits one line on `delimiter` without quoting into views of `line`.
void SplitPlain(absl::string_view line, char delimiter, std::vector<absl::string_view>* fields);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CSV_READER_H_
