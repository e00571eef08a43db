#include "libs/search_engine/synonym_table.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace openencoder::search {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SynonymTableTest, ParsesHeaderMultiWordTermsAndExpansions) {
  absl::StatusOr<SynonymTable> table = SynonymTable::Parse(
      "term\texpansions\n"
      "# comment\n"
      "\n"
      "heart attack\tmyocardial infarction\n"
      "CHF\tcongestive heart failure|Heart Failure\r\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  const auto matches = table->FindPhrases({"old", "heart", "attack", "and", "chf"});
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].begin, 1u);
  EXPECT_EQ(matches[0].end, 3u);
  EXPECT_THAT(matches[0].entry->expansion_texts, ElementsAre("myocardial infarction"));
  EXPECT_EQ(matches[1].begin, 4u);
  EXPECT_THAT(matches[1].entry->expansion_texts,
              ElementsAre("congestive heart failure", "heart failure"));
}

// "heart" twice (merged into one entry) and the longer "heart attack".
constexpr char kRepeatedHeart[] =
    "heart\tcardiac\n"
    "heart attack\tmyocardial infarction\n"
    "heart\tcardio\n";

TEST(SynonymTableTest, PrefersLongestTermAndMergesRepeats) {
  absl::StatusOr<SynonymTable> table = SynonymTable::Parse(kRepeatedHeart);
  ASSERT_TRUE(table.ok());
  const auto matches = table->FindPhrases({"heart", "attack"});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].entry->term, "heart attack");
  const auto single = table->FindPhrases({"heart"});
  ASSERT_EQ(single.size(), 1u);
  EXPECT_THAT(single[0].entry->expansion_texts, ElementsAre("cardiac", "cardio"));
}

// The index keeps data per entry (its resolved expansions) by id.
TEST(SynonymTableTest, EntryIdsArePositionsAndARepeatedTermKeepsItsId) {
  absl::StatusOr<SynonymTable> table = SynonymTable::Parse(kRepeatedHeart);
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->size(), 2u);
  for (size_t id = 0; id < table->size(); ++id) EXPECT_EQ(table->entry(id).id, id);
  EXPECT_EQ(table->entry(0).term, "heart");
  EXPECT_THAT(table->entry(0).expansion_texts, ElementsAre("cardiac", "cardio"));
  const auto matches = table->FindPhrases({"heart", "attack"});
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].entry, &table->entry(matches[0].entry->id));
}

TEST(SynonymTableTest, RejectsMalformedLinesNamingTheLine) {
  absl::StatusOr<SynonymTable> no_tab = SynonymTable::Parse("term\texpansions\nchf heart\n");
  EXPECT_EQ(no_tab.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_tab.status().message(), HasSubstr("line 2"));
  EXPECT_FALSE(SynonymTable::Parse("\tx\n").ok());
  EXPECT_FALSE(SynonymTable::Parse("chf\t|\n").ok());
}

TEST(SynonymTableTest, LoadFileReportsMissingFile) {
  EXPECT_EQ(SynonymTable::LoadFile("/nonexistent/synonyms.tsv").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace openencoder::search
