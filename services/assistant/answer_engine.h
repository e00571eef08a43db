// Answers one question: classifies it, runs the tools it needs (reporting
// each step as progress), composes the answer, optionally lets a language
// model phrase it, and checks every code in the result against the
// catalogue. Used by CasePilot (chat) and CaseConsultant (email) alike.
//
// Errors: UNAVAILABLE / DEADLINE_EXCEEDED when a tool the answer depends on
// cannot be reached (never a guessed answer); a question the data cannot
// answer is not an error but outcome DONT_KNOW.
//
// Thread safety: Answer() may run concurrently; the tools must allow it.
#ifndef OPENENCODER_SERVICES_ASSISTANT_ANSWER_ENGINE_H_
#define OPENENCODER_SERVICES_ASSISTANT_ANSWER_ENGINE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/assistant/answer_composer.h"
#include "services/assistant/assistant_metrics.h"
#include "services/assistant/code_checker.h"
#include "services/assistant/knowledge_base.h"
#include "services/assistant/llm_backend.h"
#include "services/assistant/locality_table.h"
#include "services/assistant/question_classifier.h"
#include "services/assistant/tools.h"

namespace openencoder::assistant {

// Progress: (machine step name, message for people).
using ProgressSink = std::function<void(absl::string_view step, const std::string& message)>;

struct EngineAnswer {
  Question question;
  v1::AnswerOutcome outcome = v1::ANSWER_OUTCOME_DONT_KNOW;
  std::string text;  // checked Markdown
  std::vector<v1::Citation> citations;
  std::vector<std::string> follow_ups;
  std::vector<catalogue::v1::CodeSummary> codes;  // verified codes in the text
  std::vector<std::string> removed_codes;         // cut out by the code check
  bool phrased_by_model = false;
  std::string model_rejected;  // why the model's text was not used (empty: not asked or used)
};

// The language model's text may be shown only when it is grounded: every
// paragraph that names a code cites a source ([T0] = `draft`, [T1]... =
// `tool_results` in order), every cited source exists, at least one is
// cited, and every code it writes appears in a source. `why` says what
// failed. (The catalogue check comes on top.)
bool ModelTextIsGrounded(absl::string_view text, absl::string_view draft,
                         const std::vector<std::string>& tool_results, std::string* why);

struct EngineDeps {
  CatalogueTools* catalogue = nullptr;        // required
  SearchTools* search = nullptr;              // required for "which code fits these words"
  const KnowledgeBase* knowledge = nullptr;   // required for guideline questions
  const LocalityTable* localities = nullptr;  // optional
  AnswerPhraser* phraser = nullptr;           // optional (LLM); null: deterministic only
  QuotaTools* account = nullptr;              // optional: answers "views left", "my plan"
  // Where CaseConsultant takes questions, offered with every "I don't know".
  std::string consultant_address = "consultant@openencoder.local";
};

// What a conversation remembers of an answer, so that the next turn can
// refer to it: the verified codes (not the question's shapes), the intent,
// modifiers and locality.
TurnContext ContextOf(const EngineAnswer& answer);

class AnswerEngine {
 public:
  explicit AnswerEngine(EngineDeps deps) : deps_(deps), checker_(deps.catalogue) {}

  // `session_token` (may be empty) is the asker's, for questions about
  // their own account ("views left", "my plan").
  absl::StatusOr<EngineAnswer> Answer(absl::string_view question, const TurnContext* previous,
                                      absl::string_view request_id, const ProgressSink& progress,
                                      absl::string_view session_token = "");

 private:
  class EngineModelTools;
  absl::Status Gather(Evidence* e, absl::string_view request_id, absl::string_view session_token,
                      const ProgressSink& progress);
  absl::Status LookupCodes(Evidence* e, absl::string_view request_id, const ProgressSink& progress);
  absl::Status LoadModifiers(Evidence* e, absl::string_view request_id);
  absl::Status EditionLabels(Evidence* e, absl::string_view request_id);
  absl::Status FindCodes(Evidence* e, absl::string_view request_id, const ProgressSink& progress);
  absl::StatusOr<search::v1::SearchResponse> SearchCodes(const std::string& words,
                                                         catalogue::v1::CodeSystem system,
                                                         absl::string_view request_id);

  EngineDeps deps_;
  CodeChecker checker_;
  absl::Mutex mu_;
  // Editions and modifiers change only with a new catalogue snapshot:
  // cached for a few minutes instead of one call per question.
  absl::flat_hash_map<std::string, std::string> edition_labels_ ABSL_GUARDED_BY(mu_);
  absl::Time editions_fetched_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::vector<catalogue::v1::Modifier> modifiers_ ABSL_GUARDED_BY(mu_);
  absl::Time modifiers_fetched_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_ANSWER_ENGINE_H_
