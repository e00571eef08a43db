#include "libs/code_sets/importers/line_reader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace openencoder::catalogue {

absl::StatusOr<std::string> ReadFileText(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    int err = errno;
    std::string message = absl::StrCat("cannot open ", path, ": ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(message) : absl::UnavailableError(message);
  }
  std::string text;
  if (std::fseek(file, 0, SEEK_END) == 0) {
    long size = std::ftell(file);
    if (size > 0) text.reserve(static_cast<size_t>(size));
    std::fseek(file, 0, SEEK_SET);
  }
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text.append(buffer, n);
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return absl::UnavailableError(absl::StrCat("read error: ", path));
  return text;
}

absl::StatusOr<LineReader> LineReader::Open(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileText(path);
  if (!text.ok()) return text.status();
  return LineReader(*std::move(text));
}

LineReader LineReader::FromString(std::string text) { return LineReader(std::move(text)); }

bool LineReader::Next(absl::string_view* line) {
  if (pos_ >= text_.size()) return false;
  const char* begin = text_.data() + pos_;
  const void* lf = std::memchr(begin, '\n', text_.size() - pos_);
  size_t length = lf ? static_cast<const char*>(lf) - begin : text_.size() - pos_;
  pos_ += length + (lf ? 1 : 0);
  if (length > 0 && begin[length - 1] == '\r') --length;
  *line = absl::string_view(begin, length);
  ++line_number_;
  return true;
}

void StartImport(const std::string& path, Edition edition, ImportReport* report) {
  edition.source_file = path;
  report->edition = std::move(edition);
}

absl::StatusOr<LineReader> OpenImport(const std::string& path, Edition edition,
                                      ImportReport* report) {
  absl::StatusOr<LineReader> reader = LineReader::Open(path);
  if (reader.ok()) StartImport(path, std::move(edition), report);
  return reader;
}

}  // namespace openencoder::catalogue
