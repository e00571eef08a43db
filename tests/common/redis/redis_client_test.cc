// RedisClient against a real redis-server: commands, binary safety,
// pipelines, Lua scripts, AUTH/SELECT, and concurrency on a small pool.
// Failure behaviour (restarts, outages, pauses, durability) lives in
// redis_resilience_test.cc.

#include "services/common/redis/redis_client.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/redis/eval_batcher.h"
#include "services/common/redis/lua_script.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"
#include "tests/support/shared_redis_test.h"

namespace openencoder::redis {
namespace {

using ::openencoder::test_support::RedisServer;
using ::openencoder::test_support::RedisServerOptions;
using ::testing::HasSubstr;

// Generous: these tests check behaviour, not speed.
absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

// The harness's admin user: these tests exercise the client, not the ACLs.
RedisOptions OptionsFor(const RedisServer& server) {
  RedisOptions options = ::openencoder::test_support::RedisOptionsAs(server, "admin");
  options.connect_timeout = absl::Seconds(2);
  options.command_timeout = absl::Seconds(5);
  return options;
}

std::unique_ptr<RedisClient> MakeClient(RedisOptions options) {
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

class RedisClientTest : public test_support::SharedRedisTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SharedRedisTest::SetUp());
    client_ = MakeClient(OptionsFor(*server_));
    ASSERT_NE(client_, nullptr);
    ASSERT_TRUE(client_->Command({"FLUSHALL"}, Deadline()).ok());
  }

  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisClientTest, SetGetDeleteAndMissingKeyIsNil) {
  absl::StatusOr<RedisReply> set = client_->Command({"SET", "k", "v"}, Deadline());
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(*set, RedisReply::Status("OK"));

  absl::StatusOr<RedisReply> get = client_->Command({"GET", "k"}, Deadline());
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(*get, RedisReply::String("v"));

  absl::StatusOr<RedisReply> del = client_->Command({"DEL", "k"}, Deadline());
  ASSERT_TRUE(del.ok()) << del.status();
  EXPECT_EQ(*del, RedisReply::Integer(1));

  absl::StatusOr<RedisReply> missing = client_->Command({"GET", "k"}, Deadline());
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_TRUE(missing->is_nil());
}

TEST_F(RedisClientTest, KeysAndValuesAreBinarySafe) {
  const std::string key("oe:{a:\0\n}:k", 11);
  std::string value("\0\r\n$3\r\n\xff", 9);
  value += std::string(1 << 20, '\0');  // 1 MiB of NULs after the header.
  ASSERT_TRUE(client_->Command({"SET", key, value}, Deadline()).ok());
  absl::StatusOr<RedisReply> get = client_->Command({"GET", key}, Deadline());
  ASSERT_TRUE(get.ok()) << get.status();
  ASSERT_TRUE(get->is_string());
  EXPECT_EQ(get->str().size(), value.size());
  EXPECT_TRUE(get->str() == value);
  // The key with a NUL in it is a different key from its prefix.
  absl::StatusOr<RedisReply> prefix = client_->Command({"EXISTS", "oe:{a:"}, Deadline());
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(*prefix, RedisReply::Integer(0));
}

TEST_F(RedisClientTest, ArrayRepliesAreConverted) {
  ASSERT_TRUE(client_->Command({"RPUSH", "l", "a", "b", "c"}, Deadline()).ok());
  absl::StatusOr<RedisReply> range = client_->Command({"LRANGE", "l", "0", "-1"}, Deadline());
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(*range, RedisReply::Array({RedisReply::String("a"), RedisReply::String("b"),
                                       RedisReply::String("c")}));
}

TEST_F(RedisClientTest, ErrorReplyIsInternalWithRedisMessage) {
  ASSERT_TRUE(client_->Command({"SET", "s", "x"}, Deadline()).ok());
  absl::StatusOr<RedisReply> wrong = client_->Command({"LPUSH", "s", "y"}, Deadline());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(wrong.status().message(), HasSubstr("WRONGTYPE"));
  // An error reply leaves the connection usable.
  EXPECT_TRUE(client_->Command({"GET", "s"}, Deadline()).ok());
}

