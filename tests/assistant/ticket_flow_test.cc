// The assistant's ticket flow on in-memory fakes (tests/assistant/support/
// fakes.h): CaseConsultant's web and mail questions, the consultant queue
// with its permission checks, and the outbox's exactly-once mailing and
// retries. No Redis, no network, no sleeping: the whole file runs in
// milliseconds. The same flow against the real services, Redis and an SMTP
// relay is covered by oe_assistant_e2e_test and oe_gateway_consult_test.
#include <gtest/gtest.h>

#include <string>

#include "services/assistant/account_erasure.h"
#include "services/assistant/case_consultant.h"
#include "services/assistant/outbox_worker.h"
#include "tests/assistant/support/fakes.h"

namespace openencoder::assistant {
namespace {

using testing::FakeAccountTools;
using testing::FakeTicketStore;
using testing::FlakyMailSender;

constexpr char kMember[] = "member-token";
constexpr char kOther[] = "other-token";
constexpr char kConsultant[] = "consultant-token";
constexpr char kConsultant2[] = "consultant2-token";
constexpr char kGuest[] = "guest-token";
constexpr char kUnverified[] = "unverified-token";

class TicketFlowTest : public ::testing::Test {
 protected:
  TicketFlowTest() {
    accounts_.AddMember(kMember, "acct-member", "ann@example.com");
    accounts_.AddMember(kOther, "acct-other", "bob@example.com");
    accounts_.AddMember(kUnverified, "acct-unverified", "new@example.com", /*verified=*/false);
    accounts_.AddMember(kConsultant, "acct-consultant", "cc@example.com", true,
                        {account::v1::ROLE_CONSULTANT});
    accounts_.AddMember(kConsultant2, "acct-consultant2", "cc2@example.com", true,
                        {account::v1::ROLE_CONSULTANT});
    accounts_.AddGuest(kGuest);
    OutboxOptions outbox_options;
    // Retries are due at once, so a test can run the next attempt directly.
    outbox_options.initial_backoff = absl::ZeroDuration();
    outbox_options.max_backoff = absl::ZeroDuration();
    outbox_options.max_attempts = 3;
    outbox_ = std::make_unique<OutboxWorker>(&tickets_, &mail_, outbox_options);
    ConsultantOptions options;
    options.address = "ask@coders.example";
    consultant_ = std::make_unique<CaseConsultant>(
        [this](const std::string& question, const std::string&) -> absl::StatusOr<EngineAnswer> {
          ++engine_calls_;
          EngineAnswer a;
          a.outcome = engine_outcome_;
          a.text = absl::StrCat("Assistant on: ", question);
          return a;
        },
        &accounts_, &tickets_, [this] { ++wakes_; }, options);
  }

  v1::SubmitQuestionRequest Question(const std::string& token, const std::string& submission) {
    v1::SubmitQuestionRequest r;
    r.set_session_token(token);
    r.set_question("Can 99214 and 99396 be billed on the same day?\nThe patient had both.");
    r.set_code("99214");
    r.set_submission_id(submission);
    return r;
  }

  v1::Ticket Ask(const std::string& token = kMember, const std::string& submission = "form-1") {
    absl::StatusOr<v1::SubmitQuestionResponse> r =
        consultant_->SubmitQuestion(Question(token, submission), "rid");
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->ticket() : v1::Ticket();
  }

  absl::Status Claim(const std::string& token, const std::string& id) {
    v1::ClaimTicketRequest r;
    r.set_session_token(token);
    r.set_ticket_id(id);
    return consultant_->ClaimTicket(r, "rid").status();
  }

  absl::Status Answer(const std::string& token, const std::string& id, const std::string& text) {
    v1::AnswerTicketRequest r;
    r.set_session_token(token);
    r.set_ticket_id(id);
    r.set_answer(text);
    return consultant_->AnswerTicket(r, "rid").status();
  }

  absl::StatusOr<v1::ListTicketsResponse> Queue(
      const std::string& token, v1::TicketStatus status = v1::TICKET_STATUS_WAITING) {
    v1::ListTicketsRequest r;
    r.set_session_token(token);
    r.set_status(status);
    return consultant_->ListTickets(r, "rid");
  }

