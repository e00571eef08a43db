// Writes the answer to a question from the evidence the tools returned:
// deterministic Markdown text, one citation per fact taken from a source,
// and two or three follow-up questions the assistant can answer. No network
// and no randomness: the same evidence always gives the same answer.
//
// The composer only writes codes that appear in the evidence (which came
// from the catalogue or the search index); the code checker still verifies
// every one before the answer is shown.
//
// When the evidence does not support an answer the outcome is DONT_KNOW, the
// text says "I don't know" with the reason and offers CaseConsultant.
#ifndef OPENENCODER_SERVICES_ASSISTANT_ANSWER_COMPOSER_H_
#define OPENENCODER_SERVICES_ASSISTANT_ANSWER_COMPOSER_H_

#include <string>
#include <vector>

#include "openencoder/assistant/v1/assistant_service.pb.h"
#include "services/assistant/evidence.h"

namespace openencoder::assistant {

struct ComposedAnswer {
  v1::AnswerOutcome outcome = v1::ANSWER_OUTCOME_DONT_KNOW;
  std::string text;  // Markdown
  std::vector<v1::Citation> citations;
  std::vector<std::string> follow_ups;
};

ComposedAnswer ComposeAnswer(const Evidence& evidence);

// The "I don't know" answer with a reason, offering CaseConsultant.
ComposedAnswer DontKnow(const std::string& reason);

// "E11.9" for ICD-10-CM, "99213" otherwise: how a code is written in answers
// (the code checker expects dotted ICD-10-CM codes).
std::string DisplayCode(const catalogue::v1::CodeSummary& code);

// "ICD-10-CM", "CPT", ... for people.
std::string SystemLabel(catalogue::v1::CodeSystem system);

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_ANSWER_COMPOSER_H_
