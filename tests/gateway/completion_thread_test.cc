// CompletionThread (services/gateway/completion_thread.h): calls handed over
// from any thread are started and finished on its one thread, once each, a
// hand-over wakes it when it waits, a call that throws stops no other, and
// its destructor waits for the calls.
#include "services/gateway/completion_thread.h"

#include <grpcpp/alarm.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace openencoder::gateway {
namespace {

// A stand-in for a call: an alarm on the thread's queue, due `delay` after
// it starts; it notes the threads it ran on.
struct Record {
  absl::Mutex mu;
  std::set<std::thread::id> threads ABSL_GUARDED_BY(mu);
  std::atomic<int> started{0};
  std::atomic<int> done{0};
  std::atomic<int> done_ok{0};
};

class AlarmCall final : public CompletionThread::Pending {
 public:
  AlarmCall(CompletionThread* thread, Record* record, std::chrono::milliseconds delay,
            absl::Notification* finished = nullptr)
      : thread_(thread), record_(record), delay_(delay), finished_(finished) {}
  void Start() override {
    Note();
    record_->started.fetch_add(1);
    alarm_.Set(thread_->queue(), std::chrono::system_clock::now() + delay_, this);
  }
  void Done(bool ok) override {
    Note();
    record_->done.fetch_add(1);
    if (ok) record_->done_ok.fetch_add(1);
    absl::Notification* finished = finished_;
    delete this;
    if (finished != nullptr) finished->Notify();
  }

 private:
  void Note() {
    absl::MutexLock lock(&record_->mu);
    record_->threads.insert(std::this_thread::get_id());
  }
  CompletionThread* const thread_;
  Record* const record_;
  const std::chrono::milliseconds delay_;
  absl::Notification* const finished_;
  grpc::Alarm alarm_;
};

TEST(CompletionThreadTest, CallsFromManyThreadsRunOnceEachOnTheOneThread) {
  Record record;
  {
    CompletionThread completions;
    std::vector<std::thread> senders;
    for (int t = 0; t < 4; ++t) {
      senders.emplace_back([&] {
        for (int i = 0; i < 500; ++i) {
          completions.Start(new AlarmCall(&completions, &record, std::chrono::milliseconds(i % 3)));
        }
      });
    }
    for (std::thread& s : senders) s.join();
  }  // the destructor waits for every call
  EXPECT_EQ(record.started.load(), 2000);
  EXPECT_EQ(record.done.load(), 2000);
  EXPECT_EQ(record.done_ok.load(), 2000);
  absl::MutexLock lock(&record.mu);
  ASSERT_EQ(record.threads.size(), 1u);
  EXPECT_NE(*record.threads.begin(), std::this_thread::get_id());
}

TEST(CompletionThreadTest, AHandOverWakesTheThreadWhileItWaits) {
  Record record;
  CompletionThread completions;
  for (int i = 0; i < 20; ++i) {
    // Each call is handed over while the thread waits with nothing to do:
    // only the wake-up gets it started.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    absl::Notification finished;
    completions.Start(
        new AlarmCall(&completions, &record, std::chrono::milliseconds(0), &finished));
    ASSERT_TRUE(finished.WaitForNotificationWithTimeout(absl::Seconds(10))) << "call " << i;
  }
  EXPECT_EQ(record.done_ok.load(), 20);
}

// A call due at once whose Done throws (after freeing itself).
class ThrowingCall final : public CompletionThread::Pending {
 public:
  explicit ThrowingCall(CompletionThread* thread) : thread_(thread) {}
  void Start() override {
    alarm_.Set(thread_->queue(), std::chrono::system_clock::time_point(), this);
  }
  void Done(bool) override {
    delete this;
    throw std::runtime_error("out of memory, say");
  }

 private:
  CompletionThread* const thread_;
  grpc::Alarm alarm_;
};

TEST(CompletionThreadTest, ACallThatThrowsLeavesTheThreadFinishingTheOthers) {
  Record record;
  CompletionThread completions;
  completions.Start(new ThrowingCall(&completions));
  absl::Notification finished;
  completions.Start(new AlarmCall(&completions, &record, std::chrono::milliseconds(20), &finished));
  ASSERT_TRUE(finished.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(record.done_ok.load(), 1);
}

TEST(CompletionThreadTest, TheDestructorWaitsForCallsStillOpen) {
  Record record;
  auto completions = std::make_unique<CompletionThread>();
  completions->Start(new AlarmCall(completions.get(), &record, std::chrono::milliseconds(200)));
  auto began = std::chrono::steady_clock::now();
  completions.reset();
  EXPECT_EQ(record.done.load(), 1);
  EXPECT_EQ(record.done_ok.load(), 1);  // it ran its course, not cancelled
  EXPECT_GE(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(150));
}

}  // namespace
}  // namespace openencoder::gateway