  absl::StatusOr<v1::ListMyQuestionsResponse> Mine(const std::string& token) {
    v1::ListMyQuestionsRequest r;
    r.set_session_token(token);
    return consultant_->ListMyQuestions(r, "rid");
  }

  FakeTicketStore tickets_;
  FakeAccountTools accounts_;
  FlakyMailSender mail_;
  std::unique_ptr<OutboxWorker> outbox_;
  std::unique_ptr<CaseConsultant> consultant_;
  v1::AnswerOutcome engine_outcome_ = v1::ANSWER_OUTCOME_DONT_KNOW;
  int engine_calls_ = 0;
  int wakes_ = 0;
};

TEST_F(TicketFlowTest, WebQuestionIsAnsweredByAConsultantAndMailedExactlyOnce) {
  const v1::Ticket asked = Ask();
  EXPECT_EQ(asked.status(), v1::TICKET_STATUS_WAITING);
  EXPECT_EQ(asked.from_address(), "ann@example.com");
  EXPECT_EQ(asked.code(), "99214");
  EXPECT_EQ(asked.subject(), "Can 99214 and 99396 be billed on the same day?");
  EXPECT_EQ(engine_calls_, 0) << "a web question goes to a person, not the assistant";

  absl::StatusOr<v1::ListTicketsResponse> queue = Queue(kConsultant);
  ASSERT_TRUE(queue.ok()) << queue.status();
  ASSERT_EQ(queue->tickets_size(), 1);
  EXPECT_EQ(queue->tickets(0).ticket_id(), asked.ticket_id());
  EXPECT_EQ(queue->tickets(0).requester_account_id(), "acct-member");

  ASSERT_TRUE(Claim(kConsultant, asked.ticket_id()).ok());
  ASSERT_TRUE(Answer(kConsultant, asked.ticket_id(), "Yes, with modifier 25 on 99214.").ok());
  EXPECT_EQ(wakes_, 1);

  absl::StatusOr<int> sent = outbox_->RunOnce();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 1);
  sent = outbox_->RunOnce();
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(*sent, 0) << "a sent reply is never sent again";
  ASSERT_EQ(mail_.mails().size(), 1u);
  const common::mail::OutgoingMail mail = mail_.mails()[0];
  EXPECT_EQ(mail.to, "ann@example.com");
  EXPECT_EQ(mail.subject, "Re: Can 99214 and 99396 be billed on the same day?");
  EXPECT_NE(mail.body.find("Yes, with modifier 25 on 99214."), std::string::npos);
  EXPECT_TRUE(mail.in_reply_to.empty()) << "the web question's Message-ID was made up";

  absl::StatusOr<v1::ListMyQuestionsResponse> mine = Mine(kMember);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(mine->consultant_address(), "ask@coders.example");
  ASSERT_EQ(mine->tickets_size(), 1);
  EXPECT_EQ(mine->tickets(0).status(), v1::TICKET_STATUS_SENT);
  EXPECT_NE(mine->tickets(0).answer().find("modifier 25"), std::string::npos);
  EXPECT_TRUE(mine->tickets(0).claimed_by().empty()) << "the asker is not told who answered";
}

TEST_F(TicketFlowTest, ResubmittedFormIsTheSameTicket) {
  const v1::Ticket first = Ask(kMember, "form-7");
  absl::StatusOr<v1::SubmitQuestionResponse> again =
      consultant_->SubmitQuestion(Question(kMember, "form-7"), "rid");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->duplicate());
  EXPECT_EQ(again->ticket().ticket_id(), first.ticket_id());
  // The same form id from another account is that account's own question.
  const v1::Ticket other = Ask(kOther, "form-7");
  EXPECT_NE(other.ticket_id(), first.ticket_id());
  EXPECT_EQ(tickets_.size(), 2u);
}

