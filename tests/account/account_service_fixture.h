// What the account service's integration tests share: a real redis-server
// (AOF, appendfsync always), the real backend with a cheap password hash,
// and a real gRPC server on a loopback port, with a stub that calls it as
// the gateway does.
#ifndef OPENENCODER_TESTS_ACCOUNT_ACCOUNT_SERVICE_FIXTURE_H_
#define OPENENCODER_TESTS_ACCOUNT_ACCOUNT_SERVICE_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/account/account_backend.h"
#include "services/common/server.h"
#include "services/common/tls.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"
#include "tests/support/source_paths.h"

namespace openencoder::account {

// The password every test account registers with.
inline constexpr char kPassword[] = "purple-otter-tuesday";

// The repository's common-password list; a tiny list when it is absent
// keeps the tests meaningful.
inline PasswordPolicy LoadTestPasswordPolicy() {
  absl::StatusOr<PasswordPolicy> p =
      PasswordPolicy::FromFile(test_support::SourcePath("data/account/common_passwords.txt"));
  if (p.ok()) return *std::move(p);
  return PasswordPolicy({"password", "password123", "12345678", "qwertyuiop"});
}

class AccountServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    test_support::RedisServerOptions redis_options;
    redis_options.appendonly = true;
    absl::StatusOr<std::unique_ptr<test_support::RedisServer>> redis =
        test_support::RedisServer::Start(redis_options);
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
  }

  void TearDown() override { StopService(); }

  // (Re)starts the backend and its server on the fixture's Redis; `stub_`
  // calls it. Mail goes to `sender` (null: as `config` says).
  void StartBackend(AccountConfig config,
                    std::unique_ptr<common::mail::MailSender> sender = nullptr,
                    MailOutboxOptions mail_options = {}) {
    StopService();
    config.hash_workers = 2;
    // The unit tests check the production cost; a cheaper one keeps these suites fast.
    absl::StatusOr<PasswordHasher> hasher =
        PasswordHasher::Create(HashCost{1, size_t{1} << 20}, /*allow_weak_for_tests=*/true);
    ASSERT_TRUE(hasher.ok()) << hasher.status();
    redis::RedisOptions options = test_support::RedisOptionsAs(*redis_, "account");
    options.pool_size = 8;
    absl::StatusOr<std::unique_ptr<AccountBackend>> backend =
        AccountBackend::Create(config, LoadTestPasswordPolicy(), *std::move(hasher), options,
                               std::move(sender), mail_options);
    ASSERT_TRUE(backend.ok()) << backend.status();
    backend_ = *std::move(backend);
    common::ServerOptions server_options;
    server_options.service_name = "account";
    server_options.log_calls = false;
    absl::StatusOr<std::unique_ptr<common::RunningServer>> server = common::RunningServer::Start(
        server_options, {common::Bind<v1::AccountService>(backend_->service())});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(server_->address(), *common::MakeChannelCredentials());
    stub_ = v1::AccountService::NewStub(channel_);
  }

  void StopService() {
    if (server_) server_->Shutdown();
    server_.reset();
    backend_.reset();
  }

  static void WithDeadline(grpc::ClientContext* ctx, absl::Duration d = absl::Seconds(5)) {
    ctx->set_deadline(absl::ToChronoTime(absl::Now() + d));
  }

  // Calls `method` on `stub` with WithDeadline's deadline, e.g.
  //   Call(stub_.get(), &v1::AccountService::Stub::GetAccount, request, &response).
  template <class Stub, class Request, class Response>
  static grpc::Status Call(Stub* stub,
                           grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
                           const Request& request, Response* response) {
    grpc::ClientContext ctx;
    WithDeadline(&ctx);
    return (stub->*method)(&ctx, request, response);
  }

  std::unique_ptr<test_support::RedisServer> redis_;
  std::unique_ptr<AccountBackend> backend_;
  std::unique_ptr<common::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AccountService::Stub> stub_;  // the gateway's identity
};

}  // namespace openencoder::account

#endif  // OPENENCODER_TESTS_ACCOUNT_ACCOUNT_SERVICE_FIXTURE_H_
