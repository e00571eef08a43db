// CareerCenter and moderation through the real gateway over real HTTP: the
// real jobs service (Redis store, identity from the real account service)
// and the real account service on a real Redis, all over gRPC on loopback.
// Checks who may do what per state-changing route (an employer cannot
// moderate, a coder cannot see or mark applicants), that every write of the
// whole route table refuses a request without the CSRF header or from
// another site, and that bad input answers in sentences, not field paths.
// And that deleting an account erases the person from jobs and from the
// assistant (a minimal real assistant server on its Redis stores): at once
// when both answer, and by a retry when jobs was down at deletion time.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/assistant/account_erasure.h"
#include "services/assistant/assistant_service.h"
#include "services/assistant/conversation_store.h"
#include "services/assistant/redis_ticket_store.h"
#include "services/common/redis/redis_client.h"
#include "services/common/server.h"
#include "services/gateway/account_routes.h"
#include "services/gateway/assistant_routes.h"
#include "services/gateway/code_routes.h"
#include "services/gateway/csrf.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "services/gateway/jobs_routes.h"
#include "services/gateway/search_routes.h"
#include "services/jobs/grpc_identity_client.h"
#include "services/jobs/job_board.h"
#include "services/jobs/jobs_service.h"
#include "services/jobs/redis_job_store.h"
#include "tests/gateway/test_browser.h"
#include "tests/gateway/test_front.h"
#include "tests/support/inprocess_services.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"
#include "tests/support/shared_redis_test.h"

namespace openencoder::gateway {
namespace {

constexpr char kAdminEmail[] = "moderator@example.com";

const char kPosting[] = R"({"fields":{
  "title":"Outpatient coder","organization":"Mercy Health",
  "description":"Code outpatient encounters with ICD-10-CM and CPT.",
  "location":{"city":"Austin","state":"TX","zip":"78701"},
  "arrangement":"WORK_ARRANGEMENT_HYBRID","employmentType":"EMPLOYMENT_TYPE_FULL_TIME",
  "credentialsRequired":["CPC"],"credentialsPreferred":["CCS"],"cpcAAccepted":true,
  "settings":["CODING_SETTING_OUTPATIENT"],"specialties":["cardiology"],
  "pay":{"model":"PAY_MODEL_HOURLY","minCents":"2500","maxCents":"3200"},
  "codingTestRequired":true}})";

