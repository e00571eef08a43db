// The job board end to end: real JobsService over gRPC on loopback, real
// Redis (AOF, appendfsync always), identity from the real account service
// (in-process, same Redis, real gRPC: coders and employers register, the
// admin is a verified OE_ADMIN_EMAILS address), and a clock the test moves forward.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/redis/redis_client.h"
#include "services/common/server.h"
#include "services/common/time_proto.h"
#include "services/common/tls.h"
#include "services/jobs/grpc_identity_client.h"
#include "services/jobs/index_feed.h"
#include "services/jobs/job_board.h"
#include "services/jobs/jobs_service.h"
#include "services/jobs/redis_job_store.h"
#include "services/jobs/redis_keys.h"
#include "tests/jobs/posting_fields.h"
#include "tests/support/inprocess_services.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::jobs {
namespace {

using account::v1::ROLE_CODER;
using account::v1::ROLE_EMPLOYER;

constexpr int kDailyLimit = 5;
constexpr char kPassword[] = "purple-otter-tuesday";
constexpr char kAdminEmail[] = "admin@example.com";

class JobsIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    test_support::RedisServerOptions options;
    options.appendonly = true;
    auto server = test_support::RedisServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete redis_server_;
    redis_server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(redis_server_, nullptr);
    // The store under test connects as the jobs service's own Redis user.
    redis::RedisOptions options = test_support::RedisOptionsAs(*redis_server_, "jobs");
    options.pool_size = 12;
    auto client = redis::RedisClient::Create(options);
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = std::move(*client);
    ASSERT_TRUE(redis_server_->FlushAll().ok());

    // Identity is the real account service, on the same Redis.
    test_support::InProcessOptions services;
    services.redis = test_support::RedisOptionsAs(*redis_server_, "account");
    account::AccountConfig& account_config = services.account.emplace().config;
    account_config.admin_emails = {kAdminEmail};
    account_config.registrations_per_address_per_day = 1000;
    account_config.hash_workers = 2;
    auto started = test_support::InProcessServices::Start(std::move(services));
    ASSERT_TRUE(started.ok()) << started.status();
    services_ = *std::move(started);
    account_stub_ =
        account::v1::AccountService::NewStub(common::MakeChannel(services_->account_address()));
    ASSERT_NO_FATAL_FAILURE(Register("coder1", ROLE_CODER));
    ASSERT_NO_FATAL_FAILURE(Register("coder2", ROLE_CODER));
    ASSERT_NO_FATAL_FAILURE(Register("employer1", ROLE_EMPLOYER));
    ASSERT_NO_FATAL_FAILURE(Register("employer2", ROLE_EMPLOYER));
    // Admins register like anyone; the account service adds ROLE_ADMIN for
    // the configured address once its owner opens the verification link.
    ASSERT_NO_FATAL_FAILURE(Register("admin", ROLE_CODER, kAdminEmail));
    ASSERT_TRUE(services_->VerifyEmail(kAdminEmail).ok());