TEST_F(TicketFlowTest, GuestsUnverifiedAndBadQuestionsAreRefusedInWords) {
  absl::StatusOr<v1::SubmitQuestionResponse> r =
      consultant_->SubmitQuestion(Question(kGuest, "f"), "rid");
  EXPECT_TRUE(absl::IsUnauthenticated(r.status())) << r.status();
  EXPECT_NE(r.status().message().find("register"), std::string::npos);
  r = consultant_->SubmitQuestion(Question("", "f"), "rid");
  EXPECT_TRUE(absl::IsUnauthenticated(r.status())) << r.status();
  r = consultant_->SubmitQuestion(Question(kUnverified, "f"), "rid");
  EXPECT_TRUE(absl::IsFailedPrecondition(r.status())) << r.status();
  EXPECT_NE(r.status().message().find("confirm your email"), std::string::npos);

  v1::SubmitQuestionRequest empty = Question(kMember, "f");
  empty.set_question("  \n ");
  EXPECT_TRUE(absl::IsInvalidArgument(consultant_->SubmitQuestion(empty, "rid").status()));
  v1::SubmitQuestionRequest big = Question(kMember, "f");
  big.set_question(std::string(kMaxWebQuestionChars + 1, 'x'));
  r = consultant_->SubmitQuestion(big, "rid");
  EXPECT_TRUE(absl::IsInvalidArgument(r.status()));
  EXPECT_NE(r.status().message().find("5,000 characters"), std::string::npos);
  // 5,000 characters of two bytes each is within the limit.
  std::string accented;
  for (size_t i = 0; i < kMaxWebQuestionChars; ++i) accented += "é";
  big.set_question(accented);
  EXPECT_TRUE(consultant_->SubmitQuestion(big, "rid").ok());
  v1::SubmitQuestionRequest no_id = Question(kMember, "");
  EXPECT_TRUE(absl::IsInvalidArgument(consultant_->SubmitQuestion(no_id, "rid").status()));
  v1::SubmitQuestionRequest long_code = Question(kMember, "g");
  long_code.set_code(std::string(21, '9'));
  EXPECT_TRUE(absl::IsInvalidArgument(consultant_->SubmitQuestion(long_code, "rid").status()));
  EXPECT_EQ(tickets_.size(), 1u);
}

TEST_F(TicketFlowTest, OnlyConsultantsSeeAndWorkTheQueue) {
  const v1::Ticket asked = Ask();
  EXPECT_TRUE(absl::IsPermissionDenied(Queue(kMember).status()));
  EXPECT_TRUE(absl::IsPermissionDenied(Claim(kMember, asked.ticket_id())));
  EXPECT_TRUE(absl::IsPermissionDenied(Answer(kMember, asked.ticket_id(), "x")));
  EXPECT_TRUE(absl::IsUnauthenticated(Queue("nobody").status()));
  EXPECT_TRUE(absl::IsUnauthenticated(Queue(kGuest).status())) << "a guest is asked to sign in";
  v1::GetTicketRequest get;
  get.set_session_token(kOther);
  get.set_ticket_id(asked.ticket_id());
  EXPECT_TRUE(absl::IsPermissionDenied(consultant_->GetTicket(get, "rid").status()));
}

TEST_F(TicketFlowTest, ClaimsAndAnswersFollowTheStatusMachine) {
  const v1::Ticket asked = Ask();
  // Not claimed yet: no answer.
  EXPECT_TRUE(absl::IsFailedPrecondition(Answer(kConsultant, asked.ticket_id(), "x")));
  ASSERT_TRUE(Claim(kConsultant, asked.ticket_id()).ok());
  EXPECT_TRUE(Claim(kConsultant, asked.ticket_id()).ok()) << "claiming again is harmless";
  EXPECT_TRUE(absl::IsFailedPrecondition(Claim(kConsultant2, asked.ticket_id())));
  EXPECT_TRUE(absl::IsFailedPrecondition(Answer(kConsultant2, asked.ticket_id(), "x")));
  EXPECT_TRUE(absl::IsInvalidArgument(Answer(kConsultant, asked.ticket_id(), "  ")));
  EXPECT_TRUE(absl::IsNotFound(Claim(kConsultant, "no-such-ticket")));
  absl::StatusOr<v1::ListTicketsResponse> claimed = Queue(kConsultant, v1::TICKET_STATUS_CLAIMED);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->tickets_size(), 1);
  EXPECT_EQ(claimed->tickets(0).claimed_by(), "acct-consultant");
  ASSERT_TRUE(Answer(kConsultant, asked.ticket_id(), "Answer.").ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(Answer(kConsultant, asked.ticket_id(), "Again.")))
      << "a second answer would mean a second mail";
}