TEST_F(RedisClientTest, EmptyCommandIsInvalidArgument) {
  EXPECT_EQ(client_->Command({}, Deadline()).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->Pipeline({RedisCommand{}}, Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisClientTest, PingAnswers) { EXPECT_TRUE(client_->Ping(Deadline()).ok()); }

TEST_F(RedisClientTest, PipelineReturnsRepliesInOrderWithErrorsInPlace) {
  std::vector<RedisCommand> commands;
  for (int i = 0; i < 1000; ++i) commands.push_back({"INCR", "counter"});
  commands.push_back({"SET", "str", "x"});
  commands.push_back({"INCR", "str"});  // Error reply, in place.
  commands.push_back({"GET", "counter"});
  absl::StatusOr<std::vector<RedisReply>> replies = client_->Pipeline(commands, Deadline());
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), commands.size());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ((*replies)[i], RedisReply::Integer(i + 1)) << i;
  }
  EXPECT_EQ((*replies)[1000], RedisReply::Status("OK"));
  EXPECT_TRUE((*replies)[1001].is_error());
  EXPECT_THAT((*replies)[1001].str(), HasSubstr("not an integer"));
  EXPECT_EQ((*replies)[1002], RedisReply::String("1000"));
  EXPECT_TRUE(client_->Pipeline({}, Deadline())->empty());
}

const LuaScript& IncrByScript() {
  static const LuaScript* const script = new LuaScript(R"lua(
    local total = redis.call('INCRBY', KEYS[1], ARGV[1])
    redis.call('SET', KEYS[2], ARGV[2])
    return {total, redis.call('GET', KEYS[2])})lua");
  return *script;
}

TEST_F(RedisClientTest, EvalRunsScriptWithKeysAndArgs) {
  absl::StatusOr<RedisReply> reply =
      client_->Eval(IncrByScript(), {"oe:{a:1}:n", "oe:{a:1}:last"}, {"5", "five"}, Deadline());
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(*reply, RedisReply::Array({RedisReply::Integer(5), RedisReply::String("five")}));
  // Our SHA-1 is the name Redis gives the script.
  absl::StatusOr<RedisReply> loaded =
      client_->Command({"SCRIPT", "LOAD", IncrByScript().source()}, Deadline());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->str(), IncrByScript().sha1());
}

TEST_F(RedisClientTest, EvalReloadsScriptAfterScriptFlush) {
  ASSERT_TRUE(client_->Eval(IncrByScript(), {"n", "last"}, {"1", "a"}, Deadline()).ok());
  ASSERT_TRUE(client_->Command({"SCRIPT", "FLUSH"}, Deadline()).ok());
  absl::StatusOr<RedisReply> exists =
      client_->Command({"SCRIPT", "EXISTS", IncrByScript().sha1()}, Deadline());
  ASSERT_TRUE(exists.ok());
  ASSERT_EQ(*exists, RedisReply::Array({RedisReply::Integer(0)}));

  absl::StatusOr<RedisReply> reply =
      client_->Eval(IncrByScript(), {"n", "last"}, {"2", "b"}, Deadline());
  ASSERT_TRUE(reply.ok()) << reply.status();
  // Ran exactly once despite the NOSCRIPT round trip: 1 + 2.
  EXPECT_EQ(reply->elements().at(0), RedisReply::Integer(3));
  // And the fallback cached it for later EVALSHAs.
  exists = client_->Command({"SCRIPT", "EXISTS", IncrByScript().sha1()}, Deadline());
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(*exists, RedisReply::Array({RedisReply::Integer(1)}));
}

TEST_F(RedisClientTest, EvalManyRunsEachCallOnceWithItsOwnResultEvenAfterScriptFlush) {
  ASSERT_TRUE(client_->Command({"SET", "oe:{a:2}:n", "not a number"}, Deadline()).ok());
  ASSERT_TRUE(client_->Command({"SCRIPT", "FLUSH"}, Deadline()).ok());
  std::vector<RedisClient::EvalCall> calls;
  for (int i = 0; i < 20; ++i) {
    calls.push_back({{"oe:{a:1}:n", "oe:{a:1}:last"}, {"1", absl::StrCat("v", i)}});
  }
  calls.push_back({{"oe:{a:2}:n", "oe:{a:2}:last"}, {"1", "bad"}});
  absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> results =
      client_->EvalMany(IncrByScript(), calls, Deadline());
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 21u);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE((*results)[i].ok()) << (*results)[i].status();
    EXPECT_EQ((*results)[i]->elements().at(0), RedisReply::Integer(i + 1)) << "ran once, in order";
  }
  EXPECT_EQ((*results)[20].status().code(), absl::StatusCode::kInternal);
  absl::StatusOr<RedisReply> total = client_->Command({"GET", "oe:{a:1}:n"}, Deadline());
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(total->str(), "20");
}

