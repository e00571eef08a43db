// Runs the labelled question set (data/assistant/questions.tsv) through the
// answer engine against the real catalogue and search services on the demo
// data, and fails below the thresholds written in services/assistant/README.md.
// Conversations are asked turn by turn; an answer that repeats the one before
// it word for word is wrong.
#include <cstdio>
#include <map>

#include "gtest/gtest.h"
#include "tests/assistant/support/inprocess_suite.h"
#include "tests/assistant/support/question_set.h"

namespace openencoder::assistant::testing {
namespace {

// Thresholds (see services/assistant/README.md, "Quality").
constexpr double kMinCorrectShare = 0.90;
constexpr double kMaxDontKnowShareOnAnswerable = 0.08;

TEST(AssistantQuality, LabelledSetOnDemoDataMeetsThresholdsAndInventsNoCode) {
  auto suite = InProcessSuite::Start();
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto questions = LoadQuestionSet(SourceDir() + "/data/assistant/questions.tsv");
  ASSERT_TRUE(questions.ok()) << questions.status();
  ASSERT_GE(questions->size(), 200u);
  DataOffered data;
  data.guidelines = (*suite)->knowledge()->guideline_sections() > 0;

  int asked = 0, correct = 0, dont_know_on_answerable = 0, answerable = 0, invented = 0;
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (correct, total)
  for (const LabelledQuestion& q : *questions) {
    if (!Applies(q, data)) continue;
    ++asked;
    bool repeated = false;
    auto answer = AskLabelled((*suite)->engine(), q, kQualitySession,
                              [](absl::string_view, const std::string&) {}, &repeated);
    ASSERT_TRUE(answer.ok()) << q.question << ": " << answer.status();
    Grade g = GradeAnswer(q, *answer, (*suite)->catalogue());
    if (repeated) {
      g.correct = false;
      g.why = "repeats the previous answer word for word";
    }
    invented += g.invented_codes;
    by_kind[q.kind].second++;
    if (g.correct) {
      ++correct;
      by_kind[q.kind].first++;
    } else {
      std::printf("WRONG [%s] %s: %s\n---\n%s\n---\n", q.kind.c_str(), q.question.c_str(),
                  g.why.c_str(), answer->text.c_str());
    }
    if (q.kind != "dont_know") {
      ++answerable;
      if (g.dont_know) ++dont_know_on_answerable;
    }
  }
  const double share = static_cast<double>(correct) / asked;
  const double dk = static_cast<double>(dont_know_on_answerable) / answerable;
  for (const auto& [kind, counts] : by_kind) {
    std::printf("%-14s %d/%d\n", kind.c_str(), counts.first, counts.second);
  }
  std::printf("correct %d/%d (%.1f%%), dont_know on answerable %.1f%%, invented %d%s\n", correct,
              asked, 100 * share, 100 * dk, invented,
              data.guidelines ? "" : " (no Official Guidelines PDF: its questions skipped)");
  EXPECT_EQ(invented, 0);
  EXPECT_GE(share, kMinCorrectShare);
  EXPECT_LE(dk, kMaxDontKnowShareOnAnswerable);
}

}  // namespace
}  // namespace openencoder::assistant::testing
