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
  std::string question;  // a conversation's turns are separated by " >> "
  std::vector<std::string> must_contain;
  std::vector<std::string> must_not_contain;
  std::string needs;  // "", "demo", "real" or "pdf" (see the file's header)
  std::vector<std::string> turns() const;
};

// What the data a run answers from offers: a question applies when its
// `needs` is met.
struct DataOffered {
  bool real = false;        // the real code sets (not the demo data)
  bool guidelines = false;  // the Official Guidelines PDF was imported
};
bool Applies(const LabelledQuestion& q, const DataOffered& data);

// Asks every turn of `q` in order, each with the previous answer as its
// context (as CasePilot does), and returns the last answer. `repeated` is
// set when an answer repeats the one before it word for word.
absl::StatusOr<EngineAnswer> AskLabelled(AnswerEngine* engine, const LabelledQuestion& q,
                                         absl::string_view session_token,
                                         const ProgressSink& progress, bool* repeated);

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

// The session token of the quality suite's fixed account (a guest with one
// of one monthly code-page views left), for account questions.
inline constexpr char kQualitySession[] = "quality-session";

}  // namespace openencoder::assistant::testing

#endif  // OPENENCODER_TESTS_ASSISTANT_SUPPORT_QUESTION_SET_H_
