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
// Delivery is common::mail::OutboxWorker's loop (services/common/mail/
// outbox.h) over this outbox's Redis entries: a claim takes a lease (the
// entry's due time moves to the lease's end, so a crashed sender's mail
// becomes due again), a success deletes the entry, a failure reschedules it
// with exponential backoff until max_attempts, then it is dropped and logged. A crash after the
// relay took the mail but before the delete resends it once, with the same Message-ID. Logs name
// mail ids and subjects, never recipients, bodies or tokens.
//
// Thread-safe: Enqueue from any thread; RunOnce may run concurrently (the
// lease decides); Start() runs it every poll_interval until Stop().
#ifndef OPENENCODER_SERVICES_ACCOUNT_MAIL_OUTBOX_H_
#define OPENENCODER_SERVICES_ACCOUNT_MAIL_OUTBOX_H_

#include <array>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/mail/mail_queue.h"
#include "services/common/mail/mail_sender.h"
#include "services/common/mail/outbox.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::account {

// The delivery policy (poll interval, lease, backoff, attempts) and the
// addresses are the shared mail outbox's; the rest is this outbox's own.
struct MailOutboxOptions : common::mail::MailOutboxPolicy {
  MailOutboxOptions() { from_address = "OpenEncoder <accounts@openencoder.local>"; }
  absl::Duration retention = absl::Hours(24 * 3);
  absl::Duration redis_timeout = absl::Milliseconds(500);
  std::string body_key;  // 32 bytes; empty: a random key for this process
};

// The body may hold a secret: the outbox stores it sealed.
using QueuedMail = common::mail::QueuedMail;

// Logs "account mail not sent: no SMTP configured" (mail id and subject
// only) and reports success: used when OE_SMTP_URL is not set.
class LogOnlyMailSender final : public common::mail::MailSender {
 public:
  absl::Status Send(const common::mail::OutgoingMail& mail) override;
};

class MailOutbox final : public common::mail::MailQueue {
 public:
  // Neither pointer is owned; both must outlive the outbox.
  MailOutbox(redis::RedisClient* redis, common::mail::MailSender* sender,
             MailOutboxOptions options);
  ~MailOutbox() override;

  // Queues one mail; returns its id. INVALID_ARGUMENT (recipient with a line
  // break or no '@'), UNAVAILABLE.
  absl::StatusOr<std::string> Enqueue(const QueuedMail& mail, absl::Time deadline) override;
  // Sends what is due now; the number sent.
  absl::StatusOr<int> RunOnce();
  void Start();
  void Stop();
  void Wake();

  absl::Duration Backoff(int attempts) const;

 private:
  class RedisMailStore;

  std::string Seal(const std::string& plain) const;
  absl::StatusOr<std::string> Open(const std::string& sealed) const;

  redis::RedisClient* redis_;
  const MailOutboxOptions options_;
  std::array<unsigned char, 32> key_{};
  std::unique_ptr<RedisMailStore> store_;
  std::unique_ptr<common::mail::OutboxWorker> worker_;  // last: stops first
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_MAIL_OUTBOX_H_
