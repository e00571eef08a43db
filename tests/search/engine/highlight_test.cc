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

TEST(HighlightTest, WholeWordsDoNotMatchAsPrefixes) {
  EXPECT_TRUE(HighlightSpans("Wristband", {Word("wrist", false)}).empty());
}

TEST(HighlightTest, SnippetEscapesAndMarks) {
  EXPECT_EQ(MarkSnippet("A<B flu", {Span{4, 7}}), "A&lt;B <mark>flu</mark>");
  EXPECT_EQ(MarkSnippet("flu", {}), "flu");
}

}  // namespace
}  // namespace openencoder::search
