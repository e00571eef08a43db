// The account service's outgoing mail (verification links, "this address is
// already registered" notices): a Redis outbox of its own plus the worker
// that sends it through the shared SMTP sender (services/common/mail).
//
// Keys (own hash tag, not per account): sorted set oe:{acct-mail}:outbox of
// mail ids by due time, hash oe:{acct-mail}:m:<id> (to, subject, sealed
// body, attempts, lease_ms), expiring after `retention`.
//
// The body is stored sealed (libsodium secretbox) under `body_key`, because
// a verification mail carries a token in clear and Redis must hold only its
// hash. A key from OE_ACCOUNT_MAIL_KEY survives restarts; without it a random
// per-process key is used and mails still pending at a restart are dropped
// (the user asks for a new link).
//
// Delivery: a claim takes a lease (the entry's due time moves to the lease's
// end, so a crashed sender's mail becomes due again), a success deletes the
// entry, a failure reschedules it with exponential backoff until
// max_attempts, then it is dropped and logged. A crash after the relay took
// the mail but before the delete resends it once, with the same Message-ID.
// Logs name mail ids and subjects, never recipients, bodies or tokens.
//
// Thread-safe: Enqueue from any thread; RunOnce may run concurrently (the
// lease decides); Start() runs it every poll_interval until Stop().
#ifndef OPENENCODER_SERVICES_ACCOUNT_MAIL_OUTBOX_H_
#define OPENENCODER_SERVICES_ACCOUNT_MAIL_OUTBOX_H_

#include <array>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/mail/mail_sender.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

struct MailOutboxOptions {
  std::string from_address = "OpenEncoder <accounts@openencoder.local>";
  std::string message_id_domain = "openencoder.local";
  absl::Duration poll_interval = absl::Seconds(1);
  absl::Duration lease = absl::Seconds(60);
  absl::Duration initial_backoff = absl::Seconds(2);
  absl::Duration max_backoff = absl::Minutes(10);
  absl::Duration retention = absl::Hours(24 * 3);
  absl::Duration redis_timeout = absl::Milliseconds(500);
  int max_attempts = 8;
  std::string body_key;  // 32 bytes; empty: a random key for this process
};

struct QueuedMail {
  std::string to;  // one address
  std::string subject;
  std::string body;  // plain text; may hold a secret (sealed in Redis)
};

// Logs "account mail not sent: no SMTP configured" (mail id and subject
// only) and reports success: used when OE_SMTP_URL is not set.
class LogOnlyMailSender final : public common::mail::MailSender {
 public:
  absl::Status Send(const common::mail::OutgoingMail& mail) override;
};

class MailOutbox {
 public:
  // Neither pointer is owned; both must outlive the outbox.
  MailOutbox(redis::RedisClient* redis, common::mail::MailSender* sender,
             MailOutboxOptions options);
  ~MailOutbox() { Stop(); }

  // Queues one mail; returns its id. INVALID_ARGUMENT (recipient with a line
  // break or no '@'), UNAVAILABLE.
  absl::StatusOr<std::string> Enqueue(const QueuedMail& mail, absl::Time deadline);
  // Sends what is due now; the number sent.
  absl::StatusOr<int> RunOnce();
  void Start();
  void Stop();
  void Wake();

  absl::Duration Backoff(int attempts) const;

 private:
  std::string Seal(const std::string& plain) const;
  absl::StatusOr<std::string> Open(const std::string& sealed) const;

  redis::RedisClient* redis_;
  common::mail::MailSender* sender_;
  const MailOutboxOptions options_;
  std::array<unsigned char, 32> key_{};
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_MAIL_OUTBOX_H_
