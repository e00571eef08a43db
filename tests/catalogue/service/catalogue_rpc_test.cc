// CatalogueService through a real gRPC channel on loopback, on the demo data
// set. Metering goes to the real account service (in process, over real
// gRPC, on a real redis-server; tests/support/inprocess_services.h) with its
// default plans: guest 1 view a month, free 6, pro unlimited. The quota-down
// case points the catalogue at a closed port.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "openencoder/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "tests/support/account_sessions.h"
#include "tests/support/inprocess_services.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::catalogue {
namespace {

namespace pb = ::openencoder::catalogue::v1;
using StubPtr = std::unique_ptr<pb::CatalogueService::Stub>;
using ::openencoder::account::v1::PLAN_PRO;

constexpr char kAdminEmail[] = "admin@example.com";

class CatalogueRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = test_support::RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    test_support::InProcessOptions options;
    options.redis = test_support::RedisOptionsAs(*redis_, "account");
    account::AccountConfig& config = options.account.emplace().config;
    config.admin_emails = {kAdminEmail};
    config.hash_workers = 2;
    // The shared machine is often busy; the production 250 ms per Redis call
    // would turn load into flaky UNAVAILABLE answers that no test is about.
    config.redis_call_timeout = absl::Seconds(2);
    config.request_budget = absl::Seconds(5);
    options.catalogue.emplace().quota_timeout = absl::Seconds(5);  // the demo data
    auto services = test_support::InProcessServices::Start(std::move(options));
    ASSERT_TRUE(services.ok()) << services.status();
    services_ = *std::move(services);
    sessions_ = std::make_unique<test_support::AccountSessions>(services_->account_address());
    admin_token_ = RegisterFree(kAdminEmail);
    stub_ = pb::CatalogueService::NewStub(common::MakeChannel(services_->catalogue_address()));
    paid_ = SessionOnPlan("pro@example.com", PLAN_PRO);
  }

  void TearDown() override {
    // The services first (they shut down callers first): the account
    // service keeps its data in Redis.
    services_.reset();
    redis_.reset();
  }

  // Session helpers: they report failures through gtest and return "".
  // A new guest session token.
  std::string GuestSession() {
    absl::StatusOr<std::string> token = sessions_->Guest();
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }
  // Registers a free account (carrying `guest_token`'s views over when set),
  // verifies its email and returns its session token; `account_id` receives its id if non-null.
  std::string RegisterFree(const std::string& email, const std::string& guest_token = "",
                           std::string* account_id = nullptr) {
    auto registered = sessions_->Register(email, guest_token);
    EXPECT_TRUE(registered.ok()) << email << ": " << registered.status();
    if (!registered.ok()) return "";
    // Its owner opens the mailed link: a free account's 6 views (and the
    // admin's role) come with a verified address.
    EXPECT_TRUE(services_->VerifyEmail(email).ok()) << email;
    if (account_id != nullptr) *account_id = registered->account_id;
    return registered->token;
  }
  // A session of a new account that the administrator moved to `plan`.
  std::string SessionOnPlan(const std::string& email, account::v1::Plan plan) {
    std::string id;
    const std::string token = RegisterFree(email, "", &id);
    absl::StatusOr<account::v1::Account> account = sessions_->SetPlan(admin_token_, id, plan);
    EXPECT_TRUE(account.ok()) << account.status();
    if (account.ok()) {
      EXPECT_EQ(account->plan(), plan);
    }
    return token;
  }
  // The meter of `token` without consuming a view.
  account::v1::Quota Quota(const std::string& token) {
    absl::StatusOr<account::v1::Quota> quota = sessions_->Quota(token);
    EXPECT_TRUE(quota.ok()) << quota.status();
    return quota.ok() ? *quota : account::v1::Quota();
  }

  pb::CatalogueService::Stub& stub() { return *stub_; }
  // StreamCodes answers only to search (services/common/method_acl.cc).
  std::unique_ptr<pb::CatalogueService::Stub> SearchStub() {
    return pb::CatalogueService::NewStub(common::MakeChannel(
        services_->catalogue_address(), common::ChannelOptions{.client_identity = "search"}));
  }

  grpc::Status Page(const std::string& code, const std::string& session,
                    pb::GetCodePageResponse* response, const std::string& request_id = "",
                    pb::CodeSystem system = pb::CODE_SYSTEM_UNSPECIFIED) {
    pb::GetCodePageRequest request;
    request.set_code(code);
    request.set_system(system);
    request.set_session_token(session);
    request.set_request_id(request_id);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub().GetCodePage(&context, request, response);
  }

  std::unique_ptr<test_support::RedisServer> redis_;
  std::unique_ptr<test_support::InProcessServices> services_;
  std::unique_ptr<test_support::AccountSessions> sessions_;
  std::string admin_token_;
  StubPtr stub_;
  std::string paid_;  // a session of a pro account
};

