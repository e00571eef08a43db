#include "services/assistant/assistant_metrics.h"

#include "services/common/metrics.h"

namespace openencoder::assistant {

void RecordAnswer(v1::AnswerOutcome outcome) {
  static auto& answers =
      common::Counters("oe_assistant_answers_total", "Assistant answers by outcome");
  const char* label = outcome == v1::ANSWER_OUTCOME_ANSWERED    ? "answered"
                      : outcome == v1::ANSWER_OUTCOME_DONT_KNOW ? "dont_know"
                                                                : "unspecified";
  answers.Add({{"outcome", label}}).Increment();
}

void RecordOutboxSend(bool sent, bool gave_up) {
  static auto& sends = common::Counters("oe_outbox_sends_total", "Outbox send attempts by outcome");
  static auto& failures =
      common::Counters("oe_outbox_send_failures_total", "Outbox send attempts that failed");
  const prometheus::Labels outbox = {{"outbox", "assistant_replies"}};
  if (!sent) failures.Add(outbox).Increment();
  sends
      .Add({{"outbox", "assistant_replies"},
            {"outcome", sent      ? "sent"
                        : gave_up ? "gave_up"
                                  : "failed"}})
      .Increment();
}

}  // namespace openencoder::assistant
