// The production Redis users (deploy/redis/acl-users, made into an ACL file
// by deploy/redis/make-aclfile) on a real redis-server: each service's user
// reaches its own keys and is refused the others' and the admin commands; the
// default user is off; a password file is read again on reconnect. That each
// user can do everything its service needs is shown by the services'
// integration tests, which run as those users (tests/support/redis_users.h).
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/redis/redis_client.h"
#include "services/common/redis/redis_options.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"
#include "tests/support/shared_redis_test.h"

namespace openencoder::redis {
namespace {

using ::openencoder::test_support::RedisOptionsAs;
using ::openencoder::test_support::RedisServer;
using ::testing::HasSubstr;

absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

class RedisAclTest : public test_support::SharedRedisTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SharedRedisTest::SetUp());
    ASSERT_TRUE(server_->FlushAll().ok());
  }

  static std::unique_ptr<RedisClient> As(const std::string& user) {
    absl::StatusOr<std::unique_ptr<RedisClient>> client =
        RedisClient::Create(RedisOptionsAs(*server_, user));
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  // PERMISSION_DENIED carrying Redis's NOPERM.
  static void ExpectNoPerm(const absl::StatusOr<RedisReply>& reply, const std::string& what) {
    EXPECT_EQ(reply.status().code(), absl::StatusCode::kPermissionDenied) << what;
    EXPECT_THAT(reply.status().message(), HasSubstr("NOPERM")) << what;
  }
};

TEST_F(RedisAclTest, JobsUserIsRefusedAnAccountKey) {
  std::unique_ptr<RedisClient> account = As("account");
  std::unique_ptr<RedisClient> jobs = As("jobs");
  ASSERT_NE(account, nullptr);
  ASSERT_NE(jobs, nullptr);
  ASSERT_TRUE(
      account->Command({"HSET", "oe:{a:42}:account", "email", "ann@example.com"}, Deadline()).ok());

  ExpectNoPerm(jobs->Command({"HGETALL", "oe:{a:42}:account"}, Deadline()), "HGETALL");
  ExpectNoPerm(jobs->Command({"GET", "oe:{s:0123}"}, Deadline()), "a session");
  // Nor through a script: Redis checks a script's keys against its caller.
  static const LuaScript kRead("return redis.call('HGET', KEYS[1], 'email')");
  ExpectNoPerm(jobs->Eval(kRead, {"oe:{a:42}:account"}, {}, Deadline()), "EVAL");

  // Its own keys, including those under an account's hash tag, are fine.
  EXPECT_TRUE(jobs->Command({"ZADD", "oe:{a:42}:jobs:saved", "1", "job-1"}, Deadline()).ok());
  EXPECT_TRUE(jobs->Command({"HSET", "oe:{job:7}", "status", "open"}, Deadline()).ok());
  EXPECT_TRUE(jobs->Command({"XADD", "oe:{jobs}:changes", "*", "id", "7"}, Deadline()).ok());
}

TEST_F(RedisAclTest, EachServiceUserReachesOnlyItsOwnKeys) {
  struct Case {
    std::string user;
    std::vector<std::string> refused;
  };
  const std::vector<Case> cases = {
      {"account", {"oe:{job:1}", "oe:{a:1}:jobs:saved", "oe:{c:1}:turns", "oe:{t:1}:ticket"}},
      {"jobs", {"oe:{a:1}:sessions", "oe:{acct-mail}:outbox", "oe:{t:bucket}", "oe:{c:1}:turns"}},
      {"assistant", {"oe:{a:1}:account", "oe:{t:bucket}", "oe:{jobs}:all", "oe:{e:hash}"}},
  };
  for (const Case& c : cases) {
    std::unique_ptr<RedisClient> client = As(c.user);
    ASSERT_NE(client, nullptr);
    for (const std::string& key : c.refused) {
      ExpectNoPerm(client->Command({"EXISTS", key}, Deadline()), c.user + " " + key);
    }
  }
  // And each its own (the account's rate-limit key and the assistant's
  // ticket share the prefix oe:{t: but not the pattern).
  EXPECT_TRUE(As("account")->Command({"INCR", "oe:{t:bucket}"}, Deadline()).ok());
  EXPECT_TRUE(As("assistant")->Command({"HSET", "oe:{t:1}:ticket", "a", "b"}, Deadline()).ok());
  EXPECT_TRUE(As("assistant")->Command({"RPUSH", "oe:{c:1}:turns", "x"}, Deadline()).ok());
}

TEST_F(RedisAclTest, ServiceUsersCannotRunAdminCommands) {
  for (const std::string user : {"account", "jobs", "assistant", "replication"}) {
    std::unique_ptr<RedisClient> client = As(user);
    ASSERT_NE(client, nullptr);
    for (const std::vector<std::string>& command :
         std::vector<std::vector<std::string>>{{"FLUSHALL"},
                                               {"KEYS", "*"},
                                               {"CONFIG", "GET", "*"},
                                               {"ACL", "LIST"},
                                               {"SUBSCRIBE", "x"}}) {
      std::vector<absl::string_view> args(command.begin(), command.end());
      ExpectNoPerm(client->Command(args, Deadline()), user + " " + command[0]);
    }
  }
}