class JobsRoutesIntegrationTest : public test_support::SharedRedisTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SharedRedisTest::SetUp());
    auto client = redis::RedisClient::Create(test_support::RedisOptionsAs(*server_, "jobs"));
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = std::move(*client);
    ASSERT_TRUE(server_->FlushAll().ok());

    test_support::InProcessOptions services;
    services.redis = test_support::RedisOptionsAs(*server_, "account");
    account::AccountConfig& config = services.account.emplace().config;
    config.admin_emails = {kAdminEmail};
    config.registrations_per_address_per_day = 1000;
    config.guests_per_address_per_day = 1000;
    config.hash_workers = 2;
    auto started = test_support::InProcessServices::Start(std::move(services));
    ASSERT_TRUE(started.ok()) << started.status();
    services_ = *std::move(started);

    store_ = std::make_unique<jobs::RedisJobStore>(redis_.get());
    identity_ =
        std::make_unique<jobs::GrpcIdentityClient>(services_->account_address(), absl::Seconds(2));
    board_ = std::make_unique<jobs::JobBoard>(store_.get(), identity_.get(), &index_);
    pool_ = std::make_unique<common::WorkerPool>(2);
    jobs_service_ = std::make_unique<jobs::JobsServiceImpl>(board_.get(), pool_.get());
    common::ServerOptions server_options;
    server_options.service_name = "jobs";
    server_options.log_calls = false;
    auto jobs_server = common::RunningServer::Start(
        server_options, {common::Bind<jobs::v1::JobsService>(jobs_service_.get())});
    ASSERT_TRUE(jobs_server.ok()) << jobs_server.status();
    jobs_server_ = std::move(*jobs_server);

    // The assistant's erasure side on its own Redis user: tickets and
    // conversations are written through the same stores its server uses.
    auto assistant_redis =
        redis::RedisClient::Create(test_support::RedisOptionsAs(*server_, "assistant"));
    ASSERT_TRUE(assistant_redis.ok()) << assistant_redis.status();
    assistant_redis_ = std::move(*assistant_redis);
    tickets_ = std::make_unique<assistant::RedisTicketStore>(assistant_redis_.get(),
                                                             absl::Milliseconds(500));
    conversations_ = std::make_unique<assistant::RedisConversationStore>(
        assistant_redis_.get(), assistant::ConversationOptions{});
    erasure_ = std::make_unique<assistant::AccountErasure>(tickets_.get(), conversations_.get());
    assistant_service_ = std::make_unique<assistant::AssistantServiceImpl>(
        nullptr, nullptr, pool_.get(), erasure_.get());
    common::ServerOptions assistant_options;
    assistant_options.service_name = "assistant";
    assistant_options.log_calls = false;
    auto assistant_server = common::RunningServer::Start(
        assistant_options,
        {common::Bind<assistant::v1::AssistantService>(assistant_service_.get())});
    ASSERT_TRUE(assistant_server.ok()) << assistant_server.status();
    assistant_server_ = std::move(*assistant_server);

    // Catalogue and search are not started: nothing here calls them.
    backends_ = ConnectBackends({"127.0.0.1:1", "127.0.0.1:1", services_->account_address(),
                                 jobs_server_->address(), "127.0.0.1:1"},
                                absl::Seconds(5));
    std::vector<Route> routes =
        RoutesOf(backends_, {&SearchRoutes, &CodeRoutes, &AccountRoutes, &JobsRoutes});
    for (Route& r : AssistantRoutes(backends_, AssistantRouteOptions{})) {
      routes.push_back(std::move(r));
    }
    HttpServerOptions http;
    http.threads = 4;
    ASSERT_NO_FATAL_FAILURE(
        front_.Start(std::move(routes), GatewayOptions{.access_log = false}, http));

    admin_ = std::make_unique<Browser>(front_.origin);
    employer_ = std::make_unique<Browser>(front_.origin);
    coder_ = std::make_unique<Browser>(front_.origin);
    // The account service makes this OE_ADMIN_EMAILS address an admin once
    // its owner has opened the mailed verification link.
    ASSERT_NO_FATAL_FAILURE(admin_->Register(kAdminEmail, "ROLE_CODER"));
    ASSERT_TRUE(services_->VerifyEmail(kAdminEmail).ok());
    ASSERT_NO_FATAL_FAILURE(employer_->Register("boss@example.com", "ROLE_EMPLOYER"));
    ASSERT_NO_FATAL_FAILURE(coder_->Register("coder@example.com", "ROLE_CODER"));
  }

  void TearDown() override {
    front_.Shutdown();
    if (jobs_server_) jobs_server_->Shutdown();
    if (assistant_server_) assistant_server_->Shutdown();
    services_.reset();
  }

  // A posting of the employer, published: pending approval (first posting).
  std::string PendingPosting(std::string* version) {
    auto created = employer_->Send("POST", "/api/v1/postings", kPosting);
    EXPECT_EQ(created->status, 200) << created->body;
    const std::string id = JsonValue(created->body, "postingId");
    auto published = employer_->Send("POST", absl::StrCat("/api/v1/postings/", id, "/publish"));
    EXPECT_EQ(published->status, 200) << published->body;
    EXPECT_NE(published->body.find("POSTING_STATUS_PENDING_APPROVAL"), std::string::npos);
    *version = JsonValue(published->body, "version");
    return id;
  }

  // A published posting of the employer that the coder applied to (with a
  // cover note) and saved; the coder also asked CaseConsultant on the web
  // and talked to CasePilot. Returns the posting id; `coder_id` gets the
  // coder's account id.
  std::string CoderWithApplicationTicketAndConversation(std::string* coder_id) {
    std::string version;
    const std::string id = PendingPosting(&version);
    EXPECT_EQ(admin_
                  ->Send("POST", absl::StrCat("/api/v1/admin/postings/", id, "/review"),
                         absl::StrCat(R"({"approve":true,"expectedVersion":")", version, R"("})"))
                  ->status,
              200);
    auto applied = coder_->Send(
        "POST", absl::StrCat("/api/v1/jobs/", id, "/apply"),
        R"({"note":"Five years of cardiology coding.","resumeUrl":"https://example.com/cv.pdf"})");
    EXPECT_EQ(applied->status, 200) << applied->body;
    EXPECT_EQ(coder_->Send("POST", absl::StrCat("/api/v1/jobs/", id, "/save"))->status, 200);
    auto me = coder_->Send("GET", "/api/v1/account");
    EXPECT_EQ(me->status, 200) << me->body;
    *coder_id = JsonValue(me->body, "accountId");
    EXPECT_FALSE(coder_id->empty()) << me->body;
    assistant::NewTicket ticket;
    ticket.email.set_from_address("coder@example.com");
    ticket.email.set_subject("Modifier 25");
    ticket.email.set_text("Can 99214 and 99396 be billed on the same day?");
    ticket.email.set_message_id("<web-1@openencoder.local>");
    ticket.requester_account_id = *coder_id;
    EXPECT_TRUE(tickets_->Create(ticket, absl::Now()).ok());
    assistant::Turn turn;
    turn.question = "what is 99214";
    EXPECT_TRUE(conversations_->Append("conv-1", *coder_id, turn).ok());
    return id;
  }

  void DeleteCoder() {
    auto deleted = coder_->Send("POST", "/api/v1/account/delete",
                                absl::StrCat(R"({"password":")", kPassword, R"("})"));
    ASSERT_EQ(deleted->status, 200) << deleted->body;
  }

  // Waits (up to 20 s) until the account service has no erasure left to deliver.
  bool ErasuresDelivered() {
    for (int i = 0; i < 200; ++i) {
      auto pending = services_->account_backend()->erasure_outbox()->Pending();
      if (pending.ok() && pending->empty()) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  // What the employer sees of the posting's applicants, and whether the
  // person's data is gone from jobs and the assistant.
  void ExpectCoderErased(const std::string& posting, const std::string& coder_id) {
    auto applicants =
        employer_->Send("GET", absl::StrCat("/api/v1/postings/", posting, "/applicants"));
    ASSERT_EQ(applicants->status, 200) << applicants->body;
    EXPECT_NE(applicants->body.find("\"applicantDeleted\":true"), std::string::npos)
        << applicants->body;
    EXPECT_EQ(applicants->body.find("cardiology"), std::string::npos) << applicants->body;
    EXPECT_EQ(applicants->body.find("cv.pdf"), std::string::npos) << applicants->body;
    EXPECT_EQ(applicants->body.find(coder_id), std::string::npos) << applicants->body;
    // The employer still has the posting.
    auto posting_now = employer_->Send("GET", absl::StrCat("/api/v1/jobs/", posting));
    EXPECT_EQ(posting_now->status, 200) << posting_now->body;
    // Nothing in Redis names the coder any more.
    auto admin = redis::RedisClient::Create(test_support::RedisOptionsAs(*server_, "admin"));
    ASSERT_TRUE(admin.ok()) << admin.status();
    auto keys = (*admin)->Command({"KEYS", absl::StrCat("*", coder_id, "*")},
                                  absl::Now() + absl::Seconds(2));
    ASSERT_TRUE(keys.ok()) << keys.status();
    for (const redis::RedisReply& k : keys->elements()) ADD_FAILURE() << "left: " << k.str();
    auto ticket = tickets_->ListByRequester(coder_id, 10, "");
    ASSERT_TRUE(ticket.ok()) << ticket.status();
    EXPECT_TRUE(ticket->tickets.empty());
    EXPECT_TRUE(absl::IsNotFound(conversations_->Load("conv-1", coder_id).status()));
  }

  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<test_support::InProcessServices> services_;
  std::unique_ptr<jobs::RedisJobStore> store_;
  std::unique_ptr<jobs::GrpcIdentityClient> identity_;
  jobs::SearchIndex index_;
  std::unique_ptr<jobs::JobBoard> board_;
  std::unique_ptr<common::WorkerPool> pool_;
  std::unique_ptr<jobs::JobsServiceImpl> jobs_service_;
  std::unique_ptr<common::RunningServer> jobs_server_;
  std::unique_ptr<redis::RedisClient> assistant_redis_;
  std::unique_ptr<assistant::RedisTicketStore> tickets_;
  std::unique_ptr<assistant::RedisConversationStore> conversations_;
  std::unique_ptr<assistant::AccountErasure> erasure_;
  std::unique_ptr<assistant::AssistantServiceImpl> assistant_service_;
  std::unique_ptr<common::RunningServer> assistant_server_;
  Backends backends_;
  TestFront front_;
  std::unique_ptr<Browser> admin_, employer_, coder_;
};

TEST_F(JobsRoutesIntegrationTest, EmployerPostsAdminApprovesCoderAppliesEmployerSeesApplicant) {
  std::string version;
  const std::string id = PendingPosting(&version);
  auto queue = admin_->Send("GET", "/api/v1/admin/postings/pending");
  ASSERT_EQ(queue->status, 200) << queue->body;
  EXPECT_NE(queue->body.find(id), std::string::npos) << queue->body;
  auto approved =
      admin_->Send("POST", absl::StrCat("/api/v1/admin/postings/", id, "/review"),
                   absl::StrCat(R"({"approve":true,"expectedVersion":")", version, R"("})"));
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_NE(approved->body.find("POSTING_STATUS_PUBLISHED"), std::string::npos);

  auto found = coder_->Send("GET", "/api/v1/jobs?query=outpatient&filters.states=TX");
  ASSERT_EQ(found->status, 200) << found->body;
  EXPECT_NE(found->body.find(id), std::string::npos) << found->body;
  auto applied = coder_->Send(
      "POST", absl::StrCat("/api/v1/jobs/", id, "/apply"),
      R"({"note":"Five years of cardiology coding.","resumeUrl":"https://example.com/cv.pdf"})");
  ASSERT_EQ(applied->status, 200) << applied->body;
  const std::string application = JsonValue(applied->body, "applicationId");

  auto applicants = employer_->Send("GET", absl::StrCat("/api/v1/postings/", id, "/applicants"));
  ASSERT_EQ(applicants->status, 200) << applicants->body;
  EXPECT_NE(applicants->body.find("Five years of cardiology coding."), std::string::npos);
  auto marked = employer_->Send(
      "POST", absl::StrCat("/api/v1/postings/", id, "/applicants/", application, "/review"),
      R"({"reviewed":true})");
  ASSERT_EQ(marked->status, 200) << marked->body;
  EXPECT_NE(marked->body.find("reviewedAt"), std::string::npos) << marked->body;
}

TEST_F(JobsRoutesIntegrationTest, EmployerCannotModerateAndCoderCannotSeeApplicants) {
  std::string version;
  const std::string id = PendingPosting(&version);
  const std::string review_path = absl::StrCat("/api/v1/admin/postings/", id, "/review");
  const std::string approve =
      absl::StrCat(R"({"approve":true,"expectedVersion":")", version, R"("})");
  for (Browser* who : {employer_.get(), coder_.get()}) {
    auto queue = who->Send("GET", "/api/v1/admin/postings/pending");
    EXPECT_EQ(queue->status, 403) << queue->body;
    EXPECT_NE(queue->body.find("Only admins can moderate postings."), std::string::npos)
        << queue->body;
    auto review = who->Send("POST", review_path, approve);
    EXPECT_EQ(review->status, 403) << review->body;
  }
  // Still pending: nobody but an admin moved it.
  auto mine = employer_->Send("GET", "/api/v1/me/postings");
  EXPECT_NE(mine->body.find("POSTING_STATUS_PENDING_APPROVAL"), std::string::npos) << mine->body;

  ASSERT_EQ(admin_->Send("POST", review_path, approve)->status, 200);
  auto applied = coder_->Send("POST", absl::StrCat("/api/v1/jobs/", id, "/apply"),
                              R"({"resumeUrl":"https://example.com/cv.pdf"})");
  ASSERT_EQ(applied->status, 200) << applied->body;
  const std::string application = JsonValue(applied->body, "applicationId");
  auto peek = coder_->Send("GET", absl::StrCat("/api/v1/postings/", id, "/applicants"));
  EXPECT_EQ(peek->status, 403) << peek->body;
  auto mark = coder_->Send(
      "POST", absl::StrCat("/api/v1/postings/", id, "/applicants/", application, "/review"),
      R"({"reviewed":true})");
  EXPECT_EQ(mark->status, 403) << mark->body;
  // Coders do not post, employers do not apply, nobody else edits or closes.
  EXPECT_EQ(coder_->Send("POST", "/api/v1/postings", kPosting)->status, 403);
  EXPECT_EQ(employer_->Send("POST", absl::StrCat("/api/v1/jobs/", id, "/apply"), "{}")->status,
            403);
  Browser other(front_.origin);
  ASSERT_NO_FATAL_FAILURE(other.Register("rival@example.com", "ROLE_EMPLOYER"));
  EXPECT_EQ(other.Send("POST", absl::StrCat("/api/v1/postings/", id, "/close"))->status, 403);
  EXPECT_EQ(other.Send("GET", absl::StrCat("/api/v1/postings/", id, "/applicants"))->status, 403);
  // A guest is asked to sign in.
  Browser guest(front_.origin);
  EXPECT_EQ(guest.Send("GET", "/api/v1/admin/postings/pending")->status, 401);
}

TEST_F(JobsRoutesIntegrationTest, ReviewOfAVersionTheEmployerChangedSinceIsAConflict) {
  std::string version;
  const std::string id = PendingPosting(&version);
  std::string edited = kPosting;
  absl::StrReplaceAll({{"Outpatient coder\"", "Outpatient coder (edited)\""}}, &edited);
  edited.insert(edited.size() - 1, absl::StrCat(R"(,"expectedVersion":")", version, R"(")"));
  auto updated = employer_->Send("PUT", absl::StrCat("/api/v1/postings/", id), edited);
  ASSERT_EQ(updated->status, 200) << updated->body;
  auto stale =
      admin_->Send("POST", absl::StrCat("/api/v1/admin/postings/", id, "/review"),
                   absl::StrCat(R"({"approve":true,"expectedVersion":")", version, R"("})"));
  EXPECT_EQ(stale->status, 409) << stale->body;
  EXPECT_NE(stale->body.find("changed this posting after you opened it"), std::string::npos)
      << stale->body;
  auto rejected = admin_->Send(
      "POST", absl::StrCat("/api/v1/admin/postings/", id, "/review"),
      absl::StrCat(R"({"approve":false,"note":"Say what the pay is.","expectedVersion":")",
                   JsonValue(updated->body, "version"), R"("})"));
  ASSERT_EQ(rejected->status, 200) << rejected->body;
  auto mine = employer_->Send("GET", "/api/v1/me/postings");
  EXPECT_NE(mine->body.find("POSTING_STATUS_REJECTED"), std::string::npos) << mine->body;
  EXPECT_NE(mine->body.find("Say what the pay is."), std::string::npos) << mine->body;
}

TEST_F(JobsRoutesIntegrationTest, EveryStateChangingRouteRefusesMissingCsrfTokenAndOtherSites) {
  int writes = 0;
  for (const Route& route : front_.gateway->routes()) {
    const RouteSpec& spec = route.spec;
    if (IsSafeMethod(spec.method) || spec.csrf_exempt) continue;
    ++writes;
    // Every path parameter gets a harmless value: the request must be
    // refused before any backend hears of it.
    std::string path = spec.path;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      path.replace(open, path.find('}', open) - open + 1, "x1");
    }
    SCOPED_TRACE(absl::StrCat(spec.method, " ", spec.path));
    auto no_token = coder_->Send(spec.method, path, "{}", /*csrf=*/false);
    ASSERT_TRUE(no_token);
    EXPECT_EQ(no_token->status, 403) << no_token->body;
    auto cross_site = coder_->Send(spec.method, path, "{}", /*csrf=*/true, "https://evil.example");
    ASSERT_TRUE(cross_site);
    EXPECT_EQ(cross_site->status, 403) << cross_site->body;
  }
  EXPECT_GE(writes, 14) << "the jobs, moderation and account writes at least";
}

TEST_F(JobsRoutesIntegrationTest, BadInputIsAnsweredInSentencesNotFieldPaths) {
  std::string no_type = kPosting;
  absl::StrReplaceAll({{R"("employmentType":"EMPLOYMENT_TYPE_FULL_TIME",)", ""}}, &no_type);
  auto r = employer_->Send("POST", "/api/v1/postings", no_type);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("Employment type is required."), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find("fields."), std::string::npos) << r->body;

  auto state = coder_->Send("GET", "/api/v1/jobs?filters.states=ZZ");
  EXPECT_EQ(state->status, 400) << state->body;
  EXPECT_NE(state->body.find("two-letter US state code"), std::string::npos) << state->body;
  EXPECT_EQ(state->body.find("filters."), std::string::npos) << state->body;

  auto arrangement = coder_->Send("GET", "/api/v1/jobs?filters.arrangements=BEACH");
  EXPECT_EQ(arrangement->status, 400) << arrangement->body;
  EXPECT_EQ(arrangement->body.find("filters."), std::string::npos) << arrangement->body;

  std::string bad_zip = kPosting;
  absl::StrReplaceAll({{"78701", "787"}}, &bad_zip);
  auto zip = employer_->Send("POST", "/api/v1/postings", bad_zip);
  EXPECT_EQ(zip->status, 400);
  EXPECT_NE(zip->body.find("ZIP code must be 5 digits"), std::string::npos) << zip->body;
}

}  // namespace
}  // namespace openencoder::gateway