TEST_F(CatalogueRpcTest, FoundCodeGivesTheFullPageToAPaidSession) {
  for (const char* input : {"e119", "E11.9", " e11.9 "}) {
    pb::GetCodePageResponse r;
    ASSERT_TRUE(Page(input, paid_, &r).ok()) << input;
    ASSERT_TRUE(r.has_page()) << input;
    const pb::CodePage& page = r.page();
    EXPECT_EQ(page.code().display_code(), "E11.9");
    EXPECT_FALSE(page.descriptors().official_long().empty());
    EXPECT_FALSE(page.descriptors().plain_language().empty());
    ASSERT_FALSE(page.hierarchy().ancestors().empty());
    EXPECT_EQ(page.hierarchy().ancestors().rbegin()->code(), "E11");
    EXPECT_GT(page.hierarchy().siblings_total(), 0);
    EXPECT_FALSE(page.crosswalks().empty());
    EXPECT_GE(page.attributions_size(), 2);
    EXPECT_TRUE(r.meter().unlimited());
    EXPECT_EQ(r.meter().message(), "Unlimited code page views");
  }
  pb::GetCodePageResponse i201;
  ASSERT_TRUE(Page("I201", paid_, &i201).ok());
  EXPECT_EQ(i201.page().code().display_code(), "I20.1");
}

TEST_F(CatalogueRpcTest, DeletedCodeShowsItsReplacement) {
  pb::GetCodePageResponse r;
  ASSERT_TRUE(Page("0370T", paid_, &r).ok());
  ASSERT_TRUE(r.has_page());
  EXPECT_EQ(r.page().lifecycle().status(), pb::CODE_STATUS_DELETED);
  ASSERT_EQ(r.page().lifecycle().replaced_by_size(), 1);
  EXPECT_EQ(r.page().lifecycle().replaced_by(0).code(), "97156");
  EXPECT_TRUE(r.page().descriptors().official_long().empty());
  EXPECT_FALSE(r.page().descriptors().official_note().empty());
}

TEST_F(CatalogueRpcTest, UnknownCodeIsNotFoundWithNearestCodes) {
  const std::string free = RegisterFree("ann@example.com");
  pb::GetCodePageResponse r;
  grpc::Status s = Page("E11.99", free, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "nearest codes: E11.9")) << s.error_message();
  EXPECT_EQ(Quota(free).views_used(), 0) << "no view is metered for a missing code";
}

TEST_F(CatalogueRpcTest, MalformedCodeIsInvalidArgumentDescribingTheSystem) {
  pb::GetCodePageResponse r;
  grpc::Status s = Page("0DT", paid_, &r, "", pb::CODE_SYSTEM_ICD10PCS);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "exactly 7")) << s.error_message();
}

