// The ICD-10-CM Official Guidelines importer on the real PDF (read through
// $OE_SHARED_DATA; skipped when the shared data or pdftotext is absent):
// every heading of the table of contents is found in the body, the
// numbered items become sections, and the knowledge base finds them.
#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/assistant/knowledge_base.h"
#include "services/assistant/official_guidelines.h"
#include "tests/assistant/support/inprocess_suite.h"
#include "tests/support/source_paths.h"

namespace openencoder::assistant {
namespace {

std::string Pdf() { return testing::GuidelinesPdf(test_support::SharedDataDir()); }

absl::StatusOr<std::string> TextOrSkip() {
  absl::StatusOr<std::string> text = ExtractPdfText(Pdf());
  return text;
}

bool Has(const OfficialGuidelines& g, const std::string& id) {
  return std::any_of(g.sections.begin(), g.sections.end(),
                     [&](const GuidelineSection& s) { return s.id == id; });
}

// How many headings the PDF's own table of contents lists, counted from the
// raw text independently of the parser: lines that end in a dot leader and
// a page number and start with a heading label.
size_t CountTocLines(const std::string& text) {
  size_t count = 0;
  bool in_toc = false;
  size_t pos = 0;
  std::string pending;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    const size_t first = line.find_first_not_of(" \f");
    if (first == std::string::npos) continue;
    line = line.substr(first);
    if (!in_toc && absl::StartsWith(line, "Section I.") && absl::StrContains(line, "....")) {
      in_toc = true;
    }
    if (!in_toc) continue;
    if (absl::StartsWith(line, "Appendix")) break;
    const bool labelled =
        absl::StartsWith(line, "Section ") ||
        (line.size() > 2 && line[1] == '.' && line[2] == ' ' && std::isalpha(line[0])) ||
        (line.size() > 2 && std::isdigit(line[0]) &&
         (line[1] == '.' || (std::isdigit(line[1]) && line[2] == '.')));
    if (labelled) ++count;
  }
  return count;
}

TEST(OfficialGuidelines, EveryTableOfContentsHeadingIsASectionOfTheBody) {
  absl::StatusOr<std::string> text = TextOrSkip();
  if (absl::IsNotFound(text.status()) || absl::IsFailedPrecondition(text.status())) {
    GTEST_SKIP() << text.status();
  }
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<OfficialGuidelines> g = ParseGuidelines(*text);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->edition, "FY 2026");
  EXPECT_EQ(g->toc.size(), CountTocLines(*text));
  EXPECT_GE(g->toc.size(), 200u);
  EXPECT_TRUE(g->missing.empty()) << "first missing: " << g->missing.front();
  size_t in_toc = 0;
  for (const GuidelineSection& s : g->sections) in_toc += s.in_toc;
  EXPECT_EQ(in_toc, g->toc.size());
  EXPECT_EQ(g->toc.front(), "I");
  EXPECT_EQ(g->toc.back(), "IV.Q");
  for (const char* id :
       {"I.A.12.a", "I.C.4.a", "I.C.4.a.2", "I.C.1.d.1", "II.K", "III.C", "IV.H"}) {
    EXPECT_TRUE(Has(*g, id)) << id;
  }
  // No page furniture inside a section's text.
  for (const GuidelineSection& s : g->sections) {
    EXPECT_FALSE(absl::StrContains(s.text, "Page 4")) << s.id;
  }
}

TEST(OfficialGuidelines, KnowledgeBaseFindsASectionByItsWords) {
  absl::StatusOr<std::unique_ptr<KnowledgeBase>> kb =
      KnowledgeBase::Load(test_support::SourcePath("data/assistant/knowledge"), Pdf());
  ASSERT_TRUE(kb.ok()) << kb.status();
  if (!(*kb)->guidelines_status().ok()) GTEST_SKIP() << (*kb)->guidelines_status();
  EXPECT_GE((*kb)->guideline_sections(), 300u);
  std::vector<ArticleHit> hits = (*kb)->SearchGuidelines("type diabetes not documented", 3);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits.front().article->section, "I.C.4.a.2");
  EXPECT_TRUE(absl::StrContains(hits.front().article->body, "E11"));
}

TEST(OfficialGuidelines, KnowledgeBaseLoadsWithoutThePdf) {
  absl::StatusOr<std::unique_ptr<KnowledgeBase>> kb = KnowledgeBase::Load(
      test_support::SourcePath("data/assistant/knowledge"), "/nonexistent/guidelines.pdf");
  ASSERT_TRUE(kb.ok()) << kb.status();
  EXPECT_EQ((*kb)->guideline_sections(), 0u);
  EXPECT_TRUE(absl::IsNotFound((*kb)->guidelines_status()));
  EXPECT_TRUE((*kb)->SearchGuidelines("diabetes", 3).empty());
}

TEST(OfficialGuidelines, BriefQuoteEndsAfterASentence) {
  EXPECT_EQ(BriefQuote("One. Two three four. Five six seven eight nine.", 25),
            "One. Two three four.");
  EXPECT_EQ(BriefQuote("short", 25), "short");
}

}  // namespace
}  // namespace openencoder::assistant