TEST_F(RedisClientTest, EvalBatcherAnswersEveryCallOnceFromManyThreads) {
  EvalBatcher batcher(client_.get(), &IncrByScript());
  constexpr int kThreads = 8;
  constexpr int kCallsEach = 200;
  absl::BlockingCounter answered(kThreads * kCallsEach);
  absl::Mutex mu;
  std::vector<int64_t> totals;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsEach; ++i) {
        const bool queued = batcher.Submit(
            {{"oe:{a:1}:n", "oe:{a:1}:last"}, {"1", absl::StrCat(t, "-", i)}}, Deadline(),
            [&](absl::StatusOr<RedisReply> reply) {
              {
                absl::MutexLock lock(&mu);
                totals.push_back(reply.ok() ? reply->elements().at(0).integer() : -1);
              }
              answered.DecrementCount();
            });
        ASSERT_TRUE(queued);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  answered.Wait();
  std::sort(totals.begin(), totals.end());
  ASSERT_EQ(totals.size(), static_cast<size_t>(kThreads * kCallsEach));
  for (size_t i = 0; i < totals.size(); ++i) ASSERT_EQ(totals[i], static_cast<int64_t>(i + 1));
}

TEST_F(RedisClientTest, EvalBatcherRefusesWhenFullDropsExpiredCallsAndAnswersQueuedOnShutdown) {
  // Redis paused: the first batch waits in the sender, the rest queue.
  RedisOptions slow = OptionsFor(*server_);
  slow.command_timeout = absl::Seconds(1);
  std::unique_ptr<RedisClient> client = MakeClient(slow);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client_->Command({"CLIENT", "PAUSE", "700", "ALL"}, Deadline()).ok());
  absl::Mutex mu;
  std::vector<absl::StatusCode> codes;
  auto record = [&](absl::StatusOr<RedisReply> reply) {
    absl::MutexLock lock(&mu);
    codes.push_back(reply.status().code());
  };
  {
    EvalBatcher batcher(client.get(), &IncrByScript(),
                        EvalBatcherOptions{.threads = 1, .max_batch = 1, .max_queued = 2});
    ASSERT_TRUE(batcher.Submit({{"n", "last"}, {"1", "first"}}, Deadline(), record));
    absl::SleepFor(absl::Milliseconds(100));  // the sender has taken it
    ASSERT_TRUE(batcher.Submit({{"n", "last"}, {"1", "expires"}},
                               absl::Now() + absl::Milliseconds(50), record));
    ASSERT_TRUE(batcher.Submit({{"n", "last"}, {"1", "third"}}, Deadline(), record));
    EXPECT_FALSE(batcher.Submit({{"n", "last"}, {"1", "refused"}}, Deadline(), record))
        << "a full queue refuses";
    absl::SleepFor(absl::Milliseconds(1500));  // first answered, expired one dropped
  }
  absl::MutexLock lock(&mu);
  ASSERT_EQ(codes.size(), 3u);
  EXPECT_EQ(codes[1], absl::StatusCode::kDeadlineExceeded) << "never sent once expired";
  EXPECT_TRUE(codes[2] == absl::StatusCode::kOk || codes[2] == absl::StatusCode::kUnavailable)
      << "answered by the sender or by the shutdown, never lost";
}

TEST_F(RedisClientTest, EvalMapsDomainErrorsToTheirCodes) {
  static const LuaScript* const script = new LuaScript(R"lua(
    if redis.call('EXISTS', KEYS[1]) == 0 then
      return redis.error_reply('NOT_FOUND no such session')
    end
    return redis.call('GET', KEYS[1]))lua");
  absl::StatusOr<RedisReply> missing = client_->Eval(*script, {"oe:{s:x}"}, {}, Deadline());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no such session");

  ASSERT_TRUE(client_->Command({"SET", "oe:{s:x}", "alice"}, Deadline()).ok());
  absl::StatusOr<RedisReply> found = client_->Eval(*script, {"oe:{s:x}"}, {}, Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, RedisReply::String("alice"));
}

TEST_F(RedisClientTest, EvalScriptBugsAreInternal) {
  const LuaScript script("return redis.call('NO_SUCH_COMMAND')");
  absl::StatusOr<RedisReply> reply = client_->Eval(script, {}, {}, Deadline());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(reply.status().message(), HasSubstr("Redis error"));
}

