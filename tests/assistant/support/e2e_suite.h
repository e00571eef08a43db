// The running suite for the assistant's end-to-end tests, all in-process on
// loopback ports: a real redis-server (tests/support/redis_server.h), the
// real account service on it (tests/support/inprocess_services.h), the real
// catalogue and search services on the demo data (InProcessSuite), and the
// assistant server itself wired as main.cc wires it, with its outbox mailing to an
// SMTP port that a real aiosmtpd sink (tests/assistant/smtp_sink.py) can be
// started on at any time (so a test can begin with the relay down).
//
// Not thread-safe: drive it from the test's thread.
#ifndef OPENENCODER_TESTS_ASSISTANT_SUPPORT_E2E_SUITE_H_
#define OPENENCODER_TESTS_ASSISTANT_SUPPORT_E2E_SUITE_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "openencoder/assistant/v1/assistant_service.grpc.pb.h"
#include "services/assistant/code_checker.h"
#include "tests/assistant/support/inprocess_suite.h"
#include "tests/support/account_sessions.h"

namespace openencoder::assistant::testing {

struct E2eOptions {
  // The outbox's first retry delay (doubled per failure); short so that a
  // test of a relay that is down at first stays short.
  absl::Duration send_backoff = absl::Milliseconds(200);
  // Start the SMTP sink with the suite (else call StartSmtpSink later).
  bool start_smtp_sink = true;
};

// One received mail: its file name and raw RFC 5322 text.
struct ReceivedMail {
  std::string file;
  std::string raw;
  // The value of header `name` (case-insensitive), "" if absent.
  std::string Header(const std::string& name) const;
};

class E2eSuite {
 public:
  static absl::StatusOr<std::unique_ptr<E2eSuite>> Start(E2eOptions options = {});
  ~E2eSuite();

  v1::AssistantService::Stub* assistant() { return assistant_.get(); }
  // "127.0.0.1:<port>" of the assistant and of the account service, for a
  // gateway in front of them.
  std::string assistant_address() const;
  std::string account_address() const;
  // The catalogue as the assistant sees it (for checking codes).
  CatalogueTools* catalogue() { return tools_->catalogue(); }

  // A new guest session's token (a distinct client address per call).
  absl::StatusOr<std::string> GuestSession();
  // Registers `email` (a coder); returns {account id, session token}.
  absl::StatusOr<std::pair<std::string, std::string>> Register(const std::string& email);
  // A session of a new account that an admin gave ROLE_CONSULTANT.
  absl::StatusOr<std::string> ConsultantSession(const std::string& email);

  int smtp_port() const { return smtp_port_; }
  absl::Status StartSmtpSink();
  // Mails the sink stored so far, in arrival order.
  std::vector<ReceivedMail> Mails() const;
  // Waits until at least `count` mails arrived (or `timeout`); returns them.
  std::vector<ReceivedMail> WaitForMails(size_t count, absl::Duration timeout) const;

  struct Parts;

 private:
  E2eSuite() = default;
  void StopSmtpSink();

  std::unique_ptr<InProcessSuite> tools_;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<v1::AssistantService::Stub> assistant_;
  std::unique_ptr<test_support::AccountSessions> sessions_;
  std::string admin_token_;  // ConsultantSession's administrator, once registered
  int smtp_port_ = 0;
  std::string mail_dir_;
  pid_t sink_pid_ = -1;
};

}  // namespace openencoder::assistant::testing

#endif  // OPENENCODER_TESTS_ASSISTANT_SUPPORT_E2E_SUITE_H_
