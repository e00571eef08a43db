// The assistant's domain metrics (per-RPC counts come from common's
// interceptor):
//
//   oe_assistant_answers_total{outcome}     answered | dont_know | unspecified
//       (don't-know rate: rate of dont_know / rate of all; rules.yml)
//   oe_outbox_sends_total{outbox,outcome}   sent | failed | gave_up
//   oe_outbox_send_failures_total{outbox}   every failed send attempt
//   oe_outbox_backlog{outbox}               replies waiting (at scrape time, main.cc)
#ifndef OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_METRICS_H_
#define OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_METRICS_H_

#include "openencoder/assistant/v1/assistant_service.pb.h"

namespace openencoder::assistant {

void RecordAnswer(v1::AnswerOutcome outcome);

// One send attempt of the reply outbox; `gave_up` after the last attempt.
void RecordOutboxSend(bool sent, bool gave_up);

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_ASSISTANT_METRICS_H_