TEST_F(TicketFlowTest, AMemberHasAtMostTenQuestionsWaiting) {
  std::vector<v1::Ticket> asked;
  for (int i = 0; i < kMaxOpenWebQuestions; ++i)
    asked.push_back(Ask(kMember, absl::StrCat("f", i)));
  absl::StatusOr<v1::SubmitQuestionResponse> more =
      consultant_->SubmitQuestion(Question(kMember, "one-more"), "rid");
  EXPECT_TRUE(absl::IsResourceExhausted(more.status())) << more.status();
  EXPECT_NE(more.status().message().find("once they are answered"), std::string::npos);
  // A resubmitted form still finds its question; another member is not held back.
  more = consultant_->SubmitQuestion(Question(kMember, "f3"), "rid");
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_TRUE(more->duplicate());
  Ask(kOther, "f0");
  // One answered frees a place.
  ASSERT_TRUE(Claim(kConsultant, asked[0].ticket_id()).ok());
  ASSERT_TRUE(Answer(kConsultant, asked[0].ticket_id(), "Answer.").ok());
  EXPECT_TRUE(consultant_->SubmitQuestion(Question(kMember, "one-more"), "rid").ok());
}

TEST_F(TicketFlowTest, MyQuestionsAreMineOnlyNewestFirst) {
  const v1::Ticket first = Ask(kMember, "a");
  const v1::Ticket second = Ask(kMember, "b");
  Ask(kOther, "c");
  absl::StatusOr<v1::ListMyQuestionsResponse> mine = Mine(kMember);
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->tickets_size(), 2);
  EXPECT_EQ(mine->tickets(0).ticket_id(), second.ticket_id());
  EXPECT_EQ(mine->tickets(1).ticket_id(), first.ticket_id());
  EXPECT_TRUE(absl::IsUnauthenticated(Mine(kGuest).status()));
}

TEST_F(TicketFlowTest, MailTheAssistantAnswersIsRepliedInTheThread) {
  engine_outcome_ = v1::ANSWER_OUTCOME_ANSWERED;
  v1::SubmitEmailRequest email;
  email.set_from_address("dr@example.com");
  email.set_subject("Modifier 59");
  email.set_text("When is 59 needed?\n\nOn Mon, Ann wrote:\n> old thread");
  email.set_message_id("<q1@mail.example>");
  absl::StatusOr<v1::SubmitEmailResponse> r = consultant_->SubmitEmail(email, "rid");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ticket().status(), v1::TICKET_STATUS_ANSWERED);
  EXPECT_EQ(r->ticket().question(), "When is 59 needed?");
  r = consultant_->SubmitEmail(email, "rid");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->duplicate());
  EXPECT_EQ(engine_calls_, 1);
  ASSERT_TRUE(outbox_->RunOnce().ok());
  ASSERT_EQ(mail_.mails().size(), 1u);
  EXPECT_EQ(mail_.mails()[0].in_reply_to, "<q1@mail.example>");
  EXPECT_EQ(mail_.mails()[0].subject, "Re: Modifier 59");
}

