// Reads a text file line by line with 1-based line numbers.
//
//   absl::StatusOr<LineReader> reader = LineReader::Open(path);
//   absl::string_view line;
//   while (reader->Next(&line)) { ... reader->line_number() ... }
//
// The whole file is read into memory once: our largest file is ~15 MB and
// one read is far faster than buffered per-line I/O. Lines end at LF; a CR
// before the LF (CRLF files) is removed. A last line without LF is still a
// line; a file ending in LF has no empty line after it.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_LINE_READER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_LINE_READER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/code_sets/importers/import_report.h"

namespace openencoder::catalogue {

// The whole file. NOT_FOUND when it does not exist, UNAVAILABLE on read
// errors.
absl::StatusOr<std::string> ReadFileText(const std::string& path);

class LineReader {
 public:
  // NOT_FOUND when the file does not exist, UNAVAILABLE on read errors.
  static absl::StatusOr<LineReader> Open(const std::string& path);
  // Reads from text held in memory (for tests and converted input).
  static LineReader FromString(std::string text);

  // Sets `line` to the next line (valid until this reader is destroyed or
  // moved) and returns true; false at the end of the text.
  bool Next(absl::string_view* line);

  // Line number of the line last returned by Next (0 before the first).
  int64_t line_number() const { return line_number_; }

  // Approximate number of lines, for reserving vectors.
  size_t EstimateLines(size_t typical_line_length) const {
    return text_.size() / (typical_line_length ? typical_line_length : 1) + 1;
  }

  // The rest of the text after the last returned line (for readers that
  // need to look past a line end, e.g. quoted CSV fields).
  absl::string_view text() const { return text_; }
  size_t position() const { return pos_; }
  // Moves to `position` and sets the line number (used by CsvReader).
  void Seek(size_t position, int64_t line_number) {
    pos_ = position;
    line_number_ = line_number;
  }

 private:
  explicit LineReader(std::string text) : text_(std::move(text)) {}

  std::string text_;
  size_t pos_ = 0;
  int64_t line_number_ = 0;
};

// The start every importer shares: `report` gets `edition` with `path` as
// its source file (so rejections name the file).
void StartImport(const std::string& path, Edition edition, ImportReport* report);

// StartImport, and the file opened for reading line by line. NOT_FOUND when
// it cannot be read.
absl::StatusOr<LineReader> OpenImport(const std::string& path, Edition edition,
                                      ImportReport* report);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_LINE_READER_H_