TEST_F(RedisClientTest, SixteenThreadsOnFourConnectionsLoseNoIncrement) {
  RedisOptions options = OptionsFor(*server_);
  options.pool_size = 4;
  std::unique_ptr<RedisClient> client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  constexpr int kThreads = 16;
  constexpr int kIncrements = 500;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        if (!client->Command({"INCR", "shared"}, Deadline()).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  absl::StatusOr<RedisReply> total = client->Command({"GET", "shared"}, Deadline());
  ASSERT_TRUE(total.ok()) << total.status();
  EXPECT_EQ(total->str(), absl::StrCat(kThreads * kIncrements));
}

TEST_F(RedisClientTest, WaitingForABusyPoolRespectsTheDeadline) {
  RedisOptions options = OptionsFor(*server_);
  options.pool_size = 1;
  std::unique_ptr<RedisClient> client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  // Holds the only connection for ~2 s.
  std::thread blocker([&] {
    EXPECT_TRUE(client->Command({"BLPOP", "never", "2"}, Deadline()).ok());
  });
  // Wait (on another client) until Redis reports the BLPOP as blocked, so
  // the pool is known to be empty without guessing a sleep.
  bool blocked = false;
  for (const absl::Time give_up = Deadline(); !blocked && absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(5))) {
    absl::StatusOr<RedisReply> info = client_->Command({"INFO", "clients"}, Deadline());
    blocked = info.ok() && absl::StrContains(info->str(), "blocked_clients:1");
  }
  if (!blocked) {
    blocker.join();
    FAIL() << "BLPOP never showed up as a blocked client";
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<RedisReply> reply =
      client->Command({"PING"}, absl::Now() + absl::Milliseconds(200));
  const absl::Duration took = absl::Now() - start;
  blocker.join();
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDeadlineExceeded) << reply.status();
  EXPECT_LT(took,
            absl::Seconds(1.5));  // "Did not hang": well below BLPOP's 2 s.
  EXPECT_TRUE(client->Ping(Deadline()).ok());
}

TEST_F(RedisClientTest, DeadlineInThePastFailsWithoutSending) {
  absl::StatusOr<RedisReply> reply =
      client_->Command({"SET", "late", "x"}, absl::Now() - absl::Seconds(1));
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kDeadlineExceeded);
  absl::StatusOr<RedisReply> exists = client_->Command({"EXISTS", "late"}, Deadline());
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(*exists, RedisReply::Integer(0));
}

// A server of its own that asks every client for `password`.
absl::StatusOr<std::unique_ptr<RedisServer>> StartWithPassword(const std::string& password) {
  RedisServerOptions options;
  options.password = password;
  return RedisServer::Start(options);
}

TEST(RedisClientAuthTest, AuthenticatesAndSelectsTheConfiguredDb) {
  absl::StatusOr<std::unique_ptr<RedisServer>> server = StartWithPassword("open sesame");
  ASSERT_TRUE(server.ok()) << server.status();

  RedisOptions db2 = OptionsFor(**server);
  db2.password = "open sesame";
  db2.db = 2;
  std::unique_ptr<RedisClient> client2 = MakeClient(db2);
  ASSERT_NE(client2, nullptr);
  ASSERT_TRUE(client2->Command({"SET", "where", "db2"}, Deadline()).ok());

  RedisOptions db0 = db2;
  db0.db = 0;
  std::unique_ptr<RedisClient> client0 = MakeClient(db0);
  ASSERT_NE(client0, nullptr);
  absl::StatusOr<RedisReply> in_db0 = client0->Command({"GET", "where"}, Deadline());
  ASSERT_TRUE(in_db0.ok()) << in_db0.status();
  EXPECT_TRUE(in_db0->is_nil());
  absl::StatusOr<RedisReply> in_db2 = client2->Command({"GET", "where"}, Deadline());
  ASSERT_TRUE(in_db2.ok()) << in_db2.status();
  EXPECT_EQ(*in_db2, RedisReply::String("db2"));
}

TEST(RedisClientAuthTest, WrongOrMissingPasswordIsPermissionDenied) {
  absl::StatusOr<std::unique_ptr<RedisServer>> server = StartWithPassword("right");
  ASSERT_TRUE(server.ok()) << server.status();

  RedisOptions wrong = OptionsFor(**server);
  wrong.password = "wrong";
  std::unique_ptr<RedisClient> client = MakeClient(wrong);
  ASSERT_NE(client, nullptr);
  absl::Status status = client->Ping(Deadline());
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_THAT(status.message(), HasSubstr("AUTH rejected"));

  std::unique_ptr<RedisClient> anonymous = MakeClient(OptionsFor(**server));
  ASSERT_NE(anonymous, nullptr);
  EXPECT_EQ(anonymous->Ping(Deadline()).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace openencoder::redis