TEST_F(TicketFlowTest, MailTheAssistantCannotAnswerWaitsForAConsultant) {
  v1::SubmitEmailRequest email;
  email.set_from_address("dr@example.com");
  email.set_text("Something odd");
  email.set_message_id("<q2@mail.example>");
  absl::StatusOr<v1::SubmitEmailResponse> r = consultant_->SubmitEmail(email, "rid");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ticket().status(), v1::TICKET_STATUS_WAITING);
  EXPECT_TRUE(r->ticket().requester_account_id().empty());
  absl::StatusOr<v1::ListTicketsResponse> queue = Queue(kConsultant);
  ASSERT_TRUE(queue.ok());
  EXPECT_EQ(queue->tickets_size(), 1);
  // Mail questions are nobody's "My questions" (the From is not proof).
  absl::StatusOr<v1::ListMyQuestionsResponse> mine = Mine(kMember);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->tickets_size(), 0);
}

TEST_F(TicketFlowTest, AConsultantSeesTheThreadBeforeAFollowUpMail) {
  engine_outcome_ = v1::ANSWER_OUTCOME_ANSWERED;
  v1::SubmitEmailRequest first;
  first.set_from_address("dr@example.com");
  first.set_subject("Modifier 59");
  first.set_text("When is 59 needed?");
  first.set_message_id("<t1@mail.example>");
  absl::StatusOr<v1::SubmitEmailResponse> one = consultant_->SubmitEmail(first, "rid");
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_EQ(*outbox_->RunOnce(), 1);
  // The asker answers our reply; the assistant cannot answer that one.
  engine_outcome_ = v1::ANSWER_OUTCOME_DONT_KNOW;
  v1::SubmitEmailRequest second = first;
  second.set_subject("Re: Modifier 59");
  second.set_text("And with XU?\n\nOn Mon, CaseConsultant wrote:\n> old");
  second.set_message_id("<t2@mail.example>");
  second.set_in_reply_to(mail_.mails()[0].message_id);
  absl::StatusOr<v1::SubmitEmailResponse> two = consultant_->SubmitEmail(second, "rid");
  ASSERT_TRUE(two.ok()) << two.status();
  ASSERT_EQ(two->ticket().status(), v1::TICKET_STATUS_WAITING);
  v1::GetTicketRequest get;
  get.set_session_token(kConsultant);
  get.set_ticket_id(two->ticket().ticket_id());
  absl::StatusOr<v1::GetTicketResponse> thread = consultant_->GetTicket(get, "rid");
  ASSERT_TRUE(thread.ok()) << thread.status();
  EXPECT_EQ(thread->ticket().question(), "And with XU?");
  ASSERT_EQ(thread->earlier_size(), 1);
  EXPECT_EQ(thread->earlier(0).ticket_id(), one->ticket().ticket_id());
  EXPECT_EQ(thread->earlier(0).question(), "When is 59 needed?");
  get.set_ticket_id(one->ticket().ticket_id());
  EXPECT_EQ(consultant_->GetTicket(get, "rid")->earlier_size(), 0);
}

TEST_F(TicketFlowTest, FailedSendsAreRetriedThenGivenUp) {
  FlakyMailSender flaky(/*failures=*/1);
  OutboxOptions options;
  options.initial_backoff = absl::ZeroDuration();
  options.max_backoff = absl::ZeroDuration();
  options.max_attempts = 2;
  OutboxWorker outbox(&tickets_, &flaky, options);
  const v1::Ticket asked = Ask();
  ASSERT_TRUE(Claim(kConsultant, asked.ticket_id()).ok());
  ASSERT_TRUE(Answer(kConsultant, asked.ticket_id(), "Answer.").ok());
  EXPECT_EQ(*outbox.RunOnce(), 0);
  absl::StatusOr<v1::Ticket> after = tickets_.Get(asked.ticket_id());
  EXPECT_EQ(after->status(), v1::TICKET_STATUS_ANSWERED);
  EXPECT_NE(after->last_send_error().find("refused"), std::string::npos);
  EXPECT_EQ(*outbox.RunOnce(), 1);
  EXPECT_EQ(flaky.mails().size(), 1u);
  EXPECT_EQ(tickets_.Get(asked.ticket_id())->status(), v1::TICKET_STATUS_SENT);

  // A relay that never accepts: after max_attempts the reply leaves the
  // outbox and stays ANSWERED with its error for an operator.
  FlakyMailSender down(/*failures=*/100);
  OutboxWorker stuck(&tickets_, &down, options);
  const v1::Ticket second = Ask(kMember, "form-2");
  ASSERT_TRUE(Claim(kConsultant, second.ticket_id()).ok());
  ASSERT_TRUE(Answer(kConsultant, second.ticket_id(), "Answer.").ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(stuck.RunOnce().ok());
  EXPECT_EQ(down.attempts(), 2);
  EXPECT_EQ(*tickets_.OutboxLength(), 0);
  EXPECT_EQ(tickets_.Get(second.ticket_id())->status(), v1::TICKET_STATUS_ANSWERED);
}

}  // namespace
}  // namespace openencoder::assistant

