// Helpers for importer tests: where the shared code-set files are,
// temporary files with synthetic content, and the lines a report rejected.
#ifndef OPENENCODER_TESTS_CATALOGUE_IMPORTERS_TEST_FILES_H_
#define OPENENCODER_TESTS_CATALOGUE_IMPORTERS_TEST_FILES_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/code_sets/importers/import_report.h"

namespace openencoder::catalogue::testing {

// $OE_SHARED_DATA joined with `relative`. Aborts the test binary with a
// clear message when the variable is unset: real-file tests must not pass
// by skipping.
inline std::string SharedData(const std::string& relative) {
  const char* root = std::getenv("OE_SHARED_DATA");
  if (root == nullptr || *root == '\0') {
    ADD_FAILURE() << "OE_SHARED_DATA is not set; run through ctest or export "
                     "OE_SHARED_DATA=/path/to/shared/data";
    std::abort();
  }
  return (std::filesystem::path(root) / relative).string();
}

// Writes `content` byte for byte to a fresh file under the test temp dir.
inline std::string WriteTempFile(const std::string& name, const std::string& content) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "oe_importer_tests";
  std::filesystem::create_directories(dir);
  std::filesystem::path path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// The line of each row `report` rejected, in order: one assertion checks
// both how many were rejected and which.
inline std::vector<int64_t> RejectedLines(const ImportReport& report) {
  std::vector<int64_t> lines;
  for (const auto& r : report.rejected) lines.push_back(r.line);
  return lines;
}

}  // namespace openencoder::catalogue::testing

#endif  // OPENENCODER_TESTS_CATALOGUE_IMPORTERS_TEST_FILES_H_
