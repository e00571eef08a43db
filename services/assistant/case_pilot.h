// CasePilot: one Ask from session to final message. Checks the question,
// the session (ValidateSession) and the plan's rate limit (CheckRate,
// feature "assistant.ask"), loads the conversation, lets the answer engine
// work while streaming its progress, then streams the answer in chunks and
// a final message, and remembers the turn.
//
// Errors (returned before any event is emitted): INVALID_ARGUMENT (empty or
// over 2,000 characters; unknown conversation), UNAUTHENTICATED,
// RESOURCE_EXHAUSTED (message says when more questions are available),
// UNAVAILABLE when a service the answer needs is down.
//
// Thread safety: Ask() may run concurrently.
#ifndef OPENENCODER_SERVICES_ASSISTANT_CASE_PILOT_H_
#define OPENENCODER_SERVICES_ASSISTANT_CASE_PILOT_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "openencoder/assistant/v1/assistant_service.pb.h"
#include "services/assistant/answer_engine.h"
#include "services/assistant/conversation_store.h"
#include "services/assistant/tools.h"

namespace openencoder::assistant {

// The longest question Ask takes (OE_ASSISTANT_MAX_QUESTION_CHARS); longer
// ones get INVALID_ARGUMENT naming the limit. The classifier reads at most
// its first kMaxClassifiedChars (question_classifier.h) whatever this is.
inline constexpr size_t kMaxQuestionChars = 2000;
inline constexpr char kAskFeature[] = "assistant.ask";

// Receives each event; returns false when the client is gone (Ask stops).
using EventSink = std::function<bool(const v1::AskEvent&)>;

// "in 3 hours", "in 12 minutes" for a RESOURCE_EXHAUSTED message.
std::string RetryAfterText(absl::Duration d);

// Splits Markdown into chunks of about `size` bytes at spaces or line ends,
// never inside a UTF-8 sequence.
std::vector<std::string> ChunkText(const std::string& text, size_t size);

class CasePilot {
 public:
  CasePilot(AnswerEngine* engine, QuotaTools* quota, ConversationStore* conversations,
            size_t max_question_chars = kMaxQuestionChars)
      : engine_(engine),
        quota_(quota),
        conversations_(conversations),
        max_question_chars_(max_question_chars) {}

  absl::Status Ask(const v1::AskRequest& request, const std::string& request_id,
                   const EventSink& sink);

 private:
  AnswerEngine* engine_;              // not owned
  QuotaTools* quota_;                 // not owned
  ConversationStore* conversations_;  // not owned
  size_t max_question_chars_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_CASE_PILOT_H_
