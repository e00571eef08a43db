// A MailSender that remembers every mail instead of sending it, for tests
// that need the link in a verification or password-reset mail. Thread-safe.
#ifndef OPENENCODER_TESTS_SUPPORT_CAPTURING_MAIL_SENDER_H_
#define OPENENCODER_TESTS_SUPPORT_CAPTURING_MAIL_SENDER_H_

#include <cctype>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/mail/mail_sender.h"

namespace openencoder::test_support {

class CapturingMailSender final : public common::mail::MailSender {
 public:
  absl::Status Send(const common::mail::OutgoingMail& mail) override {
    absl::MutexLock lock(&mu_);
    mails_.push_back(mail);
    return absl::OkStatus();
  }
  // Waits (up to 20 s) until at least `n` mails were sent; returns them all.
  std::vector<common::mail::OutgoingMail> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return mails_.size() >= n; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(20));
    return mails_;
  }
  // Waits (up to 20 s) for a mail to `to` whose body has `prefix`, and
  // returns what follows the prefix up to the next white space ("" if none).
  std::string WaitForLink(const std::string& to, const std::string& prefix) {
    absl::MutexLock lock(&mu_);
    auto seen = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return Count(to, prefix) > 0; };
    mu_.AwaitWithTimeout(absl::Condition(&seen), absl::Seconds(20));
    for (const common::mail::OutgoingMail& m : mails_) {
      const size_t at = m.body.find(prefix);
      if (m.to != to || at == std::string::npos) continue;
      size_t end = at + prefix.size();
      while (end < m.body.size() && !isspace(static_cast<unsigned char>(m.body[end]))) ++end;
      return m.body.substr(at + prefix.size(), end - at - prefix.size());
    }
    return "";
  }
  // How many mails to `to` so far have `text` in their body (no waiting).
  int CountNow(const std::string& to, const std::string& text) {
    absl::MutexLock lock(&mu_);
    return Count(to, text);
  }

 private:
  int Count(const std::string& to, const std::string& text) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    int n = 0;
    for (const common::mail::OutgoingMail& m : mails_) {
      if (m.to == to && m.body.find(text) != std::string::npos) ++n;
    }
    return n;
  }

  absl::Mutex mu_;
  std::vector<common::mail::OutgoingMail> mails_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_CAPTURING_MAIL_SENDER_H_
