// common::mail::OutboxWorker's rules on an in-memory OutboxStore and a
// sender that fails on demand: what is sent, when it is retried, when it is
// given up, and that a lease held elsewhere is respected. The Redis and
// ticket-store outboxes are covered end to end by
// account_email_verification_test and oe_assistant_e2e_test.
#include "services/common/mail/outbox.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace openencoder::common::mail {
namespace {

class MemoryStore final : public OutboxStore {
 public:
  struct Entry {
    absl::Time due;
    absl::Time lease_end = absl::InfinitePast();
    int attempts = 0;
    std::string to;
  };

  void Add(const std::string& id, std::string to) {
    entries[id] = {absl::InfinitePast(), {}, 0, to};
  }

  absl::StatusOr<std::vector<std::string>> Due(absl::Time now, int limit) override {
    std::vector<std::string> ids;
    for (const auto& [id, e] : entries) {
      if (e.due <= now && static_cast<int>(ids.size()) < limit) ids.push_back(id);
    }
    return ids;
  }
  std::optional<ClaimedMail> Claim(const std::string& id, absl::Time now,
                                   absl::Time lease_end) override {
    auto it = entries.find(id);
    if (it == entries.end() || it->second.lease_end > now) return std::nullopt;
    Entry& e = it->second;
    e.lease_end = lease_end;
    e.due = lease_end;
    ClaimedMail out;
    out.attempts = ++e.attempts;
    out.payload.to = e.to;
    out.payload.subject = "subject " + id;
    out.payload.message_id = "<" + id + "@test>";
    return out;
  }
  void Sent(const std::string& id) override {
    entries.erase(id);
    sent.push_back(id);
  }
  void Failed(const std::string& id, const absl::Status&, absl::Time retry_at) override {
    entries[id].lease_end = absl::InfinitePast();
    entries[id].due = retry_at;
    retries.push_back(retry_at);
  }
  void GaveUp(const std::string& id, const absl::Status&) override {
    entries.erase(id);
    given_up.push_back(id);
  }

  std::map<std::string, Entry> entries;
  std::vector<std::string> sent;
  std::vector<std::string> given_up;
  std::vector<absl::Time> retries;
};

class ScriptedSender final : public MailSender {
 public:
  absl::Status Send(const OutgoingMail& mail) override {
    attempts.push_back(mail.message_id);
    return next;
  }
  absl::Status next = absl::OkStatus();
  std::vector<std::string> attempts;
};

OutboxPolicy Policy() {
  OutboxPolicy p;
  p.initial_backoff = absl::Seconds(2);
  p.max_backoff = absl::Seconds(10);
  p.max_attempts = 3;
  return p;
}

TEST(OutboxPolicyTest, BackoffDoublesUpToTheCap) {
  const OutboxPolicy p = Policy();
  EXPECT_EQ(p.Backoff(1), absl::Seconds(2));
  EXPECT_EQ(p.Backoff(2), absl::Seconds(4));
  EXPECT_EQ(p.Backoff(3), absl::Seconds(8));
  EXPECT_EQ(p.Backoff(4), absl::Seconds(10));
  EXPECT_EQ(p.Backoff(40), absl::Seconds(10));
}

// Every worker test: an outbox in memory and a sender that records its
// attempts.
class OutboxWorkerTest : public ::testing::Test {
 protected:
  MemoryStore store;
  ScriptedSender sender;
};

TEST_F(OutboxWorkerTest, SendsWhatIsDueOnceAndReportsEachResult) {
  store.Add("a", "ann@example.com");
  store.Add("b", "bob@example.com");
  int results = 0;
  OutboxWorker worker(&store, &sender, Policy(), "test mail", [&results](bool sent, bool gave_up) {
    EXPECT_TRUE(sent);
    EXPECT_FALSE(gave_up);
    ++results;
  });
  absl::StatusOr<int> sent = worker.RunOnce();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 2);
  EXPECT_EQ(store.sent, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(results, 2);
  sent = worker.RunOnce();
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(*sent, 0);
  EXPECT_EQ(sender.attempts.size(), 2u);
}

TEST_F(OutboxWorkerTest, AFailedSendIsRetriedLaterThenGivenUpAfterMaxAttempts) {
  store.Add("a", "ann@example.com");
  sender.next = absl::UnavailableError("relay down");
  OutboxWorker worker(&store, &sender, Policy(), "test mail");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const absl::Time before = absl::Now();
    store.entries["a"].due = absl::InfinitePast();  // due now, as if the backoff had passed
    absl::StatusOr<int> sent = worker.RunOnce();
    ASSERT_TRUE(sent.ok());
    EXPECT_EQ(*sent, 0);
    if (attempt < 3) {
      ASSERT_EQ(store.retries.size(), static_cast<size_t>(attempt));
      EXPECT_GE(store.retries.back(), before + Policy().Backoff(attempt));
    }
  }
  EXPECT_EQ(store.given_up, std::vector<std::string>{"a"});
  EXPECT_TRUE(store.entries.empty());
  EXPECT_EQ(sender.attempts.size(), 3u);
}

TEST_F(OutboxWorkerTest, AMalformedRecipientIsGivenUpAtOnce) {
  store.Add("a", "not an address");
  sender.next = absl::InvalidArgumentError("recipient is not one address");
  bool gave_up = false;
  OutboxWorker worker(&store, &sender, Policy(), "test mail",
                      [&gave_up](bool, bool g) { gave_up = g; });
  ASSERT_TRUE(worker.RunOnce().ok());
  EXPECT_TRUE(gave_up);
  EXPECT_EQ(store.given_up, std::vector<std::string>{"a"});
  EXPECT_TRUE(store.retries.empty());
}

TEST_F(OutboxWorkerTest, AnOutboxOfOwedEntriesRetriesEvenAnInvalidArgument) {
  store.Add("a", "ann@example.com");
  OutboxPolicy policy = Policy();
  policy.give_up_on_invalid_argument = false;
  int delivered = 0;
  OutboxWorkerOf<OutgoingMail> worker(
      &store,
      [&delivered](const OutgoingMail&) {
        ++delivered;
        return absl::InvalidArgumentError("the service refused this request");
      },
      policy, "owed");
  ASSERT_TRUE(worker.RunOnce().ok());
  EXPECT_EQ(delivered, 1);
  EXPECT_TRUE(store.given_up.empty());
  EXPECT_EQ(store.retries.size(), 1u);
}

TEST_F(OutboxWorkerTest, AnEntryLeasedByAnotherSenderIsLeftAlone) {
  store.Add("a", "ann@example.com");
  store.entries["a"].lease_end = absl::Now() + absl::Minutes(1);  // another replica is sending
  OutboxWorker worker(&store, &sender, Policy(), "test mail");
  absl::StatusOr<int> sent = worker.RunOnce();
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(*sent, 0);
  EXPECT_TRUE(sender.attempts.empty());
  EXPECT_EQ(store.entries.count("a"), 1u);
}

}  // namespace
}  // namespace openencoder::common::mail
