// Where a service's logic hands mail it wants sent: a queue that a worker
// drains later (with retries), so that no request waits on an SMTP relay.
// The account service's MailOutbox (Redis, leased, sealed bodies) is the
// real one; tests use an in-memory queue that keeps what was queued.
#ifndef OPENENCODER_SERVICES_COMMON_MAIL_MAIL_QUEUE_H_
#define OPENENCODER_SERVICES_COMMON_MAIL_MAIL_QUEUE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::common::mail {

struct QueuedMail {
  std::string to;  // one address
  std::string subject;
  std::string body;  // plain text; may hold a secret (a queue must not store it in clear)
};

class MailQueue {
 public:
  virtual ~MailQueue() = default;
  // Queues one mail; returns its id. INVALID_ARGUMENT (recipient with a line
  // break or no '@'), UNAVAILABLE (the queue cannot be reached in time).
  virtual absl::StatusOr<std::string> Enqueue(const QueuedMail& mail, absl::Time deadline) = 0;
};

// True when `to` is one address as far as a queue can tell: it has an '@'
// and no line break (which would let it add headers).
inline bool IsOneRecipient(absl::string_view to) {
  return absl::StrContains(to, "@") && !absl::StrContains(to, "\r") && !absl::StrContains(to, "\n");
}

}  // namespace openencoder::common::mail

#endif  // OPENENCODER_SERVICES_COMMON_MAIL_MAIL_QUEUE_H_
