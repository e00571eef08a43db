// The job board's use cases on in-memory fakes (InMemoryJobStore,
// FakeIdentityClient): no Redis, no gRPC, no account service, so the whole
// suite runs in milliseconds. The same rules run end to end against real
// Redis and the real account service in jobs_integration_test.cc; the fake
// store is held to RedisJobStore's contract by job_store_contract_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "services/jobs/application_id.h"
#include "services/jobs/fake_identity_client.h"
#include "services/jobs/in_memory_job_store.h"
#include "services/jobs/job_board.h"
#include "services/jobs/search_index.h"
#include "tests/jobs/posting_fields.h"

namespace openencoder::jobs {
namespace {

class JobBoardTest : public ::testing::Test {
 protected:
  JobBoardTest() {
    identity_.Add("coder", Caller{"c1", {Role::kCoder}});
    identity_.Add("coder2", Caller{"c2", {Role::kCoder}});
    identity_.Add("employer", Caller{"e1", {Role::kEmployer}});
    identity_.Add("employer2", Caller{"e2", {Role::kEmployer}});
    identity_.Add("admin", Caller{"a1", {Role::kAdmin, Role::kCoder}});
    JobBoardOptions options;
    options.daily_posting_limit = 3;
    options.now = [this] { return now_; };
    board_ = std::make_unique<JobBoard>(&store_, &identity_, &index_, options);
  }

  absl::StatusOr<v1::JobPosting> Create(const std::string& who, const std::string& title) {
    v1::CreatePostingRequest r;
    r.set_session_token(who);
    *r.mutable_fields() = ValidPostingFields(title);
    auto response = board_->CreatePosting(r);
    if (!response.ok()) return response.status();
    return response->posting();
  }

  absl::StatusOr<v1::JobPosting> Publish(const std::string& who, const std::string& id) {
    v1::PublishPostingRequest r;
    r.set_session_token(who);
    r.set_posting_id(id);
    auto response = board_->PublishPosting(r);
    if (!response.ok()) return response.status();
    return response->posting();
  }

  // Reviews the version the admin sees now (or `version` when given).
  absl::StatusOr<v1::JobPosting> Review(const std::string& id, bool approve, int64_t version = 0) {
    v1::ReviewPostingRequest r;
    r.set_session_token("admin");
    r.set_posting_id(id);
    auto seen = store_.GetPosting(id);
    r.set_expected_version(version != 0 ? version : (seen.ok() ? seen->version() : 1));
    r.set_approve(approve);
    r.set_note(approve ? "" : "pay range is not credible");
    auto response = board_->ReviewPosting(r);
    if (!response.ok()) return response.status();
    return response->posting();
  }

  // A live posting of "employer" (its first goes through review).
  v1::JobPosting Live(const std::string& title) {
    auto draft = Create("employer", title);
    EXPECT_TRUE(draft.ok()) << draft.status();
    auto published = Publish("employer", draft->posting_id());
    EXPECT_TRUE(published.ok()) << published.status();
    if (published->status() == v1::POSTING_STATUS_PENDING_APPROVAL) {
      auto approved = Review(draft->posting_id(), true);
      EXPECT_TRUE(approved.ok()) << approved.status();
      return *approved;
    }
    return *published;
  }

  absl::StatusOr<v1::ApplyResponse> Apply(const std::string& who, const std::string& id) {
    v1::ApplyRequest r;
    r.set_session_token(who);
    r.set_posting_id(id);
    r.set_note("Five years of outpatient coding.");
    r.set_resume_url("https://example.com/resume.pdf");
    return board_->Apply(r);
  }

  InMemoryJobStore store_;
  FakeIdentityClient identity_;
  SearchIndex index_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  std::unique_ptr<JobBoard> board_;
};

TEST_F(JobBoardTest, FirstPostingWaitsForReviewThenTheEmployerIsTrusted) {
  auto draft = Create("employer", "Outpatient coder");
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->status(), v1::POSTING_STATUS_DRAFT);
  auto pending = Publish("employer", draft->posting_id());
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->status(), v1::POSTING_STATUS_PENDING_APPROVAL);