namespace openencoder::gateway {
namespace {

TEST_F(JobsRoutesIntegrationTest, DeletingAnAccountErasesItsJobAndAssistantData) {
  std::string coder_id;
  const std::string posting = CoderWithApplicationTicketAndConversation(&coder_id);
  services_->account_backend()->StartErasureDelivery(jobs_server_->address(),
                                                     assistant_server_->address(), "account");
  ASSERT_NO_FATAL_FAILURE(DeleteCoder());
  ASSERT_TRUE(ErasuresDelivered());
  ASSERT_NO_FATAL_FAILURE(ExpectCoderErased(posting, coder_id));
}

TEST_F(JobsRoutesIntegrationTest, AnErasureIsRetriedWhenJobsWasDownAtDeletionTime) {
  std::string coder_id;
  const std::string posting = CoderWithApplicationTicketAndConversation(&coder_id);
  account::ErasureOutbox* outbox = services_->account_backend()->erasure_outbox();
  // Jobs unreachable (nothing listens on port 1); the assistant answers.
  account::GrpcAccountDataEraser down("127.0.0.1:1", assistant_server_->address(),
                                      absl::Milliseconds(500), "account");
  outbox->SetEraser(&down);
  ASSERT_NO_FATAL_FAILURE(DeleteCoder());
  auto first = outbox->RunOnce();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 1) << "only the assistant acknowledged";
  auto pending = outbox->Pending();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(pending->size(), 1u) << "the jobs erasure is still owed";
  EXPECT_EQ(*outbox->Backlog(), 1);
  // The application is untouched so far.
  auto applicants =
      employer_->Send("GET", absl::StrCat("/api/v1/postings/", posting, "/applicants"));
  EXPECT_NE(applicants->body.find("cardiology"), std::string::npos) << applicants->body;

  // Jobs is back: the retry (after its backoff) delivers it.
  account::GrpcAccountDataEraser up(jobs_server_->address(), assistant_server_->address(),
                                    absl::Seconds(5), "account");
  outbox->SetEraser(&up);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(outbox->RunOnce().ok());
    pending = outbox->Pending();
    if (pending.ok() && pending->empty()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(pending.ok() && pending->empty());
  ASSERT_NO_FATAL_FAILURE(ExpectCoderErased(posting, coder_id));
  // A repeat is harmless: the jobs service finds nothing more to change.
  auto stub = jobs::v1::JobsService::NewStub(
      common::MakeChannel(jobs_server_->address(), {.client_identity = "account"}));
  jobs::v1::EraseAccountDataRequest again;
  again.set_account_id(coder_id);
  jobs::v1::EraseAccountDataResponse out;
  auto context = common::MakeClientContext(absl::Seconds(5));
  ASSERT_TRUE(stub->EraseAccountData(context.get(), again, &out).ok());
  EXPECT_EQ(out.applications_anonymised(), 0);
  outbox->SetEraser(nullptr);
}

}  // namespace
}  // namespace openencoder::gateway