    store_ = std::make_unique<RedisJobStore>(redis_.get());
    identity_ =
        std::make_unique<GrpcIdentityClient>(services_->account_address(), absl::Seconds(2));
    JobBoardOptions board_options;
    board_options.daily_posting_limit = kDailyLimit;
    board_options.now = [this] { return start_ + absl::Seconds(clock_offset_s_.load()); };
    board_ = std::make_unique<JobBoard>(store_.get(), identity_.get(), &index_, board_options);
    pool_ = std::make_unique<common::WorkerPool>(4);
    service_ = std::make_unique<JobsServiceImpl>(board_.get(), pool_.get());
    common::ServerOptions server_options;
    server_options.service_name = "jobs";
    server_options.log_calls = false;
    auto jobs_server = common::RunningServer::Start(
        server_options, {common::Bind<v1::JobsService>(service_.get())});
    ASSERT_TRUE(jobs_server.ok()) << jobs_server.status();
    jobs_server_ = std::move(*jobs_server);
    stub_ = v1::JobsService::NewStub(common::MakeChannel(jobs_server_->address()));
  }

  void TearDown() override {
    if (jobs_server_) jobs_server_->Shutdown();
    services_.reset();
  }

  // Registers `who` with the real account service and keeps its session.
  void Register(const std::string& who, account::v1::Role role, std::string email = "") {
    account::v1::RegisterRequest request;
    request.set_email(email.empty() ? absl::StrCat(who, "@example.com") : email);
    request.set_password(kPassword);
    request.set_display_name(who);
    request.set_role(role);
    request.set_client_address("10.0.0.1");
    account::v1::RegisterResponse response;
    auto context = common::MakeClientContext(absl::Seconds(10));
    grpc::Status s = account_stub_->Register(context.get(), request, &response);
    ASSERT_TRUE(s.ok()) << who << ": " << s.error_message();
    sessions_[who] = response.session().token();
  }

  // The session token of a registered name; any other name is passed
  // through as a token the account service never issued.
  std::string Session(const std::string& who) const {
    auto it = sessions_.find(who);
    return it == sessions_.end() ? who : it->second;
  }

  void Advance(absl::Duration d) { clock_offset_s_ += absl::ToInt64Seconds(d); }
  absl::Time Now() const { return start_ + absl::Seconds(clock_offset_s_.load()); }

  // Calls one RPC with a fresh context; returns the status.
  template <typename Req, typename Resp, typename Method>
  grpc::Status Call(Method method, const Req& request, Resp* response) {
    auto context = common::MakeClientContext(absl::Seconds(10));
    return (stub_.get()->*method)(context.get(), request, response);
  }

  absl::StatusOr<v1::JobPosting> Create(const std::string& who, const v1::PostingFields& f) {
    v1::CreatePostingRequest request;
    request.set_session_token(Session(who));
    *request.mutable_fields() = f;
    v1::CreatePostingResponse response;
    grpc::Status s = Call(&v1::JobsService::Stub::CreatePosting, request, &response);
    if (!s.ok())
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    return response.posting();
  }

  absl::StatusOr<v1::JobPosting> Publish(const std::string& who, const std::string& id) {
    v1::PublishPostingRequest request;
    request.set_session_token(Session(who));
    request.set_posting_id(id);
    v1::PublishPostingResponse response;
    grpc::Status s = Call(&v1::JobsService::Stub::PublishPosting, request, &response);
    if (!s.ok())
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    return response.posting();
  }

  // Makes e1 trusted (one approved posting) so later postings go live at once.
  void TrustEmployer(const std::string& who) {
    auto p = Create(who, ValidPostingFields("Seed posting"));
    ASSERT_TRUE(p.ok()) << p.status();
    auto pending = Publish(who, p->posting_id());
    ASSERT_TRUE(pending.ok()) << pending.status();
    ASSERT_EQ(pending->status(), v1::POSTING_STATUS_PENDING_APPROVAL);
    v1::ReviewPostingRequest review;
    review.set_session_token(Session("admin"));
    review.set_posting_id(p->posting_id());
    review.set_approve(true);
    review.set_expected_version(pending->version());
    v1::ReviewPostingResponse reviewed;
    ASSERT_TRUE(Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed).ok());
    ASSERT_TRUE(Close(who, p->posting_id()).ok());
  }

  grpc::Status Close(const std::string& who, const std::string& id) {
    v1::ClosePostingRequest request;
    request.set_session_token(Session(who));
    request.set_posting_id(id);
    v1::ClosePostingResponse response;
    return Call(&v1::JobsService::Stub::ClosePosting, request, &response);
  }

  // A published posting of e1 (trusted first).
  v1::JobPosting Live(const v1::PostingFields& f) {
    auto p = Create("employer1", f);
    EXPECT_TRUE(p.ok()) << p.status();
    auto published = Publish("employer1", p->posting_id());
    EXPECT_TRUE(published.ok()) << published.status();
    EXPECT_EQ(published->status(), v1::POSTING_STATUS_PUBLISHED);
    return *published;
  }

  v1::SearchJobsResponse Search(const v1::SearchJobsRequest& request) {
    v1::SearchJobsResponse response;
    grpc::Status s = Call(&v1::JobsService::Stub::SearchJobs, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  std::set<std::string> SearchIds(const v1::SearchJobsRequest& request) {
    std::set<std::string> ids;
    const v1::SearchJobsResponse response = Search(request);
    for (const auto& p : response.postings()) ids.insert(p.posting_id());
    return ids;
  }

  grpc::Status ApplyAs(const std::string& who, const std::string& id, v1::ApplyResponse* response) {
    v1::ApplyRequest request;
    request.set_session_token(Session(who));
    request.set_posting_id(id);
    request.set_note("Five years of outpatient coding.");
    request.set_resume_url("https://example.com/resume.pdf");
    return Call(&v1::JobsService::Stub::Apply, request, response);
  }

  static test_support::RedisServer* redis_server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<test_support::InProcessServices> services_;  // the account service
  std::unique_ptr<account::v1::AccountService::Stub> account_stub_;
  absl::flat_hash_map<std::string, std::string> sessions_;  // name -> token
  std::unique_ptr<RedisJobStore> store_;
  std::unique_ptr<GrpcIdentityClient> identity_;
  SearchIndex index_;
  const absl::Time start_ = absl::Now();
  std::atomic<int64_t> clock_offset_s_{0};
  std::unique_ptr<JobBoard> board_;
  std::unique_ptr<common::WorkerPool> pool_;
  std::unique_ptr<JobsServiceImpl> service_;
  std::unique_ptr<common::RunningServer> jobs_server_;
  std::unique_ptr<v1::JobsService::Stub> stub_;
};

test_support::RedisServer* JobsIntegrationTest::redis_server_ = nullptr;

TEST_F(JobsIntegrationTest, FirstPostingWaitsForApprovalThenEmployerIsTrusted) {
  auto draft = Create("employer1", ValidPostingFields("Outpatient coder"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->status(), v1::POSTING_STATUS_DRAFT);
  EXPECT_EQ(draft->version(), 1);

  auto pending = Publish("employer1", draft->posting_id());
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(pending->status(), v1::POSTING_STATUS_PENDING_APPROVAL);
  EXPECT_TRUE(SearchIds({}).empty()) << "pending postings are not searchable";

  v1::ListPendingPostingsRequest list;
  list.set_session_token(Session("admin"));
  v1::ListPendingPostingsResponse queue;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListPendingPostings, list, &queue).ok());
  ASSERT_EQ(queue.postings_size(), 1);
  EXPECT_EQ(queue.postings(0).posting_id(), draft->posting_id());

  v1::ReviewPostingRequest review;
  review.set_session_token(Session("admin"));
  review.set_posting_id(draft->posting_id());
  review.set_approve(true);
  review.set_expected_version(queue.postings(0).version());
  v1::ReviewPostingResponse reviewed;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed).ok());
  EXPECT_EQ(reviewed.posting().status(), v1::POSTING_STATUS_PUBLISHED);
  EXPECT_TRUE(reviewed.posting().has_posted_at());
  EXPECT_EQ(SearchIds({}), std::set<std::string>{draft->posting_id()});

  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListPendingPostings, list, &queue).ok());
  EXPECT_EQ(queue.postings_size(), 0);

  // Second posting: the employer is trusted now.
  auto second = Create("employer1", ValidPostingFields("Inpatient coder"));
  ASSERT_TRUE(second.ok());
  auto live = Publish("employer1", second->posting_id());
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->status(), v1::POSTING_STATUS_PUBLISHED);
  // Publishing again is a no-op.
  auto again = Publish("employer1", second->posting_id());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version(), live->version());
}