TEST_F(CatalogueRpcTest, GuestGetsOnePageThenATeaserOfferingFiveMoreViews) {
  const std::string guest = GuestSession();
  pb::GetCodePageResponse first, second;
  ASSERT_TRUE(Page("E11.9", guest, &first, "g-1").ok());
  ASSERT_TRUE(first.has_page());
  EXPECT_EQ(first.meter().plan(), "guest");
  EXPECT_EQ(first.meter().view_limit(), 1);
  EXPECT_EQ(first.meter().views_remaining(), 0);
  ASSERT_TRUE(Page("J1100", guest, &second, "g-2").ok());
  ASSERT_TRUE(second.has_teaser());
  EXPECT_EQ(second.teaser().reason(), pb::TEASER_REASON_QUOTA_EXHAUSTED);
  // The account service words the offer; what it must say is "register a
  // free account" and how many views that gives.
  const std::string action = absl::AsciiStrToLower(second.teaser().action());
  EXPECT_TRUE(absl::StrContains(action, "free account")) << action;
  EXPECT_TRUE(absl::StrContains(action, "5 more")) << action;
  EXPECT_EQ(second.meter().upgrade_hint(), second.teaser().action());
  EXPECT_EQ(second.teaser().code().code(), "J1100");
  EXPECT_FALSE(second.teaser().code().short_title().empty());
  EXPECT_TRUE(second.teaser().code().title().empty()) << "gated text stays out";
  ASSERT_EQ(second.teaser().attributions_size(), 1);
  EXPECT_TRUE(absl::StrContains(second.teaser().attributions(0).notice(),
                                "does not imply any health insurance coverage"));
}

TEST_F(CatalogueRpcTest, RegisteringGivesTheGuestFiveMorePages) {
  const std::string guest = GuestSession();
  pb::GetCodePageResponse r;
  ASSERT_TRUE(Page("E11.9", guest, &r, "g-1").ok());
  ASSERT_TRUE(r.has_page());
  const std::string free = RegisterFree("ann@example.com", guest);
  const std::vector<std::string> codes = {"I20.1", "J1100", "99213", "E03.9", "B02.9"};
  for (size_t i = 0; i < codes.size(); ++i) {
    pb::GetCodePageResponse page;
    ASSERT_TRUE(Page(codes[i], free, &page, absl::StrCat("a-", i)).ok()) << codes[i];
    ASSERT_TRUE(page.has_page()) << codes[i];
    EXPECT_EQ(page.meter().plan(), "free");
    EXPECT_EQ(page.meter().views_remaining(), static_cast<int>(codes.size() - 1 - i));
  }
  pb::GetCodePageResponse over, again;
  ASSERT_TRUE(Page("E66.9", free, &over, "a-over").ok());
  ASSERT_TRUE(over.has_teaser());
  EXPECT_EQ(over.teaser().reason(), pb::TEASER_REASON_QUOTA_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(absl::AsciiStrToLower(over.teaser().action()), "pro"))
      << over.teaser().action();
  // The page the guest opened is still free to re-open on the account.
  ASSERT_TRUE(Page("E11.9", free, &again, "a-again").ok());
  EXPECT_TRUE(again.has_page());
}

TEST_F(CatalogueRpcTest, RetriedRequestIdIsMeteredOnce) {
  const std::string free = RegisterFree("ann@example.com");
  pb::GetCodePageResponse first, retry;
  ASSERT_TRUE(Page("E11.9", free, &first, "req-1").ok());
  ASSERT_TRUE(Page("E11.9", free, &retry, "req-1").ok());
  EXPECT_TRUE(first.has_page());
  EXPECT_TRUE(retry.has_page());
  EXPECT_EQ(Quota(free).views_used(), 1);
  EXPECT_EQ(retry.meter().views_remaining(), 5);
}

TEST_F(CatalogueRpcTest, PageWithoutAnyRequestIdIsStillMetered) {
  // No request_id field and no x-request-id (this server logs no calls, so
  // no interceptor assigns one): the meter must still be asked properly.
  const std::string free = RegisterFree("ann@example.com");
  pb::GetCodePageResponse r;
  ASSERT_TRUE(Page("E11.9", free, &r).ok());
  EXPECT_TRUE(r.has_page()) << r.teaser().action();
  EXPECT_TRUE(r.meter().available());
  EXPECT_EQ(Quota(free).views_used(), 1);
}

TEST_F(CatalogueRpcTest, PaidSessionIsUnlimited) {
  for (const char* code :
       {"E11.9", "I20.1", "J1100", "99213", "E03.9", "B02.9", "E66.9", "E78.5", "E11.65"}) {
    pb::GetCodePageResponse r;
    ASSERT_TRUE(Page(code, paid_, &r, absl::StrCat("p-", code)).ok()) << code;
    ASSERT_TRUE(r.has_page()) << code;
    EXPECT_TRUE(r.meter().unlimited());
    EXPECT_EQ(r.meter().plan(), "pro");
  }
}

