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

TEST(HighlightTest, SnippetEscapesAndMarks) {
  EXPECT_EQ(MarkSnippet("A<B flu", {Span{4, 7}}), "A&lt;B <mark>flu</mark>");
  EXPECT_EQ(MarkSnippet("flu", {}), "flu");
  EXPECT_EQ(MarkSnippet("a&b \"c\" > d", {Span{0, 1}, Span{4, 7}}),
            "<mark>a</mark>&amp;b <mark>&quot;c&quot;</mark> &gt; d");
}

}  // namespace
}  // namespace openencoder::search