TEST_F(JobsIntegrationTest, RejectedPostingStaysOutOfSearchAndCarriesTheNote) {
  auto draft = Create("employer2", ValidPostingFields("Too good to be true"));
  ASSERT_TRUE(draft.ok());
  auto pending = Publish("employer2", draft->posting_id());
  ASSERT_TRUE(pending.ok());
  v1::ReviewPostingRequest review;
  review.set_session_token(Session("admin"));
  review.set_posting_id(draft->posting_id());
  review.set_approve(false);
  review.set_expected_version(pending->version());
  v1::ReviewPostingResponse reviewed;
  // A rejection must say why: the employer reads the note.
  EXPECT_EQ(Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed).error_code(),
            grpc::INVALID_ARGUMENT);
  review.set_note("pay range is not credible");
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed).ok());
  EXPECT_EQ(reviewed.posting().status(), v1::POSTING_STATUS_REJECTED);
  EXPECT_EQ(reviewed.posting().review_note(), "pay range is not credible");
  EXPECT_TRUE(SearchIds({}).empty());
  // Reviewing twice: not pending any more.
  grpc::Status s = Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  // Rejected postings are hidden from the public.
  v1::GetPostingRequest get;
  get.set_posting_id(draft->posting_id());
  v1::GetPostingResponse got;
  EXPECT_EQ(Call(&v1::JobsService::Stub::GetPosting, get, &got).error_code(), grpc::NOT_FOUND);
}

TEST_F(JobsIntegrationTest, EditCloseRenewFollowTheLifecycle) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder II"));

  v1::UpdatePostingRequest update;
  update.set_session_token(Session("employer1"));
  update.set_posting_id(live.posting_id());
  *update.mutable_fields() = ValidPostingFields("Coder III");
  update.set_expected_version(live.version());
  v1::UpdatePostingResponse updated;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::UpdatePosting, update, &updated).ok());
  EXPECT_EQ(updated.posting().fields().title(), "Coder III");
  EXPECT_EQ(updated.posting().version(), live.version() + 1);
  EXPECT_EQ(updated.posting().fields().closes_at().seconds(), live.fields().closes_at().seconds())
      << "editing keeps the closing date";

  // The same expected_version again lost the race.
  EXPECT_EQ(Call(&v1::JobsService::Stub::UpdatePosting, update, &updated).error_code(),
            grpc::ABORTED);

  v1::SearchJobsRequest query;
  query.set_query("coder iii");
  EXPECT_EQ(SearchIds(query), std::set<std::string>{live.posting_id()})
      << "the writer's own search sees the edit at once";

  ASSERT_TRUE(Close("employer1", live.posting_id()).ok());
  ASSERT_TRUE(Close("employer1", live.posting_id()).ok()) << "close is idempotent";
  EXPECT_TRUE(SearchIds({}).empty());
  update.set_expected_version(0);
  EXPECT_EQ(Call(&v1::JobsService::Stub::UpdatePosting, update, &updated).error_code(),
            grpc::FAILED_PRECONDITION);
  v1::RenewPostingRequest renew;
  renew.set_session_token(Session("employer1"));
  renew.set_posting_id(live.posting_id());
  v1::RenewPostingResponse renewed;
  EXPECT_EQ(Call(&v1::JobsService::Stub::RenewPosting, renew, &renewed).error_code(),
            grpc::FAILED_PRECONDITION);
  v1::ApplyResponse applied;
  EXPECT_EQ(ApplyAs("coder1", live.posting_id(), &applied).error_code(), grpc::NOT_FOUND);
}

TEST_F(JobsIntegrationTest, ExpiredPostingLeavesSearchAtItsTimeAndRenewBringsItBack) {
  TrustEmployer("employer1");
  v1::PostingFields f = ValidPostingFields("Short contract");
  common::SetTimestamp(Now() + absl::Hours(48), f.mutable_closes_at());
  v1::JobPosting live = Live(f);
  v1::JobPosting default_life = Live(ValidPostingFields("Standard"));
  EXPECT_EQ(common::FromTimestamp(default_life.fields().closes_at()) -
                common::FromTimestamp(default_life.posted_at()),
            absl::Hours(24 * 30));
  EXPECT_EQ(SearchIds({}).size(), 2u);

  Advance(absl::Hours(49));  // nothing runs; the clock just moves
  EXPECT_EQ(SearchIds({}), std::set<std::string>{default_life.posting_id()});
  v1::GetPostingRequest get;
  get.set_posting_id(live.posting_id());
  v1::GetPostingResponse got;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::GetPosting, get, &got).ok());
  EXPECT_EQ(got.posting().status(), v1::POSTING_STATUS_EXPIRED);
  v1::ApplyResponse applied;
  EXPECT_EQ(ApplyAs("coder1", live.posting_id(), &applied).error_code(), grpc::NOT_FOUND)
      << "the store refuses applications to expired postings by itself";

  v1::RenewPostingRequest renew;
  renew.set_session_token(Session("employer1"));
  renew.set_posting_id(live.posting_id());
  common::SetTimestamp(Now() + absl::Hours(24 * 91), renew.mutable_closes_at());
  v1::RenewPostingResponse renewed;
  EXPECT_EQ(Call(&v1::JobsService::Stub::RenewPosting, renew, &renewed).error_code(),
            grpc::INVALID_ARGUMENT);
  renew.clear_closes_at();
  ASSERT_TRUE(Call(&v1::JobsService::Stub::RenewPosting, renew, &renewed).ok());
  EXPECT_EQ(renewed.posting().status(), v1::POSTING_STATUS_PUBLISHED);
  EXPECT_EQ(SearchIds({}).size(), 2u);
  EXPECT_TRUE(ApplyAs("coder1", live.posting_id(), &applied).ok());
}

