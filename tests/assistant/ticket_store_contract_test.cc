// The TicketStore contract (services/assistant/ticket_store.h), run on the
// in-memory fake the unit tests use and on RedisTicketStore against a real
// redis-server: if the fake drifts from the real store, this fails, so the
// fast ticket-flow tests keep testing what the server does.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "services/assistant/redis_ticket_store.h"
#include "services/common/redis/redis_client.h"
#include "tests/assistant/support/fakes.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::assistant {
namespace {

test_support::RedisServer* redis_server = nullptr;

struct StoreKind {
  std::string name;
  bool redis = false;
};

class TicketStoreContractTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  static void SetUpTestSuite() {
    auto started = test_support::RedisServer::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    redis_server = started->release();
  }
  static void TearDownTestSuite() {
    delete redis_server;
    redis_server = nullptr;
  }

  void SetUp() override {
    if (!GetParam().redis) {
      store_ = std::make_unique<testing::FakeTicketStore>();
      return;
    }
    ASSERT_NE(redis_server, nullptr);
    // As the assistant's own Redis user, so the contract also proves its
    // ACL rules (deploy/redis/acl-users) allow every command the store sends.
    auto client =
        redis::RedisClient::Create(test_support::RedisOptionsAs(*redis_server, "assistant"));
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = *std::move(client);
    ASSERT_TRUE(redis_server->FlushAll().ok());
    store_ = std::make_unique<RedisTicketStore>(redis_.get(), absl::Seconds(2));
  }

  NewTicket Mail(const std::string& message_id, const std::string& requester = "") {
    NewTicket t;
    t.email.set_from_address("ann@example.com");
    t.email.set_subject("Modifier 25");
    t.email.set_text("When is 25 needed?");
    t.email.set_message_id(message_id);
    t.requester_account_id = requester;
    if (!requester.empty()) t.code = "99214";
    return t;
  }

  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<TicketStore> store_;
  const absl::Time t0_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST_P(TicketStoreContractTest, CreateIsIdempotentOnTheMessageId) {
  absl::StatusOr<CreateResult> first = store_->Create(Mail("<a@x>", "acct-1"), t0_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->ticket.ticket_id(), TicketIdFor("<a@x>"));
  EXPECT_EQ(first->ticket.status(), v1::TICKET_STATUS_RECEIVED);
  EXPECT_EQ(first->ticket.requester_account_id(), "acct-1");
  EXPECT_EQ(first->ticket.code(), "99214");
  EXPECT_EQ(first->ticket.received_at().seconds(), 1'800'000'000);
  absl::StatusOr<CreateResult> again = store_->Create(Mail("<a@x>", "acct-1"), t0_);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->ticket.ticket_id(), first->ticket.ticket_id());
  EXPECT_TRUE(absl::IsNotFound(store_->Get("nope").status()));
}

TEST_P(TicketStoreContractTest, StatusMachineAndClaims) {
  const std::string id = store_->Create(Mail("<b@x>"), t0_)->ticket.ticket_id();
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->Claim(id, "c1", t0_).status()));
  ASSERT_TRUE(store_->MarkWaiting(id, t0_).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->MarkWaiting(id, t0_).status()));
  absl::StatusOr<v1::Ticket> claimed = store_->Claim(id, "c1", t0_);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->status(), v1::TICKET_STATUS_CLAIMED);
  EXPECT_EQ(claimed->claimed_by(), "c1");
  EXPECT_TRUE(store_->Claim(id, "c1", t0_).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->Claim(id, "c2", t0_).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->Answer(id, "x", "c2", t0_).status()));
  absl::StatusOr<v1::Ticket> answered = store_->Answer(id, "Answer.", "c1", t0_);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->status(), v1::TICKET_STATUS_ANSWERED);
  EXPECT_EQ(answered->answer(), "Answer.");
  EXPECT_FALSE(answered->answered_by_assistant());
  EXPECT_TRUE(absl::IsNotFound(store_->Claim("nope", "c1", t0_).status()));
}

