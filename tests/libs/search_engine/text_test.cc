#include "libs/search_engine/text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/search_engine/stemmer.h"

namespace openencoder::search {
namespace {

std::vector<std::string> Words(absl::string_view text) {
  std::vector<std::string> words;
  for (const Token& t : Tokenize(text)) words.push_back(t.text);
  return words;
}

TEST(TokenizeTest, LowercasesSplitsOnPunctuationAndKeepsNumbers) {
  EXPECT_THAT(Words("Type 2 diabetes, E11.9 (w/o)"),
              ::testing::ElementsAre("type", "2", "diabetes", "e11", "9", "w", "o"));
}

TEST(TokenizeTest, FoldsLatinAccentsAndKeepsByteOffsets) {
  const std::vector<Token> tokens = Tokenize("Ménière disease");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].text, "meniere");
  EXPECT_EQ(tokens[0].begin, 0u);
  EXPECT_EQ(tokens[0].end, 9u);  // Two accented letters are two bytes each.
  EXPECT_EQ(tokens[1].begin, 10u);
}

TEST(TokenizeTest, OtherScriptsSeparateWords) {
  EXPECT_THAT(Words("flu\xE2\x80\x94shot"),  // Em dash.
              ::testing::ElementsAre("flu", "shot"));
}

// A highlighter passes the letters its words start with: other tokens are
// skipped, the rest keep their folded text and byte offsets.
TEST(TokenizeTest, FirstBytesSkipOtherTokens) {
  std::bitset<256> first;
  first.set('m');
  first.set('2');
  std::vector<Token> seen;
  ForEachToken(
      "Type 2 Ménière, mellitus",
      [&](absl::string_view folded, uint32_t begin, uint32_t end) {
        seen.push_back({std::string(folded), begin, end});
      },
      &first);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].text, "2");
  EXPECT_EQ(seen[1].text, "meniere");
  EXPECT_EQ(seen[1].begin, 7u);
  EXPECT_EQ(seen[1].end, 16u);
  EXPECT_EQ(seen[2].text, "mellitus");
}

// Words are folded in a fixed buffer; a longer one must come out whole.
TEST(TokenizeTest, WordsLongerThanTheFoldBufferComeOutWhole) {
  const std::string shout(300, 'A');
  const std::vector<Token> tokens = Tokenize("x " + shout + " y");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].text, std::string(300, 'a'));
  EXPECT_EQ(tokens[1].begin, 2u);
  EXPECT_EQ(tokens[1].end, 302u);
  EXPECT_EQ(tokens[2].text, "y");
}

TEST(NormalizeCodeTest, DropsDotsAndCase) {
  EXPECT_EQ(NormalizeCode("E11.9"), "e119");
  EXPECT_EQ(NormalizeCode(" t81.4xxA "), "t814xxa");
}

TEST(LooksLikeCodeTest, NeedsADigitAndEnoughCharacters) {
  EXPECT_TRUE(LooksLikeCode("e11.9", 3));
  EXPECT_TRUE(LooksLikeCode("0371", 3));
  EXPECT_FALSE(LooksLikeCode("flu", 3));
  EXPECT_FALSE(LooksLikeCode("e1", 3));
  EXPECT_FALSE(LooksLikeCode("e1-1", 3));
}

TEST(Utf8Test, AcceptsValidRejectsMalformed) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Sj\xC3\xB6gren \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // Truncated.
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // Surrogate.
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(StemTest, SnowballEnglishMergesInflections) {
  EXPECT_EQ(Stem("fractures"), Stem("fracture"));
  EXPECT_EQ(Stem("fractured"), Stem("fracture"));
  EXPECT_EQ(Stem("infections"), Stem("infection"));
}

TEST(HtmlEscapeTest, EscapesMarkup) {
  EXPECT_EQ(HtmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

}  // namespace
}  // namespace openencoder::search