TEST_F(JobsIntegrationTest, DailyPostingLimitStopsTheNextCreate) {
  for (int i = 0; i < kDailyLimit; ++i)
    ASSERT_TRUE(Create("employer2", ValidPostingFields("Ad")).ok());
  auto over = Create("employer2", ValidPostingFields("Ad"));
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Create("employer1", ValidPostingFields("Ad")).ok()) << "the limit is per employer";
  Advance(absl::Hours(24));
  EXPECT_TRUE(Create("employer2", ValidPostingFields("Ad")).ok()) << "a new day, a new allowance";
}

TEST_F(JobsIntegrationTest, EveryFilterSortAndFacet) {
  TrustEmployer("employer1");
  v1::PostingFields a = ValidPostingFields("Remote risk adjustment coder");
  a.set_arrangement(v1::WORK_ARRANGEMENT_REMOTE);
  a.mutable_location()->Clear();
  a.clear_credentials_required();
  a.add_credentials_required("CRC");
  a.set_cpc_a_accepted(true);
  a.clear_settings();
  a.add_settings(v1::CODING_SETTING_RISK_ADJUSTMENT);
  a.clear_specialties();
  a.add_specialties("oncology");
  a.mutable_pay()->set_model(v1::PAY_MODEL_SALARY);
  a.mutable_pay()->set_min_cents(5000000);
  a.mutable_pay()->set_max_cents(7000000);  // $70k
  v1::JobPosting pa = Live(a);
  Advance(absl::Hours(24 * 10));

  v1::PostingFields b = ValidPostingFields("Inpatient coder");  // on-site TX, CPC, $30/h = $62,400
  b.set_description("DRG validation, coder for inpatient charts.");
  b.clear_settings();
  b.add_settings(v1::CODING_SETTING_INPATIENT);
  v1::JobPosting pb = Live(b);
  Advance(absl::Hours(24 * 2));

  v1::PostingFields c = ValidPostingFields("Hybrid pro-fee auditor");
  c.set_arrangement(v1::WORK_ARRANGEMENT_HYBRID);
  c.mutable_location()->set_state("NY");
  c.add_remote_states("NJ");
  c.add_credentials_preferred("CPMA");
  c.clear_settings();
  c.add_settings(v1::CODING_SETTING_PRO_FEE);
  c.mutable_pay()->set_min_cents(4000);
  c.mutable_pay()->set_max_cents(4500);  // $93,600
  v1::JobPosting pc = Live(c);

  auto ids = [](std::initializer_list<const v1::JobPosting*> ps) {
    std::set<std::string> out;
    for (const auto* p : ps) out.insert(p->posting_id());
    return out;
  };
  v1::SearchJobsRequest q;
  q.mutable_filters()->add_arrangements(v1::WORK_ARRANGEMENT_REMOTE);
  EXPECT_EQ(SearchIds(q), ids({&pa}));
  q.Clear();
  q.mutable_filters()->add_states("tx");
  EXPECT_EQ(SearchIds(q), ids({&pa, &pb})) << "remote with no state list is open to TX";
  q.Clear();
  q.mutable_filters()->add_states("NJ");
  EXPECT_EQ(SearchIds(q), ids({&pa, &pc})) << "remote-eligible state counts";
  q.Clear();
  q.mutable_filters()->add_credentials("CPMA");
  EXPECT_EQ(SearchIds(q), ids({&pc})) << "preferred credentials count";
  q.Clear();
  q.mutable_filters()->add_credentials("CPC");
  EXPECT_EQ(SearchIds(q), ids({&pb, &pc}));
  q.Clear();
  q.mutable_filters()->set_cpc_a_accepted(true);
  EXPECT_EQ(SearchIds(q), ids({&pa}));
  q.Clear();
  q.mutable_filters()->add_settings(v1::CODING_SETTING_INPATIENT);
  q.mutable_filters()->add_settings(v1::CODING_SETTING_PRO_FEE);
  EXPECT_EQ(SearchIds(q), ids({&pb, &pc}));
  q.Clear();
  q.mutable_filters()->add_specialties("Oncology");
  EXPECT_EQ(SearchIds(q), ids({&pa}));
  q.Clear();
  q.mutable_filters()->set_min_pay_cents_yearly(6500000);
  EXPECT_EQ(SearchIds(q), ids({&pa, &pc}));
  q.Clear();
  q.mutable_filters()->set_posted_within_days(5);
  EXPECT_EQ(SearchIds(q), ids({&pb, &pc}));
  q.Clear();
  q.set_query("coders");
  EXPECT_EQ(SearchIds(q), ids({&pa, &pb})) << "keywords over title and description";
  q.mutable_filters()->add_states("TX");
  q.mutable_filters()->add_settings(v1::CODING_SETTING_INPATIENT);
  EXPECT_EQ(SearchIds(q), ids({&pb})) << "keyword and two filters";

  // Sorts.
  q.Clear();
  q.set_sort(v1::JOB_SORT_NEWEST);
  auto r = Search(q);
  ASSERT_EQ(r.postings_size(), 3);
  EXPECT_EQ(r.postings(0).posting_id(), pc.posting_id());
  EXPECT_EQ(r.postings(2).posting_id(), pa.posting_id());
  q.set_sort(v1::JOB_SORT_PAY);
  r = Search(q);
  ASSERT_EQ(r.postings_size(), 3);
  EXPECT_EQ(r.postings(0).posting_id(), pc.posting_id());  // $93,600
  EXPECT_EQ(r.postings(1).posting_id(), pa.posting_id());  // $70,000
  EXPECT_EQ(r.postings(2).posting_id(), pb.posting_id());  // $62,400
  q.set_query("inpatient");
  q.set_sort(v1::JOB_SORT_RELEVANCE);
  r = Search(q);
  ASSERT_EQ(r.postings_size(), 1);
  q.set_query("coder");
  r = Search(q);
  ASSERT_EQ(r.postings_size(), 2);
  EXPECT_EQ(r.postings(0).posting_id(), pb.posting_id()) << "'coder' in title and description";

  // Paging.
  q.Clear();
  q.set_page_size(2);
  r = Search(q);
  EXPECT_EQ(r.total_count(), 3);
  ASSERT_EQ(r.postings_size(), 2);
  ASSERT_FALSE(r.next_page_token().empty());
  q.set_page_token(r.next_page_token());
  auto r2 = Search(q);
  ASSERT_EQ(r2.postings_size(), 1);
  EXPECT_TRUE(r2.next_page_token().empty());
  q.set_page_token("garbage");
  v1::SearchJobsResponse bad;
  EXPECT_EQ(Call(&v1::JobsService::Stub::SearchJobs, q, &bad).error_code(), grpc::INVALID_ARGUMENT);

  // Facets over the filtered set.
  q.Clear();
  q.mutable_filters()->add_credentials("CPC");
  r = Search(q);
  std::map<std::string, std::map<std::string, int64_t>> facets;
  for (const auto& facet : r.facets()) {
    for (const auto& v : facet.values()) facets[facet.name()][v.value()] = v.count();
  }
  EXPECT_EQ(facets["arrangement"]["WORK_ARRANGEMENT_ON_SITE"], 1);
  EXPECT_EQ(facets["arrangement"]["WORK_ARRANGEMENT_HYBRID"], 1);
  EXPECT_EQ(facets["arrangement"].count("WORK_ARRANGEMENT_REMOTE"), 0u);
  EXPECT_EQ(facets["state"]["TX"], 1);
  EXPECT_EQ(facets["state"]["NY"], 1);
  EXPECT_EQ(facets["state"]["NJ"], 1);
  EXPECT_EQ(facets["credential"]["CPC"], 2);
  EXPECT_EQ(facets["credential"]["CPMA"], 1);
  EXPECT_EQ(facets["setting"]["CODING_SETTING_INPATIENT"], 1);
  EXPECT_EQ(facets["specialty"]["cardiology"], 2);

  // Applicant counts are never public.
  for (const auto& p : r.postings()) EXPECT_EQ(p.applicant_count(), 0);
}