  v1::ListPendingPostingsRequest list;
  list.set_session_token("admin");
  auto queue = board_->ListPendingPostings(list);
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->postings_size(), 1);

  auto approved = Review(draft->posting_id(), true);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->status(), v1::POSTING_STATUS_PUBLISHED);
  EXPECT_EQ(Review(draft->posting_id(), true).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "a reviewed posting is not pending any more";

  auto second = Create("employer", "Inpatient coder");
  ASSERT_TRUE(second.ok());
  auto live = Publish("employer", second->posting_id());
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->status(), v1::POSTING_STATUS_PUBLISHED) << "trusted employers skip review";
}

TEST_F(JobBoardTest, AnEditAfterTheAdminOpenedThePostingIsNotWhatGetsApproved) {
  auto draft = Create("employer", "Coder I");
  ASSERT_TRUE(draft.ok());
  auto pending = Publish("employer", draft->posting_id());
  ASSERT_TRUE(pending.ok());
  const int64_t seen_by_admin = pending->version();
  v1::UpdatePostingRequest edit;
  edit.set_session_token("employer");
  edit.set_posting_id(draft->posting_id());
  edit.set_expected_version(seen_by_admin);
  *edit.mutable_fields() = pending->fields();
  edit.mutable_fields()->set_title("Coder I (now remote, pay doubled)");
  ASSERT_TRUE(board_->UpdatePosting(edit).ok());
  EXPECT_EQ(Review(draft->posting_id(), true, seen_by_admin).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_NE(store_.GetPosting(draft->posting_id())->status(), v1::POSTING_STATUS_PUBLISHED);
}

TEST_F(JobBoardTest, RejectionKeepsThePostingHiddenWithItsReason) {
  auto draft = Create("employer2", "Too good to be true");
  ASSERT_TRUE(draft.ok());
  ASSERT_TRUE(Publish("employer2", draft->posting_id()).ok());
  auto rejected = Review(draft->posting_id(), false);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->status(), v1::POSTING_STATUS_REJECTED);
  EXPECT_EQ(rejected->review_note(), "pay range is not credible");
  v1::GetPostingRequest get;
  get.set_posting_id(draft->posting_id());
  EXPECT_EQ(board_->GetPosting(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(JobBoardTest, RolesDecideWhoMayDoWhat) {
  EXPECT_EQ(Create("coder", "x").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Create("stranger", "x").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Create("", "x").status().code(), absl::StatusCode::kUnauthenticated);
  v1::JobPosting live = Live("Coder II");
  // Another employer cannot close it; a coder cannot moderate or see applicants.
  v1::ClosePostingRequest close;
  close.set_session_token("employer2");
  close.set_posting_id(live.posting_id());
  EXPECT_EQ(board_->ClosePosting(close).status().code(), absl::StatusCode::kPermissionDenied);
  v1::ListPendingPostingsRequest list;
  list.set_session_token("employer");
  EXPECT_EQ(board_->ListPendingPostings(list).status().code(), absl::StatusCode::kPermissionDenied);
  v1::ListApplicantsRequest applicants;
  applicants.set_session_token("coder");
  applicants.set_posting_id(live.posting_id());
  EXPECT_EQ(board_->ListApplicants(applicants).status().code(),
            absl::StatusCode::kPermissionDenied);
  applicants.set_session_token("employer");
  EXPECT_TRUE(board_->ListApplicants(applicants).ok());
}

TEST_F(JobBoardTest, OneApplicationPerCoderAndTheCountFollows) {
  v1::JobPosting live = Live("Coder III");
  auto first = Apply("coder", live.posting_id());
  ASSERT_TRUE(first.ok()) << first.status();
  auto repeat = Apply("coder", live.posting_id());
  ASSERT_TRUE(repeat.ok());
  EXPECT_EQ(repeat->application().application_id(), first->application().application_id());
  ASSERT_TRUE(Apply("coder2", live.posting_id()).ok());
  EXPECT_EQ(store_.GetPosting(live.posting_id())->applicant_count(), 2);
  EXPECT_EQ(Apply("employer", live.posting_id()).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "employers do not apply";
}

TEST_F(JobBoardTest, OnlyThePostingsEmployerMarksAnApplicantReviewed) {
  v1::JobPosting live = Live("Coder IV");
  auto applied = Apply("coder", live.posting_id());
  ASSERT_TRUE(applied.ok()) << applied.status();
  v1::MarkApplicationReviewedRequest mark;
  mark.set_posting_id(live.posting_id());
  mark.set_application_id(applied->application().application_id());
  mark.set_reviewed(true);
  for (const char* who : {"employer2", "coder"}) {
    mark.set_session_token(who);
    EXPECT_EQ(board_->MarkApplicationReviewed(mark).status().code(),
              absl::StatusCode::kPermissionDenied)
        << who;
  }
  mark.set_session_token("employer");
  mark.set_application_id(live.posting_id() + ".nobody");
  EXPECT_EQ(board_->MarkApplicationReviewed(mark).status().code(), absl::StatusCode::kNotFound);
  mark.set_application_id(applied->application().application_id());
  auto marked = board_->MarkApplicationReviewed(mark);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->application().reviewed_at().seconds(), absl::ToUnixSeconds(now_));
  mark.set_reviewed(false);
  auto cleared = board_->MarkApplicationReviewed(mark);
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_FALSE(cleared->application().has_reviewed_at());
}

TEST_F(JobBoardTest, DailyPostingLimitStopsTheNextCreate) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Create("employer", "Coder " + std::to_string(i)).ok());
  EXPECT_EQ(Create("employer", "One too many").status().code(),
            absl::StatusCode::kResourceExhausted);
  now_ += absl::Hours(24);
  EXPECT_TRUE(Create("employer", "Next day").ok());
}

TEST_F(JobBoardTest, PostingsExpireAtTheirClosingTime) {
  v1::JobPosting live = Live("Short-lived");
  v1::UpdatePostingRequest update;
  update.set_session_token("employer");
  update.set_posting_id(live.posting_id());
  update.set_expected_version(live.version());
  *update.mutable_fields() = live.fields();
  update.mutable_fields()->mutable_closes_at()->set_seconds(absl::ToUnixSeconds(now_) + 3600);
  ASSERT_TRUE(board_->UpdatePosting(update).ok());
  ASSERT_TRUE(Apply("coder", live.posting_id()).ok());
  now_ += absl::Hours(2);
  EXPECT_EQ(Apply("coder2", live.posting_id()).status().code(), absl::StatusCode::kNotFound);
  v1::GetPostingRequest get;
  get.set_session_token("employer");
  get.set_posting_id(live.posting_id());
  auto got = board_->GetPosting(get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->posting().status(), v1::POSTING_STATUS_EXPIRED);
}

TEST_F(JobBoardTest, AStoreOrAccountServiceThatDoesNotAnswerIsUnavailable) {
  v1::JobPosting live = Live("Coder IV");
  store_.set_unavailable(true);
  EXPECT_EQ(Apply("coder", live.posting_id()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Create("employer", "x").status().code(), absl::StatusCode::kUnavailable);
  store_.set_unavailable(false);
  identity_.set_unavailable(true);
  EXPECT_EQ(Apply("coder", live.posting_id()).status().code(), absl::StatusCode::kUnavailable)
      << "never a silent grant or a misleading PERMISSION_DENIED";
  identity_.set_unavailable(false);
  EXPECT_TRUE(Apply("coder", live.posting_id()).ok());
}

}  // namespace
}  // namespace openencoder::jobs