TEST_F(CatalogueRpcTest, NoOrBadSessionGetsATeaserNotAnError) {
  pb::GetCodePageResponse none, bad;
  ASSERT_TRUE(Page("E11.9", "", &none).ok());
  ASSERT_TRUE(none.has_teaser());
  EXPECT_EQ(none.teaser().reason(), pb::TEASER_REASON_NO_SESSION);
  ASSERT_TRUE(Page("E11.9", "forged-token-that-no-one-issued", &bad).ok());
  ASSERT_TRUE(bad.has_teaser());
  EXPECT_EQ(bad.teaser().reason(), pb::TEASER_REASON_NO_SESSION);
}

TEST_F(CatalogueRpcTest, QuotaServiceDownGivesATeaserWithinTheDeadline) {
  // Bind and release a port, so nothing listens there.
  common::ServerOptions options;
  options.service_name = "closed";
  options.log_calls = false;
  auto closed = common::RunningServer::Start(options, {});
  ASSERT_TRUE(closed.ok());
  const std::string address = (*closed)->address();
  (*closed)->Shutdown();
  closed->reset();

  test_support::InProcessOptions down_options;
  test_support::InProcessCatalogue& catalogue = down_options.catalogue.emplace();
  catalogue.quota_address = address;
  catalogue.quota_timeout = absl::Milliseconds(300);
  auto down = test_support::InProcessServices::Start(std::move(down_options));
  ASSERT_TRUE(down.ok()) << down.status();
  StubPtr down_stub =
      pb::CatalogueService::NewStub(common::MakeChannel((*down)->catalogue_address()));
  pb::GetCodePageRequest request;
  request.set_code("E11.9");
  request.set_session_token(paid_);
  pb::GetCodePageResponse r;
  grpc::ClientContext context;
  // The page must come back before the caller's own deadline, which is
  // well above the 300 ms quota deadline.
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  grpc::Status s = down_stub->GetCodePage(&context, request, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(r.has_teaser());
  EXPECT_EQ(r.teaser().reason(), pb::TEASER_REASON_QUOTA_UNAVAILABLE);
  EXPECT_FALSE(r.meter().available());
  EXPECT_FALSE(r.has_page());
}

TEST_F(CatalogueRpcTest, PageListsNcciPairsInBothColumnsAndTheMue) {
  pb::GetCodePageResponse r;
  ASSERT_TRUE(Page("99213", paid_, &r).ok());
  ASSERT_TRUE(r.has_page());
  bool as_column1 = false, as_column2 = false;
  for (const pb::NcciPair& p : r.page().ncci_pairs()) {
    as_column1 |= p.column1_code() == "99213";
    as_column2 |= p.column2_code() == "99213";
    EXPECT_TRUE(p.demo());
    EXPECT_FALSE(p.rationale().empty());
  }
  EXPECT_TRUE(as_column1);
  EXPECT_TRUE(as_column2);
  EXPECT_TRUE(r.page().has_mue());
  EXPECT_TRUE(r.page().mue().demo());
  EXPECT_GT(r.page().national_fee().amount_cents(), 0);
  bool demo_attribution = false;
  for (const pb::Attribution& a : r.page().attributions()) {
    demo_attribution |= absl::StrContains(a.notice(), "DEMO");
  }
  EXPECT_TRUE(demo_attribution);
  bool has_25 = false;
  for (const pb::Modifier& m : r.page().modifiers()) has_25 |= m.code() == "25";
  EXPECT_TRUE(has_25);
}

TEST_F(CatalogueRpcTest, CheckClaimReportsConflictsAndMue) {
  pb::CheckClaimRequest request;
  auto* a = request.add_lines();
  a->set_code("20610");
  a->set_units(1);
  auto* b = request.add_lines();
  b->set_code("99213");
  b->set_units(5);
  pb::CheckClaimResponse r;
  grpc::ClientContext context;
  ASSERT_TRUE(stub().CheckClaim(&context, request, &r).ok());
  ASSERT_EQ(r.ncci_conflicts_size(), 1);
  EXPECT_TRUE(r.ncci_conflicts(0).bypassable());
  EXPECT_FALSE(r.mue_violations().empty());
  EXPECT_FALSE(r.clean());
}

TEST_F(CatalogueRpcTest, BrowsePagesThroughTheTree) {
  pb::BrowseRequest request;
  request.set_system(pb::CODE_SYSTEM_ICD10CM);
  request.set_page_size(5);
  std::vector<std::string> ids;
  for (int page = 0; page < 10; ++page) {
    pb::BrowseResponse r;
    grpc::ClientContext context;
    ASSERT_TRUE(stub().Browse(&context, request, &r).ok());
    for (const auto& n : r.children()) ids.push_back(n.id());
    if (r.next_page_token().empty()) break;
    request.set_page_token(r.next_page_token());
  }
  ASSERT_EQ(ids.size(), 22u);
  EXPECT_EQ(ids[3], "chapter:4");

  pb::BrowseRequest e11;
  e11.set_system(pb::CODE_SYSTEM_ICD10CM);
  e11.set_node_id("E11");
  pb::BrowseResponse r;
  grpc::ClientContext context;
  ASSERT_TRUE(stub().Browse(&context, e11, &r).ok());
  ASSERT_GE(r.path_size(), 2);
  EXPECT_EQ(r.path(0).id(), "chapter:4");
  EXPECT_FALSE(r.children().empty());

  pb::BrowseRequest bad = e11;
  bad.set_page_token("garbage");
  grpc::ClientContext context2;
  EXPECT_EQ(stub().Browse(&context2, bad, &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  bad.set_page_token("");
  bad.set_node_id("Z99");
  grpc::ClientContext context3;
  EXPECT_EQ(stub().Browse(&context3, bad, &r).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CatalogueRpcTest, ListChangesShowsTheAddendaAndCptDeletions) {
  pb::ListChangesRequest request;
  request.set_system(pb::CODE_SYSTEM_ICD10CM);
  request.set_kind(pb::CHANGE_KIND_ADDED);
  pb::ListChangesResponse r;
  grpc::ClientContext context;
  ASSERT_TRUE(stub().ListChanges(&context, request, &r).ok());
  bool e11a = false;
  for (const auto& c : r.changes()) e11a |= c.code().code() == "E11A";
  EXPECT_TRUE(e11a);
  EXPECT_EQ(r.edition().id(), "icd10cm-fy2026");

  pb::ListChangesRequest cpt;
  cpt.set_system(pb::CODE_SYSTEM_CPT);
  cpt.set_kind(pb::CHANGE_KIND_DELETED);
  grpc::ClientContext context2;
  ASSERT_TRUE(stub().ListChanges(&context2, cpt, &r).ok());
  EXPECT_EQ(r.total_count(), 2);
}

TEST_F(CatalogueRpcTest, CrosswalkWorksInBothDirections) {
  pb::GetCrosswalkRequest forward;
  forward.set_code("E11.9");
  pb::GetCrosswalkResponse r;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub().GetCrosswalk(&c1, forward, &r).ok());
  ASSERT_FALSE(r.mappings().empty());
  EXPECT_EQ(r.mappings(0).target().system(), pb::CODE_SYSTEM_ICD9CM);
  EXPECT_EQ(r.mappings(0).target().code(), "25000");
  EXPECT_FALSE(r.mappings(0).target_title().empty());

  pb::GetCrosswalkRequest back;
  back.set_code("250.00");
  back.set_direction(pb::CROSSWALK_DIRECTION_ICD9_TO_ICD10);
  pb::GetCrosswalkResponse b;
  grpc::ClientContext c2;
  ASSERT_TRUE(stub().GetCrosswalk(&c2, back, &b).ok());
  bool e119 = false;
  for (const auto& m : b.mappings()) e119 |= m.target().code() == "E119";
  EXPECT_TRUE(e119);
}

TEST_F(CatalogueRpcTest, FeeFollowsTheFormula) {
  pb::GetFeeRequest request;
  request.set_code("99213");
  request.set_locality("09102-04");
  pb::GetFeeResponse r;
  grpc::ClientContext context;
  ASSERT_TRUE(stub().GetFee(&context, request, &r).ok());
  const double expected =
      (r.work_rvu() * r.work_gpci() + r.practice_expense_rvu() * r.practice_expense_gpci() +
       r.malpractice_rvu() * r.malpractice_gpci()) *
      r.conversion_factor();
  EXPECT_NEAR(r.amount_cents(), expected * 100, 1.0);
  EXPECT_EQ(r.locality_name(), "MIAMI");
  EXPECT_TRUE(absl::StrContains(r.formula(), "x"));

  request.set_locality("nowhere");
  grpc::ClientContext c2;
  EXPECT_EQ(stub().GetFee(&c2, request, &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CatalogueRpcTest, StreamCodesSendsEveryCodeOnce) {
  pb::StreamCodesRequest request;
  request.set_include_deleted(true);
  grpc::ClientContext context;
  auto search = SearchStub();
  auto reader = search->StreamCodes(&context, request);
  pb::StreamCodesResponse message;
  size_t codes = 0;
  int messages = 0;
  std::string snapshot_id;
  while (reader->Read(&message)) {
    if (messages++ == 0) {
      EXPECT_FALSE(message.editions().empty());
      snapshot_id = message.snapshot_id();
    }
    EXPECT_EQ(message.snapshot_id(), snapshot_id);
    codes += message.codes_size();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(codes, services_->catalogue_snapshot()->code_count());

  pb::GetEditionsResponse editions;
  grpc::ClientContext c2;
  ASSERT_TRUE(stub().GetEditions(&c2, pb::GetEditionsRequest(), &editions).ok());
  EXPECT_EQ(editions.snapshot_id(), snapshot_id);
}

// Index entries travel only when asked for, with the index's edition.
TEST_F(CatalogueRpcTest, StreamCodesCarriesIndexEntriesWhenAsked) {
  for (bool ask : {false, true}) {
    pb::StreamCodesRequest request;
    request.add_systems(pb::CODE_SYSTEM_ICD10CM);
    request.set_include_index_entries(ask);
    grpc::ClientContext context;
    auto search = SearchStub();
    auto reader = search->StreamCodes(&context, request);
    pb::StreamCodesResponse message;
    const pb::CodeSummary* i21 = nullptr;
    std::vector<pb::CodeSummary> kept;
    size_t with_entries = 0;
    while (reader->Read(&message)) {
      for (const pb::CodeSummary& c : message.codes()) {
        if (c.index_entries_size() > 0) ++with_entries;
        if (c.code() == "I21") kept.push_back(c);
      }
    }
    ASSERT_TRUE(reader->Finish().ok());
    if (!kept.empty()) i21 = &kept.front();
    ASSERT_NE(i21, nullptr);
    if (!ask) {
      EXPECT_EQ(with_entries, 0u);
      continue;
    }
    EXPECT_GT(with_entries, 5u);
    EXPECT_EQ(i21->index_edition_id(), "icd10cm-index-fy2023");
    ASSERT_GE(i21->index_entries_size(), 1);
    EXPECT_EQ(i21->index_entries(0).path(), "Attack, attacks, heart");
    EXPECT_EQ(i21->index_entries(0).see(), "Infarct, myocardium");
    EXPECT_TRUE(i21->index_entries(0).subdivided());
  }
}

TEST_F(CatalogueRpcTest, BatchAndModifiers) {
  pb::BatchGetCodesRequest batch;
  batch.add_codes()->set_code("e119");
  batch.add_codes()->set_code("Z99.999");
  pb::BatchGetCodesResponse r;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub().BatchGetCodes(&c1, batch, &r).ok());
  ASSERT_EQ(r.codes_size(), 1);
  EXPECT_EQ(r.codes(0).code(), "E119");
  EXPECT_EQ(r.not_found_size(), 1);

  pb::ListModifiersRequest mods;
  mods.set_system(pb::CODE_SYSTEM_CPT);
  pb::ListModifiersResponse m;
  grpc::ClientContext c2;
  ASSERT_TRUE(stub().ListModifiers(&c2, mods, &m).ok());
  EXPECT_EQ(m.modifiers_size(), 17);
}

}  // namespace
}  // namespace openencoder::catalogue
