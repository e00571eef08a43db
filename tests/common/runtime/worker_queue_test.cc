// Bounded worker queues (common::WorkerPool + common::RunOnPool) over a real
// gRPC server on loopback: a full queue refuses at once with
// RESOURCE_EXHAUSTED and a retry-after trailer, takes calls again once
// drained, and work whose deadline passed in the queue never runs.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>

#include "absl/synchronization/notification.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/pool_runner.h"
#include "services/common/server.h"
#include "services/common/worker_pool.h"

namespace openencoder::common {
namespace {

namespace sv1 = ::openencoder::search::v1;

// Lookup("block") holds its worker until Release(); any other code answers
// NOT_FOUND at once. Every call runs on a one-thread pool that queues one.
class PooledLookupService final : public sv1::SearchService::CallbackService {
 public:
  PooledLookupService()
      : pool_(WorkerPoolOptions{.threads = 1, .max_queued = 1, .service = "test"}) {}
  ~PooledLookupService() override { Release(); }

  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* context,
                                   const sv1::LookupRequest* request,
                                   sv1::LookupResponse* response) override {
    return RunOnPool(pool_, context, [this, request]() -> absl::Status {
      ran_.fetch_add(1);
      if (request->code() == "block") {
        if (!started_.HasBeenNotified()) started_.Notify();
        release_.WaitForNotification();
        return absl::OkStatus();
      }
      return absl::NotFoundError("no such code");
    });
  }

  void WaitUntilBlocked() { started_.WaitForNotification(); }
  void Release() {
    if (!release_.HasBeenNotified()) release_.Notify();
  }
  int ran() const { return ran_.load(); }
  size_t queued() const { return pool_.queued(); }

 private:
  absl::Notification started_;
  absl::Notification release_;
  std::atomic<int> ran_{0};
  WorkerPool pool_;  // last: joined before the notifications go
};

class WorkerQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.service_name = "test";
    options.log_calls = false;
    auto running = RunningServer::Start(options, {Bind<sv1::SearchService>(&service_)});
    ASSERT_TRUE(running.ok()) << running.status();
    server_ = std::move(*running);
    stub_ = sv1::SearchService::NewStub(MakeChannel(server_->address()));
  }

  struct Answer {
    grpc::Status status;
    std::string retry_after_ms;
  };

  // Calls Lookup(code) on another thread; the future holds the answer.
  std::future<Answer> LookupAsync(const std::string& code, absl::Duration timeout) {
    return std::async(std::launch::async, [this, code, timeout] { return Lookup(code, timeout); });
  }

  Answer Lookup(const std::string& code, absl::Duration timeout = absl::Seconds(10)) {
    sv1::LookupRequest request;
    request.set_code(code);
    sv1::LookupResponse response;
    auto context = MakeClientContext(timeout);
    Answer answer;
    answer.status = stub_->Lookup(context.get(), request, &response);
    const auto& trailers = context->GetServerTrailingMetadata();
    if (auto it = trailers.find("retry-after-ms"); it != trailers.end()) {
      answer.retry_after_ms = std::string(it->second.data(), it->second.size());
    }
    return answer;
  }

  PooledLookupService service_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<sv1::SearchService::Stub> stub_;
};

TEST_F(WorkerQueueTest, FullQueueAnswersResourceExhaustedAndRecoversWhenDrained) {
  std::future<Answer> running = LookupAsync("block", absl::Seconds(30));
  service_.WaitUntilBlocked();  // the only worker is busy
  std::future<Answer> queued = LookupAsync("X", absl::Seconds(30));
  // X takes the one queue slot; the next call finds it full.
  while (service_.queued() < 1) absl::SleepFor(absl::Milliseconds(5));
  Answer refused = Lookup("Y");
  ASSERT_EQ(refused.status.error_code(), grpc::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.status.error_message(), "the test service is busy; retry in a moment");
  EXPECT_EQ(refused.retry_after_ms, "1000") << "the gateway turns it into Retry-After: 1";

  service_.Release();
  EXPECT_TRUE(running.get().status.ok());
  EXPECT_EQ(queued.get().status.error_code(), grpc::NOT_FOUND) << "queued work ran once drained";
  // Drained: the pool takes calls again.
  EXPECT_EQ(Lookup("Z").status.error_code(), grpc::NOT_FOUND);
}

TEST_F(WorkerQueueTest, CallWhoseDeadlinePassedInTheQueueIsDroppedUnrun) {
  std::future<Answer> running = LookupAsync("block", absl::Seconds(30));
  service_.WaitUntilBlocked();
  EXPECT_EQ(Lookup("X", absl::Milliseconds(300)).status.error_code(), grpc::DEADLINE_EXCEEDED);
  ASSERT_EQ(service_.queued(), 1u) << "X still waits for the worker";
  // The server's copy of X's deadline counts from when X arrived (gRPC sends
  // the time left), so it can end a little after the client's. Give it a
  // second to pass before the worker is freed; a loaded machine (CI, a fresh
  // root) made X run otherwise.
  absl::SleepFor(absl::Seconds(1));
  const int ran_before_release = service_.ran();
  service_.Release();
  EXPECT_TRUE(running.get().status.ok());
  // The next call queues behind the expired one, so once it answers the
  // expired one has been taken off the queue, without running.
  EXPECT_EQ(Lookup("Z").status.error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(service_.ran(), ran_before_release + 1) << "only Z ran after the release";
}

TEST(MaxQueuedSetting, ReadsTheServiceVariableAndRefusesNonNumbers) {
  unsetenv("OE_QTEST_MAX_QUEUED");
  EXPECT_EQ(*MaxQueuedSetting("qtest"), kDefaultMaxQueued);
  setenv("OE_QTEST_MAX_QUEUED", "7", 1);
  EXPECT_EQ(*MaxQueuedSetting("qtest"), 7u);
  setenv("OE_QTEST_MAX_QUEUED", "lots", 1);
  absl::StatusOr<size_t> bad = MaxQueuedSetting("qtest");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("OE_QTEST_MAX_QUEUED"), absl::string_view::npos);
  unsetenv("OE_QTEST_MAX_QUEUED");
}

}  // namespace
}  // namespace openencoder::common
