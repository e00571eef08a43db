// The file-kind table (services/catalogue/store/file_kinds.h) is the one
// place a kind of file is described: every kind has exactly one row, with a
// unique manifest name that parses back, an importer unless the loader
// applies it (addenda), and a notice to show with its edition.
#include "services/catalogue/store/file_kinds.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "services/catalogue/store/manifest.h"

namespace openencoder::catalogue {
namespace {

TEST(FileKindsTest, EveryRowIsCompleteAndNamesParseBack) {
  std::set<int> kinds;
  std::set<std::string> names;
  for (const FileKindInfo& row : FileKinds()) {
    EXPECT_TRUE(kinds.insert(static_cast<int>(row.kind)).second) << row.name;
    EXPECT_TRUE(names.insert(std::string(row.name)).second) << row.name;
    EXPECT_EQ(&FileKindRow(row.kind), &row) << row.name;
    EXPECT_EQ(ParseFileKind(row.name), row.kind) << row.name;
    EXPECT_EQ(FileKindName(row.kind), row.name);
    EXPECT_EQ(row.import == nullptr, row.role == FileRole::kAddenda) << row.name;
    EXPECT_FALSE(row.publisher.empty()) << row.name;
    EXPECT_FALSE(row.notice.empty()) << row.name;
  }
  // The enum's values are 0..N-1: N distinct rows cover them all.
  EXPECT_EQ(kinds.size(), static_cast<size_t>(FileKind::kIcd10CmIndex) + 1);
  EXPECT_EQ(*kinds.rbegin(), static_cast<int>(FileKind::kIcd10CmIndex));
  EXPECT_EQ(ParseFileKind("no-such-kind"), std::nullopt);
}

TEST(FileKindsTest, AddendaFollowAnOrderFileOfTheirSystem) {
  for (const FileKindInfo& row : FileKinds()) {
    if (row.role != FileRole::kAddenda) continue;
    bool order_found = false;
    for (const FileKindInfo& other : FileKinds()) {
      order_found |= other.role == FileRole::kOrder && other.system == row.system;
    }
    EXPECT_TRUE(order_found) << row.name;
  }
}

}  // namespace
}  // namespace openencoder::catalogue
