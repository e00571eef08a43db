#include "services/search/engine/highlight.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/search/engine/stemmer.h"

namespace openencoder::search {
namespace {

using ::testing::ElementsAre;

HighlightWord Word(std::string text, bool prefix) {
  std::string stem = Stem(text);
  return {std::move(text), std::move(stem), prefix};
}

TEST(HighlightTest, MarksPrefixExactAndStemMatches) {
  const std::string title = "Fractures of wrist, fractured radius";
  const auto spans =
      HighlightSpans(title, {Word("fracture", false), Word("wri", true)});
  EXPECT_THAT(spans, ElementsAre(Span{0, 9}, Span{13, 18}, Span{20, 29}));
}

// Highlight skips the stemmer for title words whose first two letters
// differ from the stem's; irregular forms must still be found.
TEST(HighlightTest, IrregularStemFormsStillMatch) {
  EXPECT_THAT(HighlightSpans("Dying patient", {Word("die", false)}),
              ElementsAre(Span{0, 5}));
  EXPECT_THAT(HighlightSpans("Clear skies", {Word("sky", false)}),
              ElementsAre(Span{6, 11}));
  EXPECT_THAT(HighlightSpans("Generalized arthrosis", {Word("generalize", false)}),
              ElementsAre(Span{0, 11}));
}

TEST(HighlightTest, WholeWordsDoNotMatchAsPrefixes) {
  EXPECT_TRUE(HighlightSpans("Wristband", {Word("wrist", false)}).empty());
}

TEST(HighlightTest, SnippetEscapesAndMarks) {
  EXPECT_EQ(MarkSnippet("A<B flu", {Span{4, 7}}), "A&lt;B <mark>flu</mark>");
  EXPECT_EQ(MarkSnippet("flu", {}), "flu");
}

}  // namespace
}  // namespace openencoder::search
