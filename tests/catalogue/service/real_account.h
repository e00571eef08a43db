// The real account service for catalogue integration tests: a redis-server
// on a free loopback port, services/account's AccountBackend (with a cheap
// password hash) and its AccountService served over real gRPC on port 0,
// plus the few client calls the catalogue tests need to make sessions.
//
// Example:
//   absl::StatusOr<std::unique_ptr<RealAccount>> account = RealAccount::Start();
//   ASSERT_TRUE(account.ok()) << account.status();
//   std::string guest = (*account)->GuestSession();
//   ... point a GrpcQuotaClient at (*account)->address() ...
//
// Plans and limits are the account service's defaults (guest 1 view a month,
// free 6, pro unlimited); kAdminEmail registers as an administrator. Start
// it from the test's own thread (the Redis child dies with that thread).
// Helpers report failures through gtest and return empty values.
#ifndef OPENENCODER_TESTS_CATALOGUE_SERVICE_REAL_ACCOUNT_H_
#define OPENENCODER_TESTS_CATALOGUE_SERVICE_REAL_ACCOUNT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/common/server.h"
#include "tests/support/redis_server.h"

namespace openencoder::catalogue::testing {

class RealAccount {
 public:
  static constexpr char kAdminEmail[] = "admin@example.com";

  // Errors: whatever kept Redis or the server from starting.
  static absl::StatusOr<std::unique_ptr<RealAccount>> Start();
  // Shuts the server down before the backend it serves goes away.
  ~RealAccount();

  // "127.0.0.1:<port>" of the AccountService.
  std::string address() const { return server_->address(); }

  // A new guest session token; each call uses its own client address, so
  // the per-address guest cap never bites.
  std::string GuestSession();
  // Registers a free account (carrying `guest_token`'s views over when set)
  // and returns its session token; `account_id` receives its id if non-null.
  std::string RegisterFree(const std::string& email, const std::string& guest_token = "",
                           std::string* account_id = nullptr);
  // A session of a new account that an administrator moved to `plan`.
  std::string SessionOnPlan(const std::string& email, account::v1::Plan plan);
  // The meter of `token` without consuming a view.
  account::v1::Quota Quota(const std::string& token);

 private:
  RealAccount() = default;

  std::unique_ptr<test_support::RedisServer> redis_;
  std::unique_ptr<account::AccountBackend> backend_;
  std::unique_ptr<common::RunningServer> server_;
  std::unique_ptr<account::v1::AccountService::Stub> stub_;
  std::string admin_token_;
  int guests_ = 0;
};

}  // namespace openencoder::catalogue::testing

#endif  // OPENENCODER_TESTS_CATALOGUE_SERVICE_REAL_ACCOUNT_H_
