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
// Thread safety: RunOnce() may run concurrently (the lease decides); Start()
// runs it on a background thread every `poll_interval` until Stop().
#ifndef OPENENCODER_SERVICES_ASSISTANT_OUTBOX_WORKER_H_
#define OPENENCODER_SERVICES_ASSISTANT_OUTBOX_WORKER_H_

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/assistant/mail_sender.h"
#include "services/assistant/ticket_store.h"

namespace openencoder::assistant {

struct OutboxOptions {
  std::string from_address = "CaseConsultant <consultant@openencoder.local>";
  std::string message_id_domain = "openencoder.local";
  absl::Duration poll_interval = absl::Seconds(1);
  absl::Duration lease = absl::Seconds(60);
  absl::Duration initial_backoff = absl::Seconds(2);
  absl::Duration max_backoff = absl::Minutes(10);
  int max_attempts = 8;
};

class OutboxWorker {
 public:
  OutboxWorker(TicketStore* tickets, MailSender* sender, OutboxOptions options)
      : tickets_(tickets), sender_(sender), options_(std::move(options)) {}
  ~OutboxWorker() { Stop(); }

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
  TicketStore* tickets_;  // not owned
  MailSender* sender_;    // not owned
  const OutboxOptions options_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_OUTBOX_WORKER_H_
