#include "libs/search_engine/highlight.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/search_engine/stemmer.h"

namespace openencoder::search {
namespace {

using ::testing::ElementsAre;

HighlightWord Word(std::string text, bool prefix) {
  std::string stem = Stem(text);
  HighlightWord word;
  word.text = std::move(text);
  word.stem = std::move(stem);
  word.prefix = prefix;
  return word;
}

TEST(HighlightTest, MarksPrefixExactAndStemMatches) {
  const std::string title = "Fractures of wrist, fractured radius";
  const auto spans = HighlightSpans(title, {Word("fracture", false), Word("wri", true)});
  EXPECT_THAT(spans, ElementsAre(Span{0, 9}, Span{13, 18}, Span{20, 29}));
}

// Highlight skips the stemmer for title words whose first two letters
// differ from the stem's; irregular forms must still be found.
TEST(HighlightTest, IrregularStemFormsStillMatch) {
  EXPECT_THAT(HighlightSpans("Dying patient", {Word("die", false)}), ElementsAre(Span{0, 5}));
  EXPECT_THAT(HighlightSpans("Clear skies", {Word("sky", false)}), ElementsAre(Span{6, 11}));
  EXPECT_THAT(HighlightSpans("Generalized arthrosis", {Word("generalize", false)}),
              ElementsAre(Span{0, 11}));
}

TEST(HighlightTest, WholeWordsDoNotMatchAsPrefixes) {
  EXPECT_TRUE(HighlightSpans("Wristband", {Word("wrist", false)}).empty());
}

// The matcher has no separate "no words" flag: with no words, no first
// byte is allowed and nothing matches, not even an empty token.
TEST(HighlightTest, NoWordsMatchNothing) {
  const std::vector<HighlightWord> none;
  const HighlightMatcher matcher(none);
  EXPECT_FALSE(matcher.Matches("fracture"));
  EXPECT_FALSE(matcher.Matches(""));
  EXPECT_TRUE(HighlightSpans("Fractures of wrist", matcher).empty());
}

// An index passes each word's stem class instead of a stem: title words
// in the class match, others are not stemmed at all.
TEST(HighlightTest, KnownStemWordsReplaceTheStemmer) {
  HighlightWord word;
  word.text = "fracture";
  word.prefix = false;
  word.stem_words_known = true;
  word.stem_words = {"fracture", "fractured", "fractures"};
  EXPECT_THAT(HighlightSpans("Fractures of wrist, fractured radius", {word}),
              ElementsAre(Span{0, 9}, Span{20, 29}));
  word.stem_words.clear();  // No indexed word has the stem.
  EXPECT_THAT(HighlightSpans("Fractures of wrist, fracture", {word}), ElementsAre(Span{20, 28}));
}

// Words tokenised at build time are matched as term ids: ranges (prefixes)
// and single ids (stem classes) merge into disjoint intervals.
TEST(TermIdMatcherTest, MergesRangesAndIds) {
  TermIdMatcher ids;
  ids.AddRange(10, 20);
  ids.AddRange(15, 25);  // Overlaps [10, 20).
  ids.AddRange(30, 30);  // Empty: ignored.
  ids.AddIds({25, 40, 7, 41});
  ids.Finish();
  EXPECT_EQ(ids.intervals(), 3u);  // [7, 8), [10, 26), [40, 42)
  for (uint32_t id : {7u, 10u, 19u, 20u, 24u, 25u, 40u, 41u}) EXPECT_TRUE(ids.Contains(id)) << id;
  for (uint32_t id : {0u, 6u, 8u, 9u, 26u, 30u, 39u, 42u, 1000u}) {
    EXPECT_FALSE(ids.Contains(id)) << id;
  }
}

// The bit filter (ids modulo 1024) must not change an answer: ids that
// share bits with a member (id + 1024) are still outside, and a broad
// range (over the filter's limit) is matched by its intervals alone.
TEST(TermIdMatcherTest, FilterCollisionsAndBroadRangesKeepExactAnswers) {
  TermIdMatcher few;
  few.AddRange(5000, 5003);
  few.AddIds({70000, 3});
  few.Finish();
  for (uint32_t id : {3u, 5000u, 5002u, 70000u}) EXPECT_TRUE(few.Contains(id)) << id;
  for (uint32_t id : {3u + 1024, 5000u + 1024, 5003u, 70000u - 1024, 70001u, 4u, 2u}) {
    EXPECT_FALSE(few.Contains(id)) << id;
  }
  TermIdMatcher broad;
  broad.AddRange(100, 5100);  // 5,000 ids: no filter.
  broad.AddIds({9000});
  broad.Finish();
  for (uint32_t id : {100u, 1123u, 5099u, 9000u}) EXPECT_TRUE(broad.Contains(id)) << id;
  for (uint32_t id : {99u, 5100u, 8999u, 9001u}) EXPECT_FALSE(broad.Contains(id)) << id;
  // Finish after more ids: the filter is rebuilt.
  few.AddRange(200, 202);
  few.Finish();
  EXPECT_TRUE(few.Contains(201));
  EXPECT_TRUE(few.Contains(5001));
}

TEST(TermIdMatcherTest, EmptyContainsNothing) {
  TermIdMatcher ids;
  ids.Finish();
  EXPECT_FALSE(ids.Contains(0));
  EXPECT_EQ(ids.intervals(), 0u);
}

TEST(HighlightTest, SnippetEscapesAndMarks) {
  EXPECT_EQ(MarkSnippet("A<B flu", {Span{4, 7}}), "A&lt;B <mark>flu</mark>");
  EXPECT_EQ(MarkSnippet("flu", {}), "flu");
  EXPECT_EQ(MarkSnippet("a&b \"c\" > d", {Span{0, 1}, Span{4, 7}}),
            "<mark>a</mark>&amp;b <mark>&quot;c&quot;</mark> &gt; d");
}

}  // namespace
}  // namespace openencoder::search
