// The account erasure outbox (oe:{acct-erase}) on a real redis-server: an
// entry is delivered only once the account record is gone, is dropped after
// abandon_after_attempts claims when the account still exists (the deletion
// failed after queueing), and stays owed while whether it exists is unknown.
// The end-to-end path through jobs and the assistant is in
// tests/gateway/jobs_routes_integration_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/account/erasure_outbox.h"
#include "services/common/redis/redis_client.h"
#include "tests/support/redis_users.h"
#include "tests/support/shared_redis_test.h"

namespace openencoder::account {
namespace {

// Records what it was asked to erase; always acknowledges.
class RecordingEraser final : public AccountDataEraser {
 public:
  absl::Status Erase(absl::string_view service, const ErasureRequest& request) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back(std::string(service) + ":" + request.account_id + ":" + request.email);
    return absl::OkStatus();
  }
  std::vector<std::string> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> calls_;
};

class ErasureOutboxTest : public test_support::SharedRedisTest {
 protected:
  void SetUp() override {
    SharedRedisTest::SetUp();
    ASSERT_TRUE(server_->FlushAll().ok());
    auto client = redis::RedisClient::Create(test_support::RedisOptionsAs(*server_, "account"));
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  // An outbox whose retries are due again almost at once.
  std::unique_ptr<ErasureOutbox> Outbox(ErasureOutbox::AccountExists exists) {
    ErasureOutboxOptions options;
    options.initial_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(1);
    options.abandon_after_attempts = 3;
    auto outbox = std::make_unique<ErasureOutbox>(client_.get(), std::move(exists), options);
    outbox->SetEraser(&eraser_);
    return outbox;
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(5); }

  // Runs the outbox `runs` times, each after the previous retry is due.
  static void Run(ErasureOutbox& outbox, int runs) {
    for (int i = 0; i < runs; ++i) {
      absl::SleepFor(absl::Milliseconds(5));
      ASSERT_TRUE(outbox.RunOnce().ok());
    }
  }

  std::unique_ptr<redis::RedisClient> client_;
  RecordingEraser eraser_;
};

TEST_F(ErasureOutboxTest, AnErasureForADeletedAccountGoesToEveryServiceOnce) {
  auto outbox = Outbox([](const std::string&) { return false; });
  ASSERT_TRUE(outbox->Enqueue({"acct-1", "ann@example.com", "rid-1"}, Deadline()).ok());
  EXPECT_EQ(*outbox->Backlog(), 2);
  absl::StatusOr<int> delivered = outbox->RunOnce();
  ASSERT_TRUE(delivered.ok()) << delivered.status();
  EXPECT_EQ(*delivered, 2);
  EXPECT_THAT(eraser_.calls(), ::testing::UnorderedElementsAre("jobs:acct-1:ann@example.com",
                                                               "assistant:acct-1:ann@example.com"));
  EXPECT_TRUE(outbox->Pending()->empty());
  Run(*outbox, 2);
  EXPECT_EQ(eraser_.calls().size(), 2u) << "nothing is delivered twice";
}

TEST_F(ErasureOutboxTest, AnErasureForAnAccountThatStillExistsIsDroppedUndelivered) {
  auto outbox = Outbox([](const std::string&) { return true; });
  ASSERT_TRUE(outbox->Enqueue({"acct-1", "", ""}, Deadline()).ok());
  ASSERT_NO_FATAL_FAILURE(Run(*outbox, 2));
  EXPECT_EQ(outbox->Pending()->size(), 2u) << "kept until abandon_after_attempts claims";
  ASSERT_NO_FATAL_FAILURE(Run(*outbox, 3));
  EXPECT_TRUE(outbox->Pending()->empty());
  EXPECT_TRUE(eraser_.calls().empty()) << "the account was not deleted: nothing is erased";
}

TEST_F(ErasureOutboxTest, AnErasureStaysOwedWhileWhetherTheAccountExistsIsUnknown) {
  auto outbox =
      Outbox([](const std::string&) { return absl::UnavailableError("the store did not answer"); });
  ASSERT_TRUE(outbox->Enqueue({"acct-1", "", ""}, Deadline()).ok());
  ASSERT_NO_FATAL_FAILURE(Run(*outbox, 6));
  EXPECT_EQ(outbox->Pending()->size(), 2u) << "never dropped past abandon_after_attempts";
  EXPECT_TRUE(eraser_.calls().empty());
}

TEST_F(ErasureOutboxTest, AnErasureWithoutAnAccountIdIsRefusedAndNothingIsQueued) {
  auto outbox = Outbox([](const std::string&) { return false; });
  EXPECT_EQ(outbox->Enqueue({"", "ann@example.com", ""}, Deadline()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*outbox->Backlog(), 0);
}

}  // namespace
}  // namespace openencoder::account
