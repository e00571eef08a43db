#include "services/catalogue/store/manifest.h"

#include "gtest/gtest.h"

namespace openencoder::catalogue {
namespace {

TEST(ManifestTest, ResolvesPathsAgainstTheManifestFolderAndRoots) {
  auto m = ParseManifest(
      "# comment\n"
      "icd10cm-order\ta.txt\tcm\tICD-10-CM\t2025-10-01\tdemo\n"
      "root\t$DATA/sub\n"
      "gpci\tg.csv\tfee\tPFS\t\t\n"
      "root\t.\n"
      "mue\t/abs/m.csv\tmue\tMUE\t\t\r\n",
      "/repo/data/manifest.tsv", {{"DATA", "/shared"}});
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->entries.size(), 3u);
  EXPECT_EQ(m->entries[0].path, "/repo/data/a.txt");
  EXPECT_EQ(m->entries[0].kind, FileKind::kIcd10CmOrder);
  EXPECT_TRUE(m->entries[0].demo);
  EXPECT_EQ(m->entries[0].effective_date, absl::CivilDay(2025, 10, 1));
  EXPECT_EQ(m->entries[1].path, "/shared/sub/g.csv");
  EXPECT_FALSE(m->entries[1].effective_date.has_value());
  EXPECT_EQ(m->entries[2].path, "/abs/m.csv");
}

TEST(ManifestTest, RejectsUnknownKindsBadDatesAndMissingVariables) {
  EXPECT_EQ(ParseManifest("nope\ta\tb\tc\t\t\n", "m.tsv", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto bad_date = ParseManifest("mue\ta\tb\tc\t2024-02-31\t\n", "m.tsv", {});
  EXPECT_NE(bad_date.status().message().find("m.tsv:1"), std::string::npos) << bad_date.status();
  auto no_var = ParseManifest("root\t$MISSING\nmue\ta\tb\tc\t\t\n", "m.tsv", {});
  EXPECT_NE(no_var.status().message().find("$MISSING"), std::string::npos);
  EXPECT_FALSE(ParseManifest("mue\ta\tb\tc\t\tshiny\n", "m.tsv", {}).ok());
  EXPECT_FALSE(ParseManifest("# nothing\n", "m.tsv", {}).ok());
}

}  // namespace
}  // namespace openencoder::catalogue