TEST_F(JobsIntegrationTest, RepeatApplicationReturnsTheExistingOne) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder"));
  v1::ApplyResponse first, second;
  ASSERT_TRUE(ApplyAs("coder1", live.posting_id(), &first).ok());
  EXPECT_FALSE(first.existing());
  EXPECT_EQ(first.application().status(), v1::APPLICATION_STATUS_SUBMITTED);
  ASSERT_TRUE(ApplyAs("coder1", live.posting_id(), &second).ok());
  EXPECT_TRUE(second.existing());
  EXPECT_EQ(second.application().application_id(), first.application().application_id());

  v1::GetPostingRequest get;
  get.set_session_token(Session("employer1"));
  get.set_posting_id(live.posting_id());
  v1::GetPostingResponse got;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::GetPosting, get, &got).ok());
  EXPECT_EQ(got.posting().applicant_count(), 1);
}

TEST_F(JobsIntegrationTest, ConcurrentApplicationsCreateOneRecordPerCoder) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder"));
  for (int i = 0; i < 6; ++i) {
    ASSERT_NO_FATAL_FAILURE(Register(absl::StrCat("c", i), ROLE_CODER));
  }
  std::atomic<int> created{0}, existing{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) {
        v1::ApplyResponse r;
        grpc::Status s = ApplyAs(absl::StrCat("c", (i + t) % 6), live.posting_id(), &r);
        if (!s.ok()) {
          ++failed;
        } else if (r.existing()) {
          ++existing;
        } else {
          ++created;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), 6) << "exactly one new application per coder";
  EXPECT_EQ(existing.load(), 12 * 6 - 6);
  v1::ListApplicantsRequest list;
  list.set_session_token(Session("employer1"));
  list.set_posting_id(live.posting_id());
  v1::ListApplicantsResponse applicants;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListApplicants, list, &applicants).ok());
  EXPECT_EQ(applicants.applications_size(), 6);
  v1::GetPostingRequest get;
  get.set_session_token(Session("employer1"));
  get.set_posting_id(live.posting_id());
  v1::GetPostingResponse got;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::GetPosting, get, &got).ok());
  EXPECT_EQ(got.posting().applicant_count(), 6);
}

TEST_F(JobsIntegrationTest, ConcurrentEditsWithTheSameVersionLetOneWin) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder"));
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      v1::UpdatePostingRequest update;
      update.set_session_token(Session("employer1"));
      update.set_posting_id(live.posting_id());
      *update.mutable_fields() = ValidPostingFields(absl::StrCat("Edit ", t));
      update.set_expected_version(live.version());
      v1::UpdatePostingResponse r;
      grpc::Status s = Call(&v1::JobsService::Stub::UpdatePosting, update, &r);
      if (s.ok()) ++ok;
      if (s.error_code() == grpc::ABORTED) ++aborted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 7);
}

