// A client of the real account service that makes the sessions integration
// tests need: guests, registered coders, accounts an administrator moved to
// another plan or role, and their meters.
//
// Example:
//   test_support::AccountSessions sessions(services->account_address());
//   absl::StatusOr<std::string> guest = sessions.Guest();
//   absl::StatusOr<test_support::AccountSessions::Registered> ann =
//       sessions.Register("ann@example.com", *guest);  // carries the guest's views over
//
// Every account registered here has the same password, so that Login needs
// only the email. Each call has a 10 s deadline; errors are the service's
// status. Not thread-safe (it counts the guests it made).
#ifndef OPENENCODER_TESTS_SUPPORT_ACCOUNT_SESSIONS_H_
#define OPENENCODER_TESTS_SUPPORT_ACCOUNT_SESSIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"

namespace openencoder::test_support {

class AccountSessions {
 public:
  struct Registered {
    std::string account_id;
    std::string token;
  };

  // `address`: "127.0.0.1:<port>" of an AccountService.
  explicit AccountSessions(const std::string& address);

  // A new guest session's token. Each call comes from its own client
  // address, so the per-address cap on guest sessions never bites.
  absl::StatusOr<std::string> Guest();
  // Registers a coder, carrying `guest_token`'s views over when set.
  absl::StatusOr<Registered> Register(const std::string& email,
                                      const std::string& guest_token = "");
  // A new session of an account registered here.
  absl::StatusOr<std::string> Login(const std::string& email);
  // As the administrator holding `admin_token`: puts the account on `plan`
  // and, when `roles` is not empty, gives it those roles.
  absl::StatusOr<account::v1::Account> SetPlan(const std::string& admin_token,
                                               const std::string& account_id,
                                               account::v1::Plan plan,
                                               const std::vector<account::v1::Role>& roles = {});
  // The meter of `token`, without consuming a view.
  absl::StatusOr<account::v1::Quota> Quota(const std::string& token);

 private:
  std::unique_ptr<account::v1::AccountService::Stub> stub_;  // the gateway's identity
  // SetPlan answers only to the operator (services/common/method_acl.cc).
  std::unique_ptr<account::v1::AccountService::Stub> operator_stub_;
  int guests_ = 0;
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_ACCOUNT_SESSIONS_H_
