// The labelled question set (data/assistant/questions.tsv) and how an answer
// is graded against it. Shared by the CI quality test and the bench.
#ifndef OPENENCODER_TESTS_ASSISTANT_SUPPORT_QUESTION_SET_H_
#define OPENENCODER_TESTS_ASSISTANT_SUPPORT_QUESTION_SET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assistant/answer_engine.h"
#include "services/assistant/tools.h"

namespace openencoder::assistant::testing {

struct LabelledQuestion {
  std::string kind;
  std::string question;
  std::vector<std::string> must_contain;
  std::vector<std::string> must_not_contain;
};

absl::StatusOr<std::vector<LabelledQuestion>> LoadQuestionSet(const std::string& path);

struct Grade {
  bool correct = false;
  bool dont_know = false;
  int invented_codes = 0;  // codes in the text the catalogue does not know
  std::string why;         // first failed expectation, for reports
};

// Grades `answer`. Invented codes are counted independently of the
// engine's own checker: every code shape in the final text is looked up
// again with BatchGetCodes.
Grade GradeAnswer(const LabelledQuestion& q, const EngineAnswer& answer, CatalogueTools* catalogue);

}  // namespace openencoder::assistant::testing

#endif  // OPENENCODER_TESTS_ASSISTANT_SUPPORT_QUESTION_SET_H_
