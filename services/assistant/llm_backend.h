// Optional: lets a large language model phrase the answer from the same
// tool results the composer used. Off by default; the deterministic
// composer's text is always the fallback, and the model's text goes through
// the same code check (the engine discards it when it names a code the
// catalogue does not know).
//
// OpenAiCompatibleBackend POSTs a chat completion to OE_LLM_URL
// (".../v1/chat/completions") with model OE_LLM_MODEL and bearer key
// OE_LLM_API_KEY (optional), using libcurl with a total timeout.
//
// Thread safety: Phrase() may be called concurrently.
#ifndef OPENENCODER_SERVICES_ASSISTANT_LLM_BACKEND_H_
#define OPENENCODER_SERVICES_ASSISTANT_LLM_BACKEND_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::assistant {

class AnswerPhraser {
 public:
  virtual ~AnswerPhraser() = default;
  // Rewrites `draft` (our composed answer, which holds every fact) as an
  // answer to `question`. UNAVAILABLE / DEADLINE_EXCEEDED when the model
  // cannot be reached; INTERNAL for a reply without text.
  virtual absl::StatusOr<std::string> Phrase(absl::string_view question,
                                             absl::string_view draft) = 0;
};

struct LlmOptions {
  std::string url;  // empty: off
  std::string model = "gpt-4o-mini";
  std::string api_key;
  absl::Duration timeout = absl::Seconds(20);
};

class OpenAiCompatibleBackend final : public AnswerPhraser {
 public:
  explicit OpenAiCompatibleBackend(LlmOptions options) : options_(std::move(options)) {}
  absl::StatusOr<std::string> Phrase(absl::string_view question, absl::string_view draft) override;

  // The request body (exposed for tests).
  static std::string RequestJson(const std::string& model, absl::string_view question,
                                 absl::string_view draft);
  // choices[0].message.content of a response body (exposed for tests).
  static absl::StatusOr<std::string> ParseResponse(const std::string& body);

 private:
  const LlmOptions options_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_LLM_BACKEND_H_
