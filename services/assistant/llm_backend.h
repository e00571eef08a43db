// Optional: a large language model writes the answer, calling our own tools
// (code lookup, code search, code page, NCCI check, guidelines) through the
// OpenAI-compatible chat completions protocol with streaming (SSE) and tool
// calls. Off by default (OE_LLM_URL empty).
//
// The deterministic composer's draft is always computed first and is the
// fallback: the engine uses the model's text only when every code in it is
// known to the catalogue, appears in the draft or a tool result, and every
// citation marker ([T0] the draft, [T1]... the tool results in call order)
// names a result that exists (answer_engine.cc, ModelTextIsGrounded).
//
// OpenAiCompatibleBackend POSTs to OE_LLM_URL (".../v1/chat/completions")
// with model OE_LLM_MODEL and bearer key OE_LLM_API_KEY (optional), using
// libcurl with a total timeout per request, "stream": true, and at most
// kMaxToolRounds rounds of tool calls.
//
// Thread safety: Phrase() may be called concurrently.
#ifndef OPENENCODER_SERVICES_ASSISTANT_LLM_BACKEND_H_
#define OPENENCODER_SERVICES_ASSISTANT_LLM_BACKEND_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::assistant {

// The tools a model may call; implemented by the answer engine over the
// same services the deterministic answer uses.
class ModelTools {
 public:
  virtual ~ModelTools() = default;
  // The OpenAI "tools" array (JSON) describing every tool.
  virtual std::string Definitions() const = 0;
  // Runs one call; `arguments` is the model's JSON object. The result is
  // plain text for the model. INVALID_ARGUMENT for an unknown tool or bad
  // arguments (reported back to the model, not fatal).
  virtual absl::StatusOr<std::string> Run(absl::string_view name, absl::string_view arguments) = 0;
};

struct PhraseResult {
  std::string text;                       // the model's final answer
  std::vector<std::string> tool_results;  // T1, T2... in call order
};

class AnswerPhraser {
 public:
  virtual ~AnswerPhraser() = default;
  // Lets the model answer `question` from `draft` (our composed answer,
  // cited as [T0]) and its tool calls. `on_delta` receives text as it
  // streams (for progress only: nothing is shown before it is checked).
  // UNAVAILABLE / DEADLINE_EXCEEDED when the model cannot be reached, is
  // too slow or its stream is cut; INTERNAL for a reply that breaks the
  // protocol (garbage, no text).
  virtual absl::StatusOr<PhraseResult> Phrase(
      absl::string_view question, absl::string_view draft, ModelTools* tools,
      const std::function<void(absl::string_view)>& on_delta) = 0;
};

struct LlmOptions {
  std::string url;  // empty: off
  std::string model = "gpt-4o-mini";
  std::string api_key;
  absl::Duration timeout = absl::Seconds(20);  // per request (one round)
};

inline constexpr int kMaxToolRounds = 4;

class OpenAiCompatibleBackend final : public AnswerPhraser {
 public:
  explicit OpenAiCompatibleBackend(LlmOptions options) : options_(std::move(options)) {}
  absl::StatusOr<PhraseResult> Phrase(
      absl::string_view question, absl::string_view draft, ModelTools* tools,
      const std::function<void(absl::string_view)>& on_delta) override;

  // One streamed reply, parsed: text, tool calls, and whether it ended
  // properly (a finish_reason, or "data: [DONE]").
  struct ToolCall {
    std::string id;
    std::string name;
    std::string arguments;  // JSON text, concatenated from the deltas
  };
  struct Reply {
    std::string text;
    std::vector<ToolCall> tool_calls;
    std::string finish_reason;
    bool done = false;
  };
  // Feeds SSE bytes as they arrive (exposed for tests). INTERNAL for an
  // event that is not JSON or carries an "error".
  class StreamParser {
   public:
    absl::Status Feed(absl::string_view bytes,
                      const std::function<void(absl::string_view)>& on_delta);
    const Reply& reply() const { return reply_; }

   private:
    absl::Status Event(absl::string_view data,
                       const std::function<void(absl::string_view)>& on_delta);
    std::string buffer_;
    Reply reply_;
  };

 private:
  const LlmOptions options_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_LLM_BACKEND_H_
