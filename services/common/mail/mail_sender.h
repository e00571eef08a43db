// Outgoing mail for every service (assistant replies, account verification
// mails). CurlSmtpSender speaks SMTP with libcurl to a relay such as
// "smtp://127.0.0.1:2525"; one message per call, bounded by a timeout.
// Retries and deduplication are each service's outbox's job.
//
// Thread safety: Send() may be called concurrently.
#ifndef OPENENCODER_SERVICES_COMMON_MAIL_MAIL_SENDER_H_
#define OPENENCODER_SERVICES_COMMON_MAIL_MAIL_SENDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace openencoder::common::mail {

struct OutgoingMail {
  std::string from;
  std::string to;
  std::string subject;
  std::string body;         // plain text, UTF-8
  std::string message_id;   // "<id@host>", the same on every attempt
  std::string in_reply_to;  // optional: threads a reply
};

// The RFC 5322 message (headers, blank line, body with CRLF line ends and
// dot-stuffing left to libcurl). Exposed for tests.
std::string RenderMail(const OutgoingMail& mail, absl::Time date);

class MailSender {
 public:
  virtual ~MailSender() = default;
  // UNAVAILABLE when the relay cannot be reached or refuses the message;
  // INVALID_ARGUMENT for a recipient with CR/LF or no '@'.
  virtual absl::Status Send(const OutgoingMail& mail) = 0;
};

class CurlSmtpSender final : public MailSender {
 public:
  CurlSmtpSender(std::string smtp_url, absl::Duration timeout)
      : url_(std::move(smtp_url)), timeout_(timeout) {}
  absl::Status Send(const OutgoingMail& mail) override;

 private:
  const std::string url_;
  const absl::Duration timeout_;
};

}  // namespace openencoder::common::mail

#endif  // OPENENCODER_SERVICES_COMMON_MAIL_MAIL_SENDER_H_