TEST_F(JobsIntegrationTest, WithdrawIsTheCodersOwnAndReapplyingReopens) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder"));
  v1::ApplyResponse applied;
  ASSERT_TRUE(ApplyAs("coder1", live.posting_id(), &applied).ok());
  v1::WithdrawApplicationRequest withdraw;
  withdraw.set_application_id(applied.application().application_id());
  v1::WithdrawApplicationResponse withdrawn;
  withdraw.set_session_token(Session("coder2"));
  EXPECT_EQ(Call(&v1::JobsService::Stub::WithdrawApplication, withdraw, &withdrawn).error_code(),
            grpc::NOT_FOUND);
  withdraw.set_session_token(Session("coder1"));
  ASSERT_TRUE(Call(&v1::JobsService::Stub::WithdrawApplication, withdraw, &withdrawn).ok());
  EXPECT_EQ(withdrawn.application().status(), v1::APPLICATION_STATUS_WITHDRAWN);
  ASSERT_TRUE(Call(&v1::JobsService::Stub::WithdrawApplication, withdraw, &withdrawn).ok())
      << "idempotent";

  v1::ListMyApplicationsRequest mine;
  mine.set_session_token(Session("coder1"));
  v1::ListMyApplicationsResponse my;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListMyApplications, mine, &my).ok());
  ASSERT_EQ(my.applications_size(), 1);
  EXPECT_EQ(my.applications(0).status(), v1::APPLICATION_STATUS_WITHDRAWN);
  EXPECT_EQ(my.applications(0).posting_title(), "Coder");
  mine.set_session_token(Session("coder2"));
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListMyApplications, mine, &my).ok());
  EXPECT_EQ(my.applications_size(), 0) << "a coder sees only their own applications";

  v1::ApplyResponse again;
  ASSERT_TRUE(ApplyAs("coder1", live.posting_id(), &again).ok());
  EXPECT_EQ(again.application().status(), v1::APPLICATION_STATUS_SUBMITTED);
  EXPECT_EQ(again.application().application_id(), applied.application().application_id());
}

TEST_F(JobsIntegrationTest, PermissionRules) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder"));
  v1::ApplyResponse applied;
  ASSERT_TRUE(ApplyAs("coder1", live.posting_id(), &applied).ok());

  // Unauthenticated.
  EXPECT_EQ(Create("", ValidPostingFields("x")).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Create("stolen", ValidPostingFields("x")).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ApplyAs("", live.posting_id(), &applied).error_code(), grpc::UNAUTHENTICATED);
  v1::ListMyApplicationsRequest mine;
  v1::ListMyApplicationsResponse my;
  EXPECT_EQ(Call(&v1::JobsService::Stub::ListMyApplications, mine, &my).error_code(),
            grpc::UNAUTHENTICATED);
  v1::SaveJobRequest save;
  save.set_posting_id(live.posting_id());
  v1::SaveJobResponse saved;
  EXPECT_EQ(Call(&v1::JobsService::Stub::SaveJob, save, &saved).error_code(),
            grpc::UNAUTHENTICATED);

  // Roles.
  EXPECT_EQ(Create("coder1", ValidPostingFields("x")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ApplyAs("employer2", live.posting_id(), &applied).error_code(),
            grpc::PERMISSION_DENIED);
  v1::ListPendingPostingsRequest pending;
  pending.set_session_token(Session("employer1"));
  v1::ListPendingPostingsResponse queue;
  EXPECT_EQ(Call(&v1::JobsService::Stub::ListPendingPostings, pending, &queue).error_code(),
            grpc::PERMISSION_DENIED);
  v1::ReviewPostingRequest review;
  review.set_session_token(Session("employer1"));
  review.set_posting_id(live.posting_id());
  review.set_expected_version(live.version());
  v1::ReviewPostingResponse reviewed;
  EXPECT_EQ(Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed).error_code(),
            grpc::PERMISSION_DENIED);

  // Ownership: another employer neither edits nor sees applicants.
  v1::UpdatePostingRequest update;
  update.set_session_token(Session("employer2"));
  update.set_posting_id(live.posting_id());
  *update.mutable_fields() = ValidPostingFields("Hijacked");
  v1::UpdatePostingResponse updated;
  EXPECT_EQ(Call(&v1::JobsService::Stub::UpdatePosting, update, &updated).error_code(),
            grpc::PERMISSION_DENIED);
  EXPECT_EQ(Close("employer2", live.posting_id()).error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(Publish("employer2", live.posting_id()).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListApplicantsRequest list;
  list.set_posting_id(live.posting_id());
  v1::ListApplicantsResponse applicants;
  list.set_session_token(Session("employer2"));
  EXPECT_EQ(Call(&v1::JobsService::Stub::ListApplicants, list, &applicants).error_code(),
            grpc::PERMISSION_DENIED);
  list.set_session_token(Session("coder1"));
  EXPECT_EQ(Call(&v1::JobsService::Stub::ListApplicants, list, &applicants).error_code(),
            grpc::PERMISSION_DENIED);
  // ...but an admin does.
  list.set_session_token(Session("admin"));
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListApplicants, list, &applicants).ok());
  EXPECT_EQ(applicants.applications_size(), 1);
  update.set_session_token(Session("admin"));
  EXPECT_TRUE(Call(&v1::JobsService::Stub::UpdatePosting, update, &updated).ok());

  // Drafts are invisible to others.
  auto draft = Create("employer1", ValidPostingFields("Draft"));
  ASSERT_TRUE(draft.ok());
  v1::GetPostingRequest get;
  get.set_posting_id(draft->posting_id());
  v1::GetPostingResponse got;
  get.set_session_token(Session("employer2"));
  EXPECT_EQ(Call(&v1::JobsService::Stub::GetPosting, get, &got).error_code(), grpc::NOT_FOUND);
  get.set_session_token(Session("employer1"));
  EXPECT_TRUE(Call(&v1::JobsService::Stub::GetPosting, get, &got).ok());
  v1::ListMyPostingsRequest my_postings;
  my_postings.set_session_token(Session("employer2"));
  v1::ListMyPostingsResponse theirs;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListMyPostings, my_postings, &theirs).ok());
  EXPECT_EQ(theirs.postings_size(), 0);
}

