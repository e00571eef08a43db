// CaseConsultant on the web through the real gateway over real HTTP: the
// real assistant server (Redis ticket store, outbox mailing to a real
// aiosmtpd relay), the real account service on a real Redis, all over gRPC
// on loopback (tests/assistant/support/e2e_suite.h). Checks the journey
// (a member asks, a consultant claims and answers, the member reads the
// answer, exactly one mail), who may do what (a coder cannot see the queue,
// a guest is asked to register, a consultant cannot change plans), CSRF on
// every consult write, and that refusals are sentences for people.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/gateway/account_routes.h"
#include "services/gateway/consult_routes.h"
#include "services/gateway/csrf.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "tests/assistant/support/e2e_suite.h"
#include "tests/gateway/test_browser.h"
#include "tests/gateway/test_front.h"

namespace openencoder::gateway {
namespace {

using assistant::testing::E2eSuite;
using assistant::testing::ReceivedMail;

constexpr char kQuestion[] =
    R"({"subject":"Modifier 25 with a preventive visit","code":"99214",)"
    R"("question":"Can 99214 and 99396 be billed on the same day?","submissionId":"form-1"})";

class ConsultRoutesIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = E2eSuite::Start();
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(suite_, nullptr);
    // Catalogue, search and jobs are not behind this gateway: nothing here calls them.
    backends_ = ConnectBackends({"127.0.0.1:1", "127.0.0.1:1", suite_->account_address(),
                                 "127.0.0.1:1", suite_->assistant_address()},
                                absl::Seconds(5));
    HttpServerOptions http;
    http.threads = 4;
    ASSERT_NO_FATAL_FAILURE(front_.Start(RoutesOf(backends_, {&AccountRoutes, &ConsultRoutes}),
                                         GatewayOptions{.access_log = false}, http));
  }

  void TearDown() override { front_.Shutdown(); }

  // A browser signed in as a new coder with a verified email.
  std::unique_ptr<Browser> Member(const std::string& email) {
    EXPECT_TRUE(suite_->Register(email).ok());
    auto b = std::make_unique<Browser>(front_.origin);
    b->Login(email);
    return b;
  }
  // A browser signed in as a new consultant.
  std::unique_ptr<Browser> Consultant(const std::string& email) {
    EXPECT_TRUE(suite_->ConsultantSession(email).ok());
    auto b = std::make_unique<Browser>(front_.origin);
    b->Login(email);
    return b;
  }

  // The mails the sink received for `to` that answer a question.
  static std::vector<ReceivedMail> AnswersTo(const std::string& to) {
    std::vector<ReceivedMail> out;
    for (const ReceivedMail& m : suite_->Mails()) {
      if (absl::StrContains(m.Header("To"), to) && absl::StartsWith(m.Header("Subject"), "Re:")) {
        out.push_back(m);
      }
    }
    return out;
  }

  static E2eSuite* suite_;
  Backends backends_;
  TestFront front_;
};

E2eSuite* ConsultRoutesIntegrationTest::suite_ = nullptr;