// Account erasure (EraseAccountData) on the fakes: the web tickets of the
// account and the mailed ones from its verified address go, with their
// outbox entries; other people's tickets and conversations stay.
namespace openencoder::assistant {
namespace {

NewTicket Mailed(const std::string& from, const std::string& message_id,
                 const std::string& requester = "") {
  NewTicket t;
  t.email.set_from_address(from);
  t.email.set_subject("Modifier 25");
  t.email.set_text("Can 99214 and 99396 be billed on the same day?");
  t.email.set_message_id(message_id);
  t.requester_account_id = requester;
  return t;
}

TEST(AccountErasureTest, ErasesTheAccountsTicketsAndConversationsAndNothingElse) {
  testing::FakeTicketStore tickets;
  InMemoryConversationStore conversations;
  const absl::Time now = absl::Now();
  ASSERT_TRUE(tickets.Create(Mailed("ann@example.com", "<w1@x>", "acct-ann"), now).ok());
  ASSERT_TRUE(tickets.Create(Mailed("Ann Lee <ANN@example.com>", "<m1@x>"), now).ok());
  ASSERT_TRUE(tickets.Create(Mailed("bob@example.com", "<m2@x>"), now).ok());
  auto answered = tickets.Answer(TicketIdFor("<m1@x>"), "Yes, with modifier 25.", "", now);
  ASSERT_TRUE(answered.ok()) << answered.status();
  ASSERT_TRUE(conversations.Append("c1", "acct-ann", Turn{"what is 99214", {}}).ok());
  ASSERT_TRUE(conversations.Append("c2", "acct-bob", Turn{"what is 99396", {}}).ok());

  AccountErasure erasure(&tickets, &conversations);
  v1::EraseAccountDataRequest r;
  r.set_account_id("acct-ann");
  r.set_email("ann@example.com");
  auto erased = erasure.EraseAccountData(r);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->tickets_erased(), 2);
  EXPECT_EQ(erased->conversations_erased(), 1);
  EXPECT_EQ(tickets.size(), 1u);
  EXPECT_TRUE(tickets.Get(TicketIdFor("<m2@x>")).ok());
  auto outbox = tickets.OutboxLength();
  ASSERT_TRUE(outbox.ok());
  EXPECT_EQ(*outbox, 0) << "an erased question's answer is not mailed";
  EXPECT_TRUE(absl::IsNotFound(conversations.Load("c1", "acct-ann").status()));
  EXPECT_TRUE(conversations.Load("c2", "acct-bob").ok());
  // A repeat finds nothing.
  auto again = erasure.EraseAccountData(r);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->tickets_erased(), 0);
  EXPECT_EQ(again->conversations_erased(), 0);
}

TEST(AccountErasureTest, WithoutAVerifiedAddressMailedQuestionsStay) {
  testing::FakeTicketStore tickets;
  InMemoryConversationStore conversations;
  ASSERT_TRUE(tickets.Create(Mailed("ann@example.com", "<m1@x>"), absl::Now()).ok());
  AccountErasure erasure(&tickets, &conversations);
  v1::EraseAccountDataRequest r;
  r.set_account_id("acct-ann");
  auto erased = erasure.EraseAccountData(r);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->tickets_erased(), 0);
  EXPECT_EQ(tickets.size(), 1u);
  EXPECT_EQ(erasure.EraseAccountData(v1::EraseAccountDataRequest()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace openencoder::assistant