TEST_F(JobsIntegrationTest, SavedJobsAreIdempotentPerAccount) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder"));
  v1::SaveJobRequest save;
  save.set_session_token(Session("coder1"));
  save.set_posting_id(live.posting_id());
  v1::SaveJobResponse saved;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::SaveJob, save, &saved).ok());
  ASSERT_TRUE(Call(&v1::JobsService::Stub::SaveJob, save, &saved).ok());
  save.set_posting_id("0000000000000000");
  EXPECT_EQ(Call(&v1::JobsService::Stub::SaveJob, save, &saved).error_code(), grpc::NOT_FOUND);
  v1::ListSavedJobsRequest list;
  list.set_session_token(Session("coder1"));
  v1::ListSavedJobsResponse listed;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListSavedJobs, list, &listed).ok());
  ASSERT_EQ(listed.postings_size(), 1);
  list.set_session_token(Session("coder2"));
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListSavedJobs, list, &listed).ok());
  EXPECT_EQ(listed.postings_size(), 0);
  v1::UnsaveJobRequest unsave;
  unsave.set_session_token(Session("coder1"));
  unsave.set_posting_id(live.posting_id());
  v1::UnsaveJobResponse unsaved;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::UnsaveJob, unsave, &unsaved).ok());
  ASSERT_TRUE(Call(&v1::JobsService::Stub::UnsaveJob, unsave, &unsaved).ok());
  list.set_session_token(Session("coder1"));
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListSavedJobs, list, &listed).ok());
  EXPECT_EQ(listed.postings_size(), 0);
}

TEST_F(JobsIntegrationTest, InvalidFieldsAreRejectedByName) {
  v1::PostingFields f = ValidPostingFields("Coder");
  f.set_description("line one\x01 bell");
  auto r = Create("employer1", f);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("fields.description"), std::string::npos);
  f = ValidPostingFields("Coder");
  f.add_credentials_required("NOT-A-CRED");
  EXPECT_EQ(Create("employer1", f).status().code(), absl::StatusCode::kInvalidArgument);
  v1::ApplyRequest apply;
  apply.set_session_token(Session("coder1"));
  apply.set_posting_id("x");
  apply.set_resume_url("http://insecure.example.com");
  v1::ApplyResponse applied;
  EXPECT_EQ(Call(&v1::JobsService::Stub::Apply, apply, &applied).error_code(),
            grpc::INVALID_ARGUMENT);
}

TEST_F(JobsIntegrationTest, AnotherReplicaConvergesThroughTheChangeFeed) {
  SearchIndex replica;
  IndexFeed feed(store_.get(), &replica);
  ASSERT_TRUE(feed.LoadAll().ok());
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Remote coder"));
  ASSERT_TRUE(feed.PollOnce().ok());
  auto found = replica.Search({}, Now());
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->postings_size(), 1);
  EXPECT_EQ(found->postings(0).posting_id(), live.posting_id());
  ASSERT_TRUE(Close("employer1", live.posting_id()).ok());
  ASSERT_TRUE(feed.PollOnce().ok());
  auto after_close = replica.Search({}, Now());
  ASSERT_TRUE(after_close.ok());
  EXPECT_EQ(after_close->postings_size(), 0);

  // A replica started later loads everything from Redis.
  SearchIndex late;
  IndexFeed late_feed(store_.get(), &late);
  ASSERT_TRUE(late_feed.LoadAll().ok());
  EXPECT_EQ(late.live_count(), 0u);
}

// SearchJobs is a raw method that parses its request itself: bytes that are
// not a SearchJobsRequest get INVALID_ARGUMENT, as do strings that are not
// UTF-8 (proto3 refuses them), and the server keeps answering.
TEST_F(JobsIntegrationTest, SearchJobsRefusesBytesThatAreNotARequest) {
  grpc::GenericStub generic(
      grpc::CreateChannel(jobs_server_->address(), *common::MakeChannelCredentials()));
  auto call = [&](const std::string& bytes) {
    grpc::Slice slice(bytes.data(), bytes.size());
    grpc::ByteBuffer request(&slice, 1), response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Status status;
    std::mutex mu;
    std::condition_variable done;
    bool finished = false;
    generic.UnaryCall(&context, "/openencoder.jobs.v1.JobsService/SearchJobs", {}, &request,
                      &response, [&](grpc::Status s) {
                        std::lock_guard<std::mutex> lock(mu);
                        status = std::move(s);
                        finished = true;
                        done.notify_one();
                      });
    std::unique_lock<std::mutex> lock(mu);
    done.wait(lock, [&] { return finished; });
    return status;
  };
  // Field 1 (query) claims 100 bytes and has 2: truncated.
  grpc::Status truncated =
      call(std::string("\x0a\x64"
                       "ab",
                       4));
  EXPECT_EQ(truncated.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_NE(truncated.error_message().find("not a SearchJobsRequest"), std::string::npos);
  // Field 1 (query) is "\xc3\x28": not UTF-8.
  EXPECT_EQ(call(std::string("\x0a\x02\xc3\x28", 4)).error_code(), grpc::INVALID_ARGUMENT);
  // An empty request is a valid one (every field at its default).
  EXPECT_TRUE(call("").ok());
  v1::SearchJobsRequest fine;
  fine.set_query("coder");
  EXPECT_TRUE(call(fine.SerializeAsString()).ok());
}

// What a writer that crashed after its record write and before its XADD
// leaves: the posting closed in Redis, with no change-stream entry.
void CloseBehindTheChangeStream(redis::RedisClient* redis, const v1::JobPosting& posting) {
  ASSERT_TRUE(redis
                  ->Command({"HSET", keys::Posting(posting.posting_id()), "version",
                             absl::StrCat(posting.version() + 1), "status",
                             absl::StrCat(static_cast<int>(v1::POSTING_STATUS_CLOSED))},
                            absl::Now() + absl::Seconds(5))
                  .ok());
}

TEST_F(JobsIntegrationTest, AChangeTheStreamMissedIsAppliedByTheNextReconcile) {
  SearchIndex replica;
  IndexFeed feed(store_.get(), &replica);
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Remote coder"));
  ASSERT_TRUE(feed.LoadAll().ok());
  ASSERT_EQ(replica.live_count(), 1u);

  ASSERT_NO_FATAL_FAILURE(CloseBehindTheChangeStream(redis_.get(), live));
  ASSERT_TRUE(feed.PollOnce().ok());
  EXPECT_EQ(replica.live_count(), 1u) << "the stream has nothing to say about it";

  absl::StatusOr<size_t> corrected = feed.Reconcile();
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(*corrected, 1u);
  EXPECT_EQ(replica.live_count(), 0u);
  auto found = replica.Search({}, Now());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total_count(), 0);
  // Nothing else was missed: a second pass changes nothing.
  corrected = feed.Reconcile();
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(*corrected, 0u);
}

