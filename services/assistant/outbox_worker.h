// Mails the replies of answered tickets: takes due tickets from the outbox,
// takes each one's send lease, sends over SMTP, marks it SENT. A failed send
// is retried with exponential backoff (initial_backoff * 2^(attempt-1), at
// most max_backoff) until max_attempts; then the ticket stays ANSWERED with
// its last error for an operator to see.
//
// Exactly-once, as far as SMTP allows: a ticket is sent only while ANSWERED
// and under its lease, and becomes SENT atomically; a crash after the relay
// accepted the mail but before MarkSent can resend once after the lease
// expires, with the same Message-ID (mail clients and the tests see it as
// one message). A reposted inbound message never creates a second ticket.
//
// The loop (claim, send, backoff, give up) is common::mail::OutboxWorker's,
// shared with the account service's mail; this class adapts the ticket
// store's outbox to it.
//
// Thread safety: RunOnce() may run concurrently (the lease decides); Start()
// runs it on a background thread every `poll_interval` until Stop().
#ifndef OPENENCODER_SERVICES_ASSISTANT_OUTBOX_WORKER_H_
#define OPENENCODER_SERVICES_ASSISTANT_OUTBOX_WORKER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/assistant/mail_sender.h"
#include "services/assistant/ticket_store.h"
#include "services/common/mail/outbox.h"

namespace openencoder::assistant {

// The delivery policy (poll interval, lease, backoff, attempts) and the
// addresses are the shared mail outbox's; only the From is this outbox's.
struct OutboxOptions : common::mail::MailOutboxPolicy {
  OutboxOptions() { from_address = "CaseConsultant <consultant@openencoder.local>"; }
};

class OutboxWorker {
 public:
  // Neither pointer is owned; both must outlive the worker.
  OutboxWorker(TicketStore* tickets, MailSender* sender, OutboxOptions options);
  ~OutboxWorker();

  // Sends what is due now. Returns how many mails were sent.
  absl::StatusOr<int> RunOnce();
  void Start();
  void Stop();
  // Asks the background thread to run now (after an answer was written).
  void Wake();

  // The reply's Message-ID for a ticket: the same on every attempt.
  std::string ReplyMessageId(const std::string& ticket_id) const;
  absl::Duration Backoff(int attempts) const;

 private:
  class TicketOutbox;

  const OutboxOptions options_;
  std::unique_ptr<TicketOutbox> store_;
  std::unique_ptr<common::mail::OutboxWorker> worker_;  // last: stops first
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_OUTBOX_WORKER_H_