TEST_F(RedisAclTest, DefaultUserIsOff) {
  RedisOptions anonymous;
  anonymous.host = server_->host();
  anonymous.port = server_->port();
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(anonymous);
  ASSERT_TRUE(client.ok()) << client.status();
  absl::Status ping = (*client)->Ping(Deadline());
  EXPECT_EQ(ping.code(), absl::StatusCode::kPermissionDenied) << ping;

  RedisOptions wrong = RedisOptionsAs(*server_, "jobs");
  wrong.password = "not-the-password-of-the-jobs-user";
  client = RedisClient::Create(wrong);
  ASSERT_TRUE(client.ok()) << client.status();
  ping = (*client)->Ping(Deadline());
  EXPECT_EQ(ping.code(), absl::StatusCode::kPermissionDenied) << ping;
  EXPECT_THAT(ping.message(), HasSubstr("AUTH rejected"));
}

// A rotated Secret: the file is read again when the client reconnects.
TEST_F(RedisAclTest, PasswordFileIsReadAgainOnReconnect) {
  const std::string file = ::testing::TempDir() + "/jobs-redis-password";
  {
    std::ofstream out(file);
    out << RedisServer::Password("jobs") << "\n";
  }
  RedisOptions options = RedisOptionsAs(*server_, "jobs");
  options.password.reset();
  options.password_file = file;
  options.pool_size = 1;
  absl::StatusOr<std::unique_ptr<RedisClient>> jobs = RedisClient::Create(options);
  ASSERT_TRUE(jobs.ok()) << jobs.status();
  ASSERT_TRUE((*jobs)->Ping(Deadline()).ok());

  std::unique_ptr<RedisClient> admin = As("admin");
  ASSERT_NE(admin, nullptr);
  const std::string rotated = "a-rotated-password-of-at-least-32-characters";
  ASSERT_TRUE(
      admin->Command({"ACL", "SETUSER", "jobs", "resetpass", ">" + rotated}, Deadline()).ok());
  {
    std::ofstream out(file);
    out << rotated << "\n";
  }
  // Drop the jobs connection; the next call reconnects and logs in anew.
  ASSERT_TRUE(admin->Command({"CLIENT", "KILL", "USER", "jobs"}, Deadline()).ok());
  EXPECT_TRUE((*jobs)->Ping(Deadline()).ok());
  // Put the shared password back for the other tests.
  ASSERT_TRUE(
      admin
          ->Command({"ACL", "SETUSER", "jobs", "resetpass", ">" + RedisServer::Password("jobs")},
                    Deadline())
          .ok());
}

// Redis 7.0 replays the AOF as the default user and re-checks permissions at
// EXEC: with a default user that may do nothing it silently dropped every
// script's effects and every MULTI/EXEC on a restart (make-aclfile).
TEST(RedisAclRestartTest, ScriptsAndTransactionsSurviveARestartFromTheAof) {
  test_support::RedisServerOptions server_options;
  server_options.appendonly = true;
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start(server_options);
  ASSERT_TRUE(server.ok()) << server.status();
  {
    absl::StatusOr<std::unique_ptr<RedisClient>> jobs =
        RedisClient::Create(RedisOptionsAs(**server, "jobs"));
    ASSERT_TRUE(jobs.ok()) << jobs.status();
    // Two writes each: one write alone is logged without MULTI/EXEC.
    static const LuaScript kIncrTwice(
        "redis.call('INCR', KEYS[1]); return redis.call('INCR', KEYS[1])");
    ASSERT_TRUE((*jobs)->Eval(kIncrTwice, {"oe:{jobs}:scripted"}, {}, Deadline()).ok());
    absl::StatusOr<std::vector<RedisReply>> replies =
        (*jobs)->Pipeline({{"MULTI"},
                           {"SET", "oe:{jobs}:transacted", "1"},
                           {"INCR", "oe:{jobs}:transacted"},
                           {"EXEC"}},
                          Deadline());
    ASSERT_TRUE(replies.ok()) << replies.status();
  }
  ASSERT_TRUE((*server)->Kill().ok());
  ASSERT_TRUE((*server)->Restart().ok());
  absl::StatusOr<std::unique_ptr<RedisClient>> admin =
      RedisClient::Create(RedisOptionsAs(**server, "admin"));
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(*(*admin)->Command({"GET", "oe:{jobs}:scripted"}, Deadline()), RedisReply::String("2"))
      << (*server)->LogTail();
  EXPECT_EQ(*(*admin)->Command({"GET", "oe:{jobs}:transacted"}, Deadline()),
            RedisReply::String("2"))
      << (*server)->LogTail();
}

}  // namespace
}  // namespace openencoder::redis
