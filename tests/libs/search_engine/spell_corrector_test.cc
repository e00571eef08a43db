#include "libs/search_engine/spell_corrector.h"

#include "gtest/gtest.h"

namespace openencoder::search {
namespace {

SpellCorrector Corrector() {
  return SpellCorrector({{"diabetes", 40},
                         {"diabetic", 10},
                         {"pneumonia", 20},
                         {"fracture", 30},
                         {"flu", 5},
                         {"fly", 1},
                         {"e119", 99}});
}

TEST(SpellCorrectorTest, DistanceCountsTranspositionAsOneEdit) {
  EXPECT_EQ(SpellCorrector::Distance("pnuemonia", "pneumonia"), 1);
  EXPECT_EQ(SpellCorrector::Distance("diabetis", "diabetes"), 1);
  EXPECT_EQ(SpellCorrector::Distance("fractr", "fracture"), 2);
  EXPECT_EQ(SpellCorrector::Distance("", "abc"), 3);
}

TEST(SpellCorrectorTest, CorrectsWithinTwoEditsForLongWords) {
  const SpellCorrector corrector = Corrector();
  EXPECT_EQ(corrector.Correct("diabetis"), "diabetes");
  EXPECT_EQ(corrector.Correct("pnuemonia"), "pneumonia");
  EXPECT_EQ(corrector.Correct("fractr"), "fracture");
  EXPECT_EQ(corrector.Correct("xyzxyzxyz"), std::nullopt);
}

TEST(SpellCorrectorTest, ShortWordsGetOneEditAndFrequentWordsWin) {
  const SpellCorrector corrector = Corrector();
  EXPECT_EQ(corrector.Correct("flo"), "flu");  // flu is more frequent.
  EXPECT_EQ(corrector.Correct("fxx"), std::nullopt);
}

TEST(SpellCorrectorTest, KnownWordsAndCodesAreLeftAlone) {
  const SpellCorrector corrector = Corrector();
  EXPECT_EQ(corrector.Correct("diabetes"), std::nullopt);
  EXPECT_EQ(corrector.Correct("e118"), std::nullopt);  // Digits: not a word.
}

}  // namespace
}  // namespace openencoder::search
