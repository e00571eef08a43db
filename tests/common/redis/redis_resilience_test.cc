// RedisClient when Redis misbehaves: restarted under load, stopped, paused
// (SIGSTOP), killed (SIGKILL) with AOF on. Time bounds here are "did not
// hang" checks, several times larger than the deadlines they guard.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/redis/lua_script.h"
#include "services/common/redis/redis_client.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::redis {
namespace {

using ::openencoder::test_support::RedisServer;
using ::openencoder::test_support::RedisServerOptions;
using ::testing::AnyOf;
using ::testing::HasSubstr;

constexpr absl::Duration kShortDeadline = absl::Milliseconds(300);
constexpr absl::Duration kHangBound = absl::Seconds(2);

absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

std::unique_ptr<RedisServer> StartServer(RedisServerOptions options = {}) {
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

std::unique_ptr<RedisClient> MakeClient(const RedisServer& server, int pool_size = 4) {
  RedisOptions options = ::openencoder::test_support::RedisOptionsAs(server, "admin");
  options.pool_size = pool_size;
  options.connect_timeout = absl::Milliseconds(200);
  options.command_timeout = absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

// Runs `calls` PINGs from as many threads at once, so that every pooled
// connection is in use, and returns how many failed.
int ConcurrentPingFailures(RedisClient& client, int calls) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < calls; ++i) {
    threads.emplace_back([&] {
      if (!client.Command({"BLPOP", "nothing", "0.05"}, Deadline()).ok()) {
        ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return failures.load();
}

TEST(RedisResilienceTest, EveryPooledConnectionRecoversAfterRestart) {
  std::unique_ptr<RedisServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<RedisClient> client = MakeClient(*server, /*pool_size=*/4);
  ASSERT_NE(client, nullptr);
  // BLPOP holds each connection briefly, so 8 concurrent calls open all 4.
  ASSERT_EQ(ConcurrentPingFailures(*client, 8), 0);

  ASSERT_TRUE(server->Restart().ok());
  // All 4 sockets now point at the dead process; none of these may fail.
  EXPECT_EQ(ConcurrentPingFailures(*client, 8), 0);
  EXPECT_TRUE(client->Command({"SET", "after", "restart"}, Deadline()).ok());
}

TEST(RedisResilienceTest, RestartUnderLoadOnlyFailsCallsDuringTheOutage) {
  std::unique_ptr<RedisServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<RedisClient> client = MakeClient(*server, /*pool_size=*/4);
  ASSERT_NE(client, nullptr);

  std::atomic<bool> stop{false};
  std::atomic<int64_t> restarted_at_nanos{INT64_MAX};
  std::atomic<int> ok_calls{0};
  absl::Mutex mu;
  std::vector<std::string> unexpected;  // Guarded by mu.
  std::vector<std::thread> workers;
  for (int t = 0; t < 6; ++t) {
    workers.emplace_back([&] {
      while (!stop.load()) {
        const absl::Time start = absl::Now();
        absl::StatusOr<RedisReply> reply =
            client->Command({"INCR", "load"}, start + absl::Seconds(1));
        if (reply.ok()) {
          ++ok_calls;
          continue;
        }
        const bool after_restart = absl::ToUnixNanos(start) > restarted_at_nanos.load();
        const bool outage_code = reply.status().code() == absl::StatusCode::kUnavailable ||
                                 reply.status().code() == absl::StatusCode::kDeadlineExceeded;
        if (after_restart || !outage_code) {
          absl::MutexLock lock(&mu);
          unexpected.push_back(reply.status().ToString());
        }
        absl::SleepFor(absl::Milliseconds(5));  // Outage: don't spin.
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(server->Restart().ok());
  restarted_at_nanos = absl::ToUnixNanos(absl::Now());
  const int ok_before = ok_calls.load();
  absl::SleepFor(absl::Milliseconds(500));
  stop = true;
  for (std::thread& worker : workers) worker.join();

  EXPECT_GT(ok_calls.load(), ok_before) << "no call succeeded after restart";
  absl::MutexLock lock(&mu);
  EXPECT_THAT(unexpected, ::testing::IsEmpty());
}

TEST(RedisResilienceTest, StoppedRedisFailsFastWithUnavailableThenRecovers) {
  std::unique_ptr<RedisServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<RedisClient> client = MakeClient(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Ping(Deadline()).ok());
  ASSERT_TRUE(server->Stop().ok());

  const LuaScript script("return 1");
  for (int i = 0; i < 3; ++i) {
    const absl::Time start = absl::Now();
    absl::Status command = client->Command({"GET", "k"}, start + kShortDeadline).status();
    absl::Status pipeline = client->Pipeline({{"GET", "k"}}, absl::Now() + kShortDeadline).status();
    absl::Status eval = client->Eval(script, {}, {}, absl::Now() + kShortDeadline).status();
    absl::Status ping = client->Ping(absl::Now() + kShortDeadline);
    EXPECT_LT(absl::Now() - start, 4 * kHangBound);
    for (const absl::Status& status : {command, pipeline, eval, ping}) {
      EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
      EXPECT_THAT(status.message(),
                  HasSubstr(absl::StrCat("Redis at ", server->address(), " is unreachable")));
    }
  }

  ASSERT_TRUE(server->Restart().ok());
  EXPECT_TRUE(client->Ping(Deadline()).ok());
}

TEST(RedisResilienceTest, EachCallToStoppedRedisReturnsWithinBound) {
  std::unique_ptr<RedisServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<RedisClient> client = MakeClient(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(server->Stop().ok());
  for (int i = 0; i < 5; ++i) {
    const absl::Time start = absl::Now();
    absl::Status status = client->Command({"SET", "k", "v"}, start + kShortDeadline).status();
    EXPECT_LT(absl::Now() - start, kHangBound);
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  }
}

TEST(RedisResilienceTest, PausedRedisTimesOutWithinBoundThenWorksAfterResume) {
  std::unique_ptr<RedisServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<RedisClient> client = MakeClient(*server, /*pool_size=*/2);
  ASSERT_NE(client, nullptr);
  ASSERT_EQ(ConcurrentPingFailures(*client, 4), 0);  // Pool fully connected.
  ASSERT_TRUE(server->Pause().ok());

  // Both pooled sockets (then fresh ones, whose handshake gets no answer).
  for (int i = 0; i < 4; ++i) {
    const absl::Time start = absl::Now();
    absl::Status status = client->Command({"INCR", "paused"}, start + kShortDeadline).status();
    EXPECT_LT(absl::Now() - start, kHangBound);
    EXPECT_THAT(status.code(),
                AnyOf(absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded))
        << status;
  }

  ASSERT_TRUE(server->Resume().ok());
  absl::StatusOr<RedisReply> reply = client->Command({"SET", "resumed", "yes"}, Deadline());
  EXPECT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(ConcurrentPingFailures(*client, 4), 0);
}

TEST(RedisResilienceTest, PausedRedisWithLongCommandTimeoutHonoursDeadline) {
  std::unique_ptr<RedisServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  RedisOptions options = ::openencoder::test_support::RedisOptionsAs(*server, "admin");
  options.command_timeout = absl::Seconds(30);  // The deadline must win.
  options.connect_timeout = absl::Seconds(30);
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->Ping(Deadline()).ok());
  ASSERT_TRUE(server->Pause().ok());

  const absl::Time start = absl::Now();
  absl::Status status = (*client)->Ping(start + kShortDeadline);
  EXPECT_LT(absl::Now() - start, kHangBound);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  ASSERT_TRUE(server->Resume().ok());
  EXPECT_TRUE((*client)->Ping(Deadline()).ok());
}

TEST(RedisResilienceTest, AcknowledgedWritesSurviveKillWithAppendFsyncAlways) {
  RedisServerOptions server_options;
  server_options.appendonly = true;
  std::unique_ptr<RedisServer> server = StartServer(server_options);
  ASSERT_NE(server, nullptr);
  std::unique_ptr<RedisClient> client = MakeClient(*server);
  ASSERT_NE(client, nullptr);

  // Writers run until the server is killed under them; each remembers what
  // Redis acknowledged.
  constexpr int kWriters = 4;
  std::vector<int> acked_sets(kWriters, 0);
  std::atomic<int> acked_incrs{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0;; ++i) {
        const std::string key = absl::StrCat("oe:{w:", w, "}:", i);
        if (!client->Command({"SET", key, absl::StrCat(i)}, Deadline()).ok()) {
          return;
        }
        acked_sets[w] = i + 1;
        if (!client->Command({"INCR", "oe:counter"}, Deadline()).ok()) return;
        ++acked_incrs;
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_TRUE(server->Kill().ok());
  for (std::thread& writer : writers) writer.join();
  ASSERT_GT(acked_incrs.load(), 0) << "nothing was written before the kill";

  ASSERT_TRUE(server->Restart().ok());
  absl::StatusOr<RedisReply> counter = client->Command({"GET", "oe:counter"}, Deadline());
  ASSERT_TRUE(counter.ok()) << counter.status();
  int64_t value = 0;
  ASSERT_TRUE(absl::SimpleAtoi(counter->str(), &value)) << counter->DebugString();
  // An unacknowledged INCR may also have been applied, never fewer.
  EXPECT_GE(value, acked_incrs.load());
  for (int w = 0; w < kWriters; ++w) {
    std::vector<RedisCommand> gets;
    for (int i = 0; i < acked_sets[w]; ++i) {
      gets.push_back({"GET", absl::StrCat("oe:{w:", w, "}:", i)});
    }
    absl::StatusOr<std::vector<RedisReply>> values = client->Pipeline(gets, Deadline());
    ASSERT_TRUE(values.ok()) << values.status();
    for (int i = 0; i < acked_sets[w]; ++i) {
      ASSERT_EQ((*values)[i], RedisReply::String(absl::StrCat(i)))
          << "lost acknowledged write " << w << ":" << i;
    }
  }
}

}  // namespace
}  // namespace openencoder::redis
