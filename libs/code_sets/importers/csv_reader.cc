#include "libs/code_sets/importers/csv_reader.h"

namespace openencoder::catalogue {

absl::StatusOr<CsvReader> OpenCsvImport(const std::string& path, Edition edition,
                                        ImportReport* report, std::vector<std::string>* header) {
  absl::StatusOr<LineReader> lines = OpenImport(path, edition, report);
  if (!lines.ok()) return lines.status();
  CsvReader csv(*std::move(lines));
  std::string error;
  header->clear();
  if (!csv.Next(header, &error)) {
    report->Reject(0, "empty file: no header row");
  } else {
    ++report->lines_skipped;
  }
  return csv;
}

bool CsvReader::Next(std::vector<std::string>* fields, std::string* error) {
  error->clear();
  absl::string_view line;
  if (!lines_.Next(&line)) return false;
  record_line_ = lines_.line_number();
  size_t used = 0;
  auto next_field = [&]() -> std::string& {
    if (used == fields->size()) fields->emplace_back();
    std::string& f = (*fields)[used++];
    f.clear();
    return f;
  };
  std::string* field = &next_field();
  bool in_quotes = false;
  bool field_start = true;
  while (true) {
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field->push_back('"');
            ++i;
          } else {
            in_quotes = false;
          }
        } else {
          field->push_back(c);
        }
      } else if (c == delimiter_) {
        field = &next_field();
        field_start = true;
        continue;
      } else if (quoting_ && c == '"' && field_start) {
        in_quotes = true;
      } else {
        field->push_back(c);
      }
      field_start = false;
    }
    if (!in_quotes) break;
    // A quoted field spans the line break: keep the break, read on.
    if (!lines_.Next(&line)) {
      *error = "quoted field not closed before the end of the file";
      break;
    }
    field->push_back('\n');
  }
  fields->resize(used);
  return true;
}

void SplitPlain(absl::string_view line, char delimiter, std::vector<absl::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    size_t end = line.find(delimiter, start);
    if (end == absl::string_view::npos) {
      fields->push_back(line.substr(start));
      return;
    }
    fields->push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace openencoder::catalogue