TEST_F(JobsIntegrationTest, TheFeedThreadReconcilesOnItsOwn) {
  SearchIndex replica;
  IndexFeed feed(store_.get(), &replica, absl::Milliseconds(20), absl::Milliseconds(50));
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Remote coder"));
  ASSERT_TRUE(feed.LoadAll().ok());
  ASSERT_EQ(replica.live_count(), 1u);
  feed.Start();
  ASSERT_NO_FATAL_FAILURE(CloseBehindTheChangeStream(redis_.get(), live));
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (replica.live_count() != 0 && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(10));
  EXPECT_EQ(replica.live_count(), 0u);
  feed.Stop();
}

TEST_F(JobsIntegrationTest, ReviewApprovesOnlyTheVersionTheAdminRead) {
  auto draft = Create("employer1", ValidPostingFields("Outpatient coder"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  auto pending = Publish("employer1", draft->posting_id());
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->status(), v1::POSTING_STATUS_PENDING_APPROVAL);

  v1::ReviewPostingRequest review;
  review.set_session_token(Session("admin"));
  review.set_posting_id(draft->posting_id());
  review.set_approve(true);
  v1::ReviewPostingResponse reviewed;
  // No version: refused, the decision must name what was read.
  grpc::Status s = Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT) << s.error_message();

  // The admin opened version N; the employer then edits the pending posting.
  review.set_expected_version(pending->version());
  v1::UpdatePostingRequest update;
  update.set_session_token(Session("employer1"));
  update.set_posting_id(draft->posting_id());
  v1::PostingFields edited = ValidPostingFields("Outpatient coder");
  edited.set_description("Now also: send us your bank details first.");
  *update.mutable_fields() = edited;
  v1::UpdatePostingResponse updated;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::UpdatePosting, update, &updated).ok());
  EXPECT_EQ(updated.posting().status(), v1::POSTING_STATUS_PENDING_APPROVAL);
  ASSERT_GT(updated.posting().version(), pending->version());

  s = Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::ABORTED) << s.error_message();
  EXPECT_NE(s.error_message().find("changed this posting after you opened it"), std::string::npos)
      << s.error_message();
  EXPECT_TRUE(SearchIds({}).empty()) << "the edited version must not have gone live";

  // Reviewing the current version rejects it, and the employer reads why.
  review.set_expected_version(updated.posting().version());
  review.set_approve(false);
  review.set_note("Asking for bank details is not allowed.");
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed).ok());
  v1::ListMyPostingsRequest mine;
  mine.set_session_token(Session("employer1"));
  v1::ListMyPostingsResponse my;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListMyPostings, mine, &my).ok());
  ASSERT_EQ(my.postings_size(), 1);
  EXPECT_EQ(my.postings(0).status(), v1::POSTING_STATUS_REJECTED);
  EXPECT_EQ(my.postings(0).review_note(), "Asking for bank details is not allowed.");

  // Deciding again on a posting no longer pending says so, not "changed".
  s = Call(&v1::JobsService::Stub::ReviewPosting, review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION) << s.error_message();
}

TEST_F(JobsIntegrationTest, EmployerMarksApplicantsReviewedOnlyOnOwnPostings) {
  TrustEmployer("employer1");
  v1::JobPosting live = Live(ValidPostingFields("Coder"));
  v1::ApplyResponse applied;
  ASSERT_TRUE(ApplyAs("coder1", live.posting_id(), &applied).ok());
  const std::string app_id = applied.application().application_id();

  v1::MarkApplicationReviewedRequest mark;
  mark.set_posting_id(live.posting_id());
  mark.set_application_id(app_id);
  mark.set_reviewed(true);
  v1::MarkApplicationReviewedResponse marked;
  for (const char* who : {"employer2", "coder1"}) {
    mark.set_session_token(Session(who));
    EXPECT_EQ(Call(&v1::JobsService::Stub::MarkApplicationReviewed, mark, &marked).error_code(),
              grpc::PERMISSION_DENIED)
        << who;
  }
  mark.set_session_token(Session("employer1"));
  mark.set_application_id(live.posting_id() + ".nobody");
  EXPECT_EQ(Call(&v1::JobsService::Stub::MarkApplicationReviewed, mark, &marked).error_code(),
            grpc::NOT_FOUND);
  mark.set_application_id(app_id);
  ASSERT_TRUE(Call(&v1::JobsService::Stub::MarkApplicationReviewed, mark, &marked).ok());
  EXPECT_TRUE(marked.application().has_reviewed_at());
  EXPECT_EQ(marked.application().note(), applied.application().note());

  v1::ListApplicantsRequest list;
  list.set_session_token(Session("employer1"));
  list.set_posting_id(live.posting_id());
  v1::ListApplicantsResponse applicants;
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListApplicants, list, &applicants).ok());
  ASSERT_EQ(applicants.applications_size(), 1);
  EXPECT_TRUE(applicants.applications(0).has_reviewed_at());

  mark.set_reviewed(false);
  ASSERT_TRUE(Call(&v1::JobsService::Stub::MarkApplicationReviewed, mark, &marked).ok());
  EXPECT_FALSE(marked.application().has_reviewed_at());
  ASSERT_TRUE(Call(&v1::JobsService::Stub::ListApplicants, list, &applicants).ok());
  EXPECT_FALSE(applicants.applications(0).has_reviewed_at());
}

}  // namespace
}  // namespace openencoder::jobs
