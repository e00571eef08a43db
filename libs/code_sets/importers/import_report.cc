#include "libs/code_sets/importers/import_report.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace openencoder::catalogue {

void ImportReport::Reject(int64_t line, std::string reason, absl::string_view file) {
  rejected.push_back(
      RejectedRow{file.empty() ? edition.source_file : std::string(file), line, std::move(reason)});
}

void ImportReport::Correct(int64_t line, std::string what, absl::string_view file) {
  corrected.push_back(
      RejectedRow{file.empty() ? edition.source_file : std::string(file), line, std::move(what)});
}

std::string ImportReport::Summary() const {
  return absl::StrCat(edition.source_file, ": read ", rows_read, ", accepted ", rows_accepted,
                      ", skipped ", lines_skipped, ", rejected ", rejected.size(), ", corrected ",
                      corrected.size());
}

}  // namespace openencoder::catalogue