TEST_P(TicketStoreContractTest, OutboxLeasesSendsOnceAndRetries) {
  const std::string id = store_->Create(Mail("<c@x>"), t0_)->ticket.ticket_id();
  ASSERT_TRUE(store_->Answer(id, "By the assistant.", "", t0_).ok());
  EXPECT_EQ(*store_->OutboxLength(), 1);
  EXPECT_TRUE(store_->DueForSending(t0_ - absl::Seconds(1), 10)->empty());
  ASSERT_EQ(*store_->DueForSending(t0_, 10), std::vector<std::string>{id});
  absl::StatusOr<v1::Ticket> leased = store_->BeginSend(id, t0_, t0_ + absl::Seconds(60));
  ASSERT_TRUE(leased.ok()) << leased.status();
  EXPECT_EQ(leased->send_attempts(), 1);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      store_->BeginSend(id, t0_ + absl::Seconds(1), t0_ + absl::Seconds(61)).status()))
      << "another sender holds the lease";
  ASSERT_TRUE(store_->SendFailed(id, "relay down", t0_ + absl::Seconds(30)).ok());
  EXPECT_EQ(store_->Get(id)->last_send_error(), "relay down");
  EXPECT_TRUE(store_->DueForSending(t0_ + absl::Seconds(29), 10)->empty());
  EXPECT_EQ(store_->DueForSending(t0_ + absl::Seconds(30), 10)->size(), 1u);
  ASSERT_TRUE(store_->BeginSend(id, t0_ + absl::Seconds(30), t0_ + absl::Seconds(90)).ok());
  ASSERT_TRUE(store_->MarkSent(id, t0_ + absl::Seconds(31)).ok());
  EXPECT_TRUE(store_->MarkSent(id, t0_ + absl::Seconds(32)).ok()) << "idempotent";
  EXPECT_EQ(store_->Get(id)->status(), v1::TICKET_STATUS_SENT);
  EXPECT_EQ(*store_->OutboxLength(), 0);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      store_->BeginSend(id, t0_ + absl::Seconds(40), t0_ + absl::Seconds(100)).status()));
}

TEST_P(TicketStoreContractTest, ListsByStatusOldestFirstAndByRequesterNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    const std::string id =
        store_
            ->Create(Mail(absl::StrCat("<m", i, "@x>"), i % 2 == 0 ? "acct-even" : ""),
                     t0_ + absl::Seconds(i))
            ->ticket.ticket_id();
    ASSERT_TRUE(store_->MarkWaiting(id, t0_ + absl::Seconds(i)).ok());
  }
  absl::StatusOr<TicketPage> page = store_->List(v1::TICKET_STATUS_WAITING, 2, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->tickets.size(), 2u);
  EXPECT_EQ(page->tickets[0].message_id(), "<m0@x>");
  EXPECT_EQ(page->tickets[1].message_id(), "<m1@x>");
  absl::StatusOr<TicketPage> rest =
      store_->List(v1::TICKET_STATUS_WAITING, 10, page->next_page_token);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->tickets.size(), 3u);
  EXPECT_EQ(rest->tickets[2].message_id(), "<m4@x>");
  EXPECT_TRUE(store_->List(v1::TICKET_STATUS_SENT, 10, "")->tickets.empty());
  EXPECT_TRUE(absl::IsInvalidArgument(store_->List(v1::TICKET_STATUS_WAITING, 10, "x").status()));

  absl::StatusOr<TicketPage> mine = store_->ListByRequester("acct-even", 2, "");
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->tickets.size(), 2u);
  EXPECT_EQ(mine->tickets[0].message_id(), "<m4@x>");
  EXPECT_EQ(mine->tickets[1].message_id(), "<m2@x>");
  ASSERT_FALSE(mine->next_page_token.empty());
  absl::StatusOr<TicketPage> older = store_->ListByRequester("acct-even", 2, mine->next_page_token);
  ASSERT_TRUE(older.ok());
  ASSERT_EQ(older->tickets.size(), 1u);
  EXPECT_EQ(older->tickets[0].message_id(), "<m0@x>");
  EXPECT_TRUE(older->next_page_token.empty());
  EXPECT_TRUE(store_->ListByRequester("acct-none", 10, "")->tickets.empty());
  EXPECT_TRUE(absl::IsInvalidArgument(store_->ListByRequester("acct-even", 10, "-1").status()));
}