TEST_F(ConsultRoutesIntegrationTest, MemberAsksConsultantAnswersMemberSeesItAndOneMailIsSent) {
  auto member = Member("asker@example.com");
  auto consultant = Consultant("cc1@example.com");

  auto asked = member->Send("POST", "/api/v1/consult/questions", kQuestion);
  ASSERT_EQ(asked->status, 200) << asked->body;
  EXPECT_NE(asked->body.find("TICKET_STATUS_WAITING"), std::string::npos) << asked->body;
  const std::string id = JsonValue(asked->body, "ticketId");
  ASSERT_FALSE(id.empty()) << asked->body;
  // The same form posted again (a double click) is the same question.
  auto again = member->Send("POST", "/api/v1/consult/questions", kQuestion);
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(JsonValue(again->body, "ticketId"), id);
  EXPECT_NE(again->body.find("\"duplicate\":true"), std::string::npos) << again->body;

  auto mine = member->Send("GET", "/api/v1/consult/questions");
  ASSERT_EQ(mine->status, 200) << mine->body;
  EXPECT_NE(mine->body.find(id), std::string::npos) << mine->body;
  EXPECT_NE(mine->body.find("consultant@openencoder.local"), std::string::npos)
      << "My questions names the address for mailed questions: " << mine->body;

  auto queue = consultant->Send("GET", "/api/v1/consult/tickets");
  ASSERT_EQ(queue->status, 200) << queue->body;
  EXPECT_NE(queue->body.find(id), std::string::npos) << queue->body;
  EXPECT_NE(queue->body.find("asker@example.com"), std::string::npos) << queue->body;
  auto one = consultant->Send("GET", absl::StrCat("/api/v1/consult/tickets/", id));
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_NE(one->body.find("99396"), std::string::npos) << one->body;

  auto claimed =
      consultant->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/claim"), "{}");
  ASSERT_EQ(claimed->status, 200) << claimed->body;
  EXPECT_NE(claimed->body.find("TICKET_STATUS_CLAIMED"), std::string::npos) << claimed->body;
  auto answered =
      consultant->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/answer"),
                       R"({"answer":"Yes: append modifier 25 to 99214 when the problem-oriented )"
                       R"(work is significant and separately identifiable."})");
  ASSERT_EQ(answered->status, 200) << answered->body;
  // A second answer would be a second mail: refused in words.
  auto twice = consultant->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/answer"),
                                R"({"answer":"Again."})");
  EXPECT_EQ(twice->status, 409) << twice->body;
  EXPECT_NE(twice->body.find("no longer open"), std::string::npos) << twice->body;

  std::vector<ReceivedMail> mails;
  for (int i = 0; i < 200 && mails.empty(); ++i) {
    mails = AnswersTo("asker@example.com");
    if (mails.empty()) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].Header("Subject"), "Re: Modifier 25 with a preventive visit");
  EXPECT_NE(mails[0].raw.find("modifier 25 to 99214"), std::string::npos) << mails[0].raw;

  // Once the outbox marked it sent, the member sees the answer as mailed,
  // and the relay still has exactly the one mail.
  std::string listed;
  for (int i = 0; i < 200; ++i) {
    listed = member->Send("GET", "/api/v1/consult/questions")->body;
    if (listed.find("TICKET_STATUS_SENT") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_NE(listed.find("TICKET_STATUS_SENT"), std::string::npos) << listed;
  EXPECT_NE(listed.find("modifier 25 to 99214"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("cc1@example.com"), std::string::npos) << "no consultant details";
  EXPECT_EQ(AnswersTo("asker@example.com").size(), 1u);
}

TEST_F(ConsultRoutesIntegrationTest, CoderCannotSeeOrWorkTheQueue) {
  auto member = Member("curious@example.com");
  auto asked = member->Send("POST", "/api/v1/consult/questions",
                            R"({"question":"Is 0371T still active?","submissionId":"q-coder"})");
  ASSERT_EQ(asked->status, 200) << asked->body;
  const std::string id = JsonValue(asked->body, "ticketId");
  auto coder = Member("nosy@example.com");
  auto queue = coder->Send("GET", "/api/v1/consult/tickets");
  EXPECT_EQ(queue->status, 403) << queue->body;
  EXPECT_NE(queue->body.find("This is for CaseConsultant consultants."), std::string::npos)
      << queue->body;
  EXPECT_EQ(coder->Send("GET", absl::StrCat("/api/v1/consult/tickets/", id))->status, 403);
  EXPECT_EQ(
      coder->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/claim"), "{}")->status,
      403);
  EXPECT_EQ(coder
                ->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/answer"),
                       R"({"answer":"x"})")
                ->status,
            403);
  // Another member does not see it among their questions.
  auto theirs = coder->Send("GET", "/api/v1/consult/questions");
  ASSERT_EQ(theirs->status, 200) << theirs->body;
  EXPECT_EQ(theirs->body.find(id), std::string::npos) << theirs->body;
}

TEST_F(ConsultRoutesIntegrationTest, ClaimedByAnotherConsultantIsAConflictInWords) {
  auto member = Member("twice@example.com");
  auto asked = member->Send("POST", "/api/v1/consult/questions",
                            R"({"question":"Which modifier for bilateral?","submissionId":"b"})");
  ASSERT_EQ(asked->status, 200) << asked->body;
  const std::string id = JsonValue(asked->body, "ticketId");
  auto first = Consultant("cc2@example.com");
  auto second = Consultant("cc3@example.com");
  ASSERT_EQ(
      first->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/claim"), "{}")->status,
      200);
  auto taken = second->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/claim"), "{}");
  EXPECT_EQ(taken->status, 409) << taken->body;
  EXPECT_NE(taken->body.find("Another consultant has already claimed this question."),
            std::string::npos)
      << taken->body;
  auto empty = first->Send("POST", absl::StrCat("/api/v1/consult/tickets/", id, "/answer"),
                           R"({"answer":"  "})");
  EXPECT_EQ(empty->status, 400) << empty->body;
  EXPECT_NE(empty->body.find("Write an answer before sending it."), std::string::npos);
  auto missing = first->Send("POST", "/api/v1/consult/tickets/0000/claim", "{}");
  EXPECT_EQ(missing->status, 404) << missing->body;
  EXPECT_NE(missing->body.find("There is no such question."), std::string::npos);
}

TEST_F(ConsultRoutesIntegrationTest, GuestsAndUnverifiedMembersAreToldWhatToDo) {
  Browser guest(front_.origin);
  auto refused = guest.Send("POST", "/api/v1/consult/questions", kQuestion);
  EXPECT_EQ(refused->status, 401) << refused->body;
  EXPECT_NE(refused->body.find("Sign in or register"), std::string::npos) << refused->body;
  EXPECT_EQ(guest.Send("GET", "/api/v1/consult/questions")->status, 401);
  EXPECT_EQ(guest.Send("GET", "/api/v1/consult/tickets")->status, 401);

  Browser fresh(front_.origin);
  ASSERT_NO_FATAL_FAILURE(fresh.Register("fresh@example.com", "ROLE_CODER"));
  auto unverified = fresh.Send("POST", "/api/v1/consult/questions", kQuestion);
  EXPECT_EQ(unverified->status, 409) << unverified->body;
  EXPECT_NE(unverified->body.find("Confirm your email address first"), std::string::npos)
      << unverified->body;

  auto member = Member("wordy@example.com");
  auto big = member->Send(
      "POST", "/api/v1/consult/questions",
      absl::StrCat(R"({"submissionId":"big","question":")", std::string(5001, 'x'), R"("})"));
  EXPECT_EQ(big->status, 400) << big->body;
  EXPECT_NE(big->body.find("The question is longer than 5,000 characters."), std::string::npos)
      << big->body;
  auto blank = member->Send("POST", "/api/v1/consult/questions",
                            R"({"submissionId":"blank","question":"  "})");
  EXPECT_EQ(blank->status, 400) << blank->body;
  EXPECT_NE(blank->body.find("Write your question."), std::string::npos) << blank->body;
}

TEST_F(ConsultRoutesIntegrationTest, ConsultantSeesTheThreadBeforeAFollowUpMail) {
  // A mailed question the assistant answers, then the asker's reply to our
  // answer, which it cannot: the consultant opens the reply with its thread.
  auto submit = [](const std::string& message_id, const std::string& text,
                   const std::string& in_reply_to) {
    assistant::v1::SubmitEmailRequest mail;
    mail.set_from_address("thread@example.com");
    mail.set_subject("E11.9");
    mail.set_text(text);
    mail.set_message_id(message_id);
    mail.set_in_reply_to(in_reply_to);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    assistant::v1::SubmitEmailResponse response;
    const grpc::Status status = suite_->assistant()->SubmitEmail(&context, mail, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.ticket();
  };
  const assistant::v1::Ticket first =
      submit("<thread-1@mail.example>", "What does E11.9 mean?", "");
  ASSERT_EQ(first.status(), assistant::v1::TICKET_STATUS_ANSWERED);
  const assistant::v1::Ticket follow_up =
      submit("<thread-2@mail.example>", "xyzzy plugh frobnicate quux",
             absl::StrCat("<reply-", first.ticket_id(), "@openencoder.local>"));
  ASSERT_EQ(follow_up.status(), assistant::v1::TICKET_STATUS_WAITING);
  auto consultant = Consultant("cc6@example.com");
  auto one =
      consultant->Send("GET", absl::StrCat("/api/v1/consult/tickets/", follow_up.ticket_id()));
  ASSERT_EQ(one->status, 200) << one->body;
  const size_t earlier = one->body.find("\"earlier\"");
  ASSERT_NE(earlier, std::string::npos) << one->body;
  EXPECT_NE(one->body.find(first.ticket_id(), earlier), std::string::npos) << one->body;
  EXPECT_NE(one->body.find("What does E11.9 mean?", earlier), std::string::npos) << one->body;
}

TEST_F(ConsultRoutesIntegrationTest, ConsultantCannotChangePlans) {
  // Plans are set by admins (SetPlan) and operators only; no gateway route
  // sets one, so the account service's own check is what stands.
  absl::StatusOr<std::string> token = suite_->ConsultantSession("cc4@example.com");
  ASSERT_TRUE(token.ok()) << token.status();
  // As the gateway calls it: past the method table, to the role check.
  common::ChannelOptions as_gateway;
  as_gateway.client_identity = "gateway";
  auto stub = account::v1::AccountService::NewStub(
      common::MakeChannel(suite_->account_address(), as_gateway));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  account::v1::GetAccountRequest me;
  me.set_session_token(*token);
  account::v1::GetAccountResponse account;
  ASSERT_TRUE(stub->GetAccount(&context, me, &account).ok());
  grpc::ClientContext set_context;
  set_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  account::v1::SetPlanRequest upgrade;
  upgrade.set_session_token(*token);
  upgrade.set_account_id(account.account().account_id());
  upgrade.set_plan(account::v1::PLAN_ENTERPRISE);
  account::v1::SetPlanResponse response;
  const grpc::Status status = stub->SetPlan(&set_context, upgrade, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
}

TEST_F(ConsultRoutesIntegrationTest, EveryConsultWriteRefusesMissingCsrfTokenAndOtherSites) {
  auto consultant = Consultant("cc5@example.com");
  int writes = 0;
  for (const Route& route : front_.gateway->routes()) {
    const RouteSpec& spec = route.spec;
    if (!absl::StartsWith(spec.path, "/api/v1/consult/")) continue;
    if (IsSafeMethod(spec.method)) continue;
    EXPECT_FALSE(spec.csrf_exempt) << spec.path;
    ++writes;
    std::string path = spec.path;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      path.replace(open, path.find('}', open) - open + 1, "x1");
    }
    SCOPED_TRACE(absl::StrCat(spec.method, " ", spec.path));
    auto no_token = consultant->Send(spec.method, path, kQuestion, /*csrf=*/false);
    ASSERT_TRUE(no_token);
    EXPECT_EQ(no_token->status, 403) << no_token->body;
    auto cross_site =
        consultant->Send(spec.method, path, kQuestion, /*csrf=*/true, "https://evil.example");
    ASSERT_TRUE(cross_site);
    EXPECT_EQ(cross_site->status, 403) << cross_site->body;
  }
  EXPECT_EQ(writes, 3);
  // Nothing was asked by those refused posts.
  auto mine = consultant->Send("GET", "/api/v1/consult/questions");
  ASSERT_EQ(mine->status, 200) << mine->body;
  EXPECT_EQ(mine->body.find("ticketId"), std::string::npos) << mine->body;
}

}  // namespace
}  // namespace openencoder::gateway