namespace openencoder::jobs {
namespace {

v1::EraseAccountDataResponse Erase(JobBoard& board, const std::string& account) {
  v1::EraseAccountDataRequest r;
  r.set_account_id(account);
  auto response = board.EraseAccountData(r);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : v1::EraseAccountDataResponse();
}

TEST_F(JobBoardTest, ADeletedCodersApplicationStaysForTheEmployerWithoutTheirData) {
  const v1::JobPosting live = Live("Outpatient coder");
  ASSERT_TRUE(Apply("coder", live.posting_id()).ok());
  ASSERT_TRUE(Apply("coder2", live.posting_id()).ok());
  ASSERT_TRUE(store_.SaveJob("c1", live.posting_id(), now_).ok());

  EXPECT_EQ(Erase(*board_, "c1").applications_anonymised(), 1);
  v1::ListApplicantsRequest list;
  list.set_session_token("employer");
  list.set_posting_id(live.posting_id());
  auto applicants = board_->ListApplicants(list);
  ASSERT_TRUE(applicants.ok()) << applicants.status();
  ASSERT_EQ(applicants->applications_size(), 2);
  int deleted = 0;
  for (const v1::Application& a : applicants->applications()) {
    if (!a.applicant_deleted()) {
      EXPECT_EQ(a.coder_account_id(), "c2");  // the other coder is untouched
      continue;
    }
    ++deleted;
    EXPECT_EQ(a.coder_account_id(), "");
    EXPECT_EQ(a.note(), "");
    EXPECT_EQ(a.resume_url(), "");
    // The id's coder part no longer names the account (a substring check
    // would trip over the random hex that replaces it).
    std::string posting_id, coder;
    ASSERT_TRUE(SplitApplicationId(a.application_id(), &posting_id, &coder)) << a.application_id();
    EXPECT_EQ(posting_id, live.posting_id());
    EXPECT_NE(coder, "c1") << a.application_id();
    EXPECT_TRUE(coder.rfind("deleted-", 0) == 0) << a.application_id();
    EXPECT_EQ(a.status(), v1::APPLICATION_STATUS_SUBMITTED);
  }
  EXPECT_EQ(deleted, 1);
  auto saved = store_.ListSavedJobs("c1", 0, 10);
  ASSERT_TRUE(saved.ok());
  EXPECT_TRUE(saved->items.empty());
  auto mine = store_.ListCoderApplications("c1", 0, 10);
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->items.empty());
  // A repeat (the account service retries until acknowledged) changes nothing.
  const v1::EraseAccountDataResponse again = Erase(*board_, "c1");
  EXPECT_EQ(again.applications_anonymised(), 0);
  EXPECT_EQ(again.postings_anonymised(), 0);
}

TEST_F(JobBoardTest, ADeletedEmployersPostingsAreClosedAndKeepNothingOfThem) {
  const v1::JobPosting live = Live("Outpatient coder");
  ASSERT_TRUE(Apply("coder", live.posting_id()).ok());
  EXPECT_EQ(Erase(*board_, "e1").postings_anonymised(), 1);
  auto stored = store_.GetPosting(live.posting_id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(stored->employer_deleted());
  EXPECT_EQ(stored->employer_account_id(), "");
  EXPECT_EQ(stored->fields().description(), "");
  EXPECT_EQ(stored->fields().how_to_apply(), "");
  EXPECT_EQ(stored->status(), v1::POSTING_STATUS_CLOSED);
  EXPECT_EQ(stored->fields().title(), "Outpatient coder");  // the coder's application names it
  auto listed = store_.ListEmployerPostings("e1", 0, 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());
  auto trusted = store_.IsEmployerTrusted("e1");
  ASSERT_TRUE(trusted.ok());
  EXPECT_FALSE(*trusted);
  // The coder still sees their application.
  v1::ListMyApplicationsRequest mine;
  mine.set_session_token("coder");
  auto apps = board_->ListMyApplications(mine);
  ASSERT_TRUE(apps.ok()) << apps.status();
  EXPECT_EQ(apps->applications_size(), 1);
  EXPECT_EQ(Erase(*board_, "e1").postings_anonymised(), 0);
}

TEST_F(JobBoardTest, AnErasureNeedsAnAccountIdAndReportsAStoreThatIsDown) {
  v1::EraseAccountDataRequest none;
  EXPECT_EQ(board_->EraseAccountData(none).status().code(), absl::StatusCode::kInvalidArgument);
  store_.set_unavailable(true);
  v1::EraseAccountDataRequest r;
  r.set_account_id("c1");
  EXPECT_EQ(board_->EraseAccountData(r).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace openencoder::jobs