TEST_P(TicketStoreContractTest, EraseRequesterDeletesTheAccountsTicketsEverywhere) {
  const std::string web = store_->Create(Mail("<w@x>", "acct-1"), t0_)->ticket.ticket_id();
  NewTicket mailed = Mail("<m@x>");
  mailed.email.set_from_address("Ann Lee <ANN@Example.com>");
  const std::string id = store_->Create(mailed, t0_)->ticket.ticket_id();
  ASSERT_TRUE(store_->Answer(id, "Yes.", "", t0_).ok());
  NewTicket other = Mail("<o@x>");
  other.email.set_from_address("bob@example.com");
  const std::string bob = store_->Create(other, t0_)->ticket.ticket_id();

  absl::StatusOr<int> erased = store_->EraseRequester("acct-1", "ann@example.com");
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(*erased, 2);
  EXPECT_TRUE(absl::IsNotFound(store_->Get(web).status()));
  EXPECT_TRUE(absl::IsNotFound(store_->Get(id).status()));
  EXPECT_TRUE(store_->Get(bob).ok());
  EXPECT_TRUE(store_->ListByRequester("acct-1", 10, "")->tickets.empty());
  EXPECT_EQ(*store_->OutboxLength(), 0) << "an erased answer is never mailed";
  absl::StatusOr<TicketPage> received = store_->List(v1::TICKET_STATUS_RECEIVED, 10, "");
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->tickets.size(), 1u);
  EXPECT_EQ(received->tickets[0].ticket_id(), bob);
  EXPECT_EQ(*store_->EraseRequester("acct-1", "ann@example.com"), 0) << "a repeat finds nothing";
}

TEST_P(TicketStoreContractTest, ADeletedConsultantsClaimsGoBackToTheQueue) {
  const std::string claimed = store_->Create(Mail("<c1@x>"), t0_)->ticket.ticket_id();
  const std::string answered = store_->Create(Mail("<c2@x>"), t0_)->ticket.ticket_id();
  for (const std::string& id : {claimed, answered}) {
    ASSERT_TRUE(store_->MarkWaiting(id, t0_).ok());
    ASSERT_TRUE(store_->Claim(id, "cc-1", t0_).ok());
  }
  ASSERT_TRUE(store_->Answer(answered, "Yes.", "cc-1", t0_).ok());

  absl::StatusOr<int> released = store_->ReleaseConsultant("cc-1");
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(*released, 2);
  absl::StatusOr<v1::Ticket> back = store_->Get(claimed);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->status(), v1::TICKET_STATUS_WAITING);
  EXPECT_EQ(back->claimed_by(), "");
  EXPECT_EQ(store_->Get(answered)->status(), v1::TICKET_STATUS_ANSWERED);
  EXPECT_EQ(store_->Get(answered)->claimed_by(), "");
  EXPECT_TRUE(store_->Claim(claimed, "cc-2", t0_).ok()) << "another consultant takes it";
  EXPECT_EQ(*store_->ReleaseConsultant("cc-1"), 0) << "a repeat finds nothing";
}

INSTANTIATE_TEST_SUITE_P(FakeAndRedis, TicketStoreContractTest,
                         ::testing::Values(StoreKind{"Fake", false}, StoreKind{"Redis", true}),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace openencoder::assistant
