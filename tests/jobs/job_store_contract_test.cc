// One suite, two stores: the contract of job_store.h checked against
// RedisJobStore on a real redis-server and against InMemoryJobStore, so the
// fake that the fast unit tests run on behaves as the real store does
// (status codes, versions, orderings, paging, the change feed).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/common/redis/redis_client.h"
#include "services/common/time_proto.h"
#include "services/jobs/application_id.h"
#include "services/jobs/in_memory_job_store.h"
#include "services/jobs/redis_job_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::jobs {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  common::SetTimestamp(t, &ts);
  return ts;
}

class StoreFactory {
 public:
  virtual ~StoreFactory() = default;
  virtual JobStore* Fresh() = 0;  // an empty store, valid until the next Fresh()
};

class InMemoryFactory final : public StoreFactory {
 public:
  JobStore* Fresh() override {
    store_ = std::make_unique<InMemoryJobStore>();
    return store_.get();
  }

 private:
  std::unique_ptr<InMemoryJobStore> store_;
};

class RedisFactory final : public StoreFactory {
 public:
  JobStore* Fresh() override {
    if (!server_) {
      auto server = test_support::RedisServer::Start();
      EXPECT_TRUE(server.ok()) << server.status();
      if (!server.ok()) return nullptr;
      server_ = std::move(*server);
      redis::RedisOptions options = test_support::RedisOptionsAs(*server_, "jobs");
      auto client = redis::RedisClient::Create(options);
      EXPECT_TRUE(client.ok()) << client.status();
      if (!client.ok()) return nullptr;
      client_ = std::move(*client);
    }
    EXPECT_TRUE(server_->FlushAll().ok());
    store_ = std::make_unique<RedisJobStore>(client_.get(), absl::Seconds(2));
    return store_.get();
  }

 private:
  std::unique_ptr<test_support::RedisServer> server_;
  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<RedisJobStore> store_;
};

StoreFactory* Factory(const std::string& name) {
  static auto* memory = new InMemoryFactory;
  static auto* redis = new RedisFactory;
  return name == "InMemory" ? static_cast<StoreFactory*>(memory) : redis;
}

v1::JobPosting Posting(const std::string& id, const std::string& employer, absl::Time created,
                       v1::PostingStatus status = v1::POSTING_STATUS_DRAFT) {
  v1::JobPosting p;
  p.set_posting_id(id);
  p.set_employer_account_id(employer);
  p.set_status(status);
  p.mutable_fields()->set_title("Coder " + id);
  *p.mutable_created_at() = Ts(created);
  *p.mutable_updated_at() = Ts(created);
  return p;
}

v1::Application Application(const std::string& posting, const std::string& coder,
                            absl::Time created) {
  v1::Application a;
  a.set_application_id(ApplicationId(posting, coder));
  a.set_posting_id(posting);
  a.set_coder_account_id(coder);
  a.set_note("hello");
  *a.mutable_created_at() = Ts(created);
  return a;
}

class JobStoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = Factory(GetParam())->Fresh();
    ASSERT_NE(store_, nullptr);
  }
  // A published posting of "e1" created at kT0 + `minute` minutes.
  void Published(const std::string& id, int minute = 0) {
    ASSERT_TRUE(store_->InsertPosting(Posting(id, "e1", kT0 + absl::Minutes(minute))).ok());
    auto p = store_->GetPosting(id);
    ASSERT_TRUE(p.ok());
    p->set_status(v1::POSTING_STATUS_PUBLISHED);
    ASSERT_TRUE(store_->ReplacePosting(*p, p->version()).ok());
  }
  JobStore* store_ = nullptr;
};

TEST_P(JobStoreContractTest, InsertGetAndDuplicateIds) {
  ASSERT_TRUE(store_->InsertPosting(Posting("a1", "e1", kT0)).ok());
  auto got = store_->GetPosting("a1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->version(), 1);
  EXPECT_EQ(got->applicant_count(), 0);
  EXPECT_EQ(got->fields().title(), "Coder a1");
  EXPECT_EQ(store_->InsertPosting(Posting("a1", "e2", kT0)).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->GetPosting("nope").status().code(), absl::StatusCode::kNotFound);
  auto some = store_->GetPostings({"nope", "a1"});
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].posting_id(), "a1");
}

TEST_P(JobStoreContractTest, ReplaceChecksTheVersion) {
  ASSERT_TRUE(store_->InsertPosting(Posting("a1", "e1", kT0)).ok());
  v1::JobPosting p = *store_->GetPosting("a1");
  p.mutable_fields()->set_title("Edited");
  auto replaced = store_->ReplacePosting(p, 1);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(replaced->version(), 2);
  EXPECT_EQ(store_->GetPosting("a1")->fields().title(), "Edited");
  EXPECT_EQ(store_->ReplacePosting(p, 1).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->ReplacePosting(p, 0)->version(), 3) << "0 means: no version check";
  EXPECT_EQ(store_->ReplacePosting(Posting("nope", "e1", kT0), 1).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(JobStoreContractTest, PendingQueueFollowsTheStatusOldestFirst) {
  for (int i = 0; i < 3; ++i) {
    const std::string id = "p" + std::to_string(i);
    ASSERT_TRUE(store_->InsertPosting(Posting(id, "e1", kT0)).ok());
    v1::JobPosting p = *store_->GetPosting(id);
    p.set_status(v1::POSTING_STATUS_PENDING_APPROVAL);
    *p.mutable_updated_at() = Ts(kT0 + absl::Minutes(10 - i));  // p2 waits longest
    ASSERT_TRUE(store_->ReplacePosting(p, 1).ok());
  }
  auto page = store_->ListPending(0, 2);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items, (std::vector<std::string>{"p2", "p1"}));
  EXPECT_EQ(page->next_offset, 2);
  auto rest = store_->ListPending(2, 2);
  EXPECT_EQ(rest->items, (std::vector<std::string>{"p0"}));
  EXPECT_EQ(rest->next_offset, -1);

  v1::JobPosting approved = *store_->GetPosting("p2");
  approved.set_status(v1::POSTING_STATUS_PUBLISHED);
  ASSERT_TRUE(store_->ReplacePosting(approved, approved.version()).ok());
  EXPECT_EQ(store_->ListPending(0, 10)->items, (std::vector<std::string>{"p1", "p0"}));
}

TEST_P(JobStoreContractTest, EmployerPostingsNewestFirstWithPaging) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        store_->InsertPosting(Posting("q" + std::to_string(i), "e1", kT0 + absl::Minutes(i))).ok());
  }
  ASSERT_TRUE(store_->InsertPosting(Posting("other", "e2", kT0)).ok());
  auto page = store_->ListEmployerPostings("e1", 0, 2);
  EXPECT_EQ(page->items, (std::vector<std::string>{"q2", "q1"}));
  EXPECT_EQ(page->next_offset, 2);
  EXPECT_EQ(store_->ListEmployerPostings("e1", 2, 2)->items, (std::vector<std::string>{"q0"}));
  EXPECT_TRUE(store_->ListEmployerPostings("nobody", 0, 5)->items.empty());
  auto all = store_->AllPostingIds();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
}

TEST_P(JobStoreContractTest, DailyPostingChargeStopsAtTheLimitPerUtcDay) {
  EXPECT_TRUE(store_->ChargeDailyPosting("e1", 2, kT0).ok());
  EXPECT_TRUE(store_->ChargeDailyPosting("e1", 2, kT0).ok());
  EXPECT_EQ(store_->ChargeDailyPosting("e1", 2, kT0).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(store_->ChargeDailyPosting("e2", 2, kT0).ok()) << "per employer";
  EXPECT_TRUE(store_->ChargeDailyPosting("e1", 2, kT0 + absl::Hours(24)).ok()) << "per day";
}

TEST_P(JobStoreContractTest, ApplyOncePerCoderWithdrawAndReapply) {
  ASSERT_TRUE(store_->InsertPosting(Posting("d1", "e1", kT0)).ok());
  EXPECT_EQ(store_->Apply(Application("d1", "c1", kT0), kT0).status().code(),
            absl::StatusCode::kNotFound)
      << "a draft takes no applications";
  ASSERT_NO_FATAL_FAILURE(Published("j1"));

  auto first = store_->Apply(Application("j1", "c1", kT0), kT0);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->existing);
  EXPECT_EQ(first->application.status(), v1::APPLICATION_STATUS_SUBMITTED);
  EXPECT_EQ(store_->GetPosting("j1")->applicant_count(), 1);

  v1::Application again = Application("j1", "c1", kT0 + absl::Minutes(5));
  again.set_note("second try");
  auto repeat = store_->Apply(again, kT0);
  ASSERT_TRUE(repeat.ok());
  EXPECT_TRUE(repeat->existing);
  EXPECT_EQ(repeat->application.note(), "hello") << "the first application is kept unchanged";
  EXPECT_EQ(store_->GetPosting("j1")->applicant_count(), 1);

  auto withdrawn = store_->Withdraw("j1", "c1");
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->status(), v1::APPLICATION_STATUS_WITHDRAWN);
  EXPECT_EQ(store_->GetPosting("j1")->applicant_count(), 0);
  EXPECT_EQ(store_->Withdraw("j1", "c1")->status(), v1::APPLICATION_STATUS_WITHDRAWN)
      << "withdrawing twice changes nothing";
  EXPECT_EQ(store_->GetPosting("j1")->applicant_count(), 0);
  EXPECT_EQ(store_->Withdraw("j1", "nobody").status().code(), absl::StatusCode::kNotFound);

  auto reopened = store_->Apply(again, kT0);
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE(reopened->existing);
  EXPECT_EQ(reopened->application.status(), v1::APPLICATION_STATUS_SUBMITTED);
  EXPECT_EQ(reopened->application.note(), "second try");
  EXPECT_EQ(store_->GetPosting("j1")->applicant_count(), 1);

  ASSERT_TRUE(store_->Apply(Application("j1", "c2", kT0 + absl::Minutes(1)), kT0).ok());
  auto applicants = store_->ListApplicants("j1", 0, 10);
  ASSERT_TRUE(applicants.ok());
  ASSERT_EQ(applicants->items.size(), 2u);
  EXPECT_EQ(applicants->items[0].coder_account_id(), "c2") << "newest first";
  auto mine = store_->ListCoderApplications("c1", 0, 10);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->items.size(), 1u);
  EXPECT_EQ(mine->items[0].application_id(), ApplicationId("j1", "c1"));
}

TEST_P(JobStoreContractTest, ReviewMarksSurviveAReapplication) {
  ASSERT_NO_FATAL_FAILURE(Published("j3"));
  ASSERT_TRUE(store_->Apply(Application("j3", "c1", kT0), kT0).ok());
  const absl::Time when = kT0 + absl::Milliseconds(1234);
  auto marked = store_->MarkApplicationReviewed("j3", "c1", when);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(common::FromTimestamp(marked->reviewed_at()), when);
  ASSERT_TRUE(store_->Withdraw("j3", "c1").ok());
  ASSERT_TRUE(store_->Apply(Application("j3", "c1", kT0), kT0).ok());
  auto listed = store_->ListApplicants("j3", 0, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_TRUE(listed->items[0].has_reviewed_at());
  auto cleared = store_->MarkApplicationReviewed("j3", "c1", std::nullopt);
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->has_reviewed_at());
  EXPECT_EQ(store_->MarkApplicationReviewed("j3", "nobody", when).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(JobStoreContractTest, ClosedPostingsTakeNoApplications) {
  ASSERT_TRUE(store_->InsertPosting(Posting("j2", "e1", kT0)).ok());
  v1::JobPosting p = *store_->GetPosting("j2");
  p.set_status(v1::POSTING_STATUS_PUBLISHED);
  *p.mutable_fields()->mutable_closes_at() = Ts(kT0 + absl::Hours(1));
  ASSERT_TRUE(store_->ReplacePosting(p, 1).ok());
  EXPECT_TRUE(store_->Apply(Application("j2", "c1", kT0), kT0).ok());
  EXPECT_EQ(store_->Apply(Application("j2", "c2", kT0), kT0 + absl::Hours(2)).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(JobStoreContractTest, SavedJobsAreAnIdempotentSetNewestFirst) {
  EXPECT_TRUE(store_->SaveJob("c1", "j1", kT0).ok());
  EXPECT_TRUE(store_->SaveJob("c1", "j2", kT0 + absl::Minutes(1)).ok());
  EXPECT_TRUE(store_->SaveJob("c1", "j1", kT0 + absl::Minutes(2)).ok()) << "repeat keeps the time";
  EXPECT_EQ(store_->ListSavedJobs("c1", 0, 10)->items, (std::vector<std::string>{"j2", "j1"}));
  EXPECT_TRUE(store_->UnsaveJob("c1", "j2").ok());
  EXPECT_TRUE(store_->UnsaveJob("c1", "j2").ok());
  EXPECT_EQ(store_->ListSavedJobs("c1", 0, 10)->items, (std::vector<std::string>{"j1"}));
}

TEST_P(JobStoreContractTest, TrustedEmployers) {
  EXPECT_FALSE(*store_->IsEmployerTrusted("e1"));
  EXPECT_TRUE(store_->MarkEmployerTrusted("e1").ok());
  EXPECT_TRUE(store_->MarkEmployerTrusted("e1").ok());
  EXPECT_TRUE(*store_->IsEmployerTrusted("e1"));
  EXPECT_FALSE(*store_->IsEmployerTrusted("e2"));
}

TEST_P(JobStoreContractTest, ChangeFeedListsEveryWriteAfterTheCursor) {
  auto start = store_->ChangeCursor();
  ASSERT_TRUE(start.ok());
  ASSERT_TRUE(store_->InsertPosting(Posting("f1", "e1", kT0)).ok());
  ASSERT_TRUE(store_->InsertPosting(Posting("f2", "e1", kT0)).ok());
  v1::JobPosting p = *store_->GetPosting("f1");
  ASSERT_TRUE(store_->ReplacePosting(p, 1).ok());

  auto first = store_->ReadChanges(*start, 2);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->posting_ids, (std::vector<std::string>{"f1", "f2"}));
  auto second = store_->ReadChanges(first->cursor, 10);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->posting_ids, (std::vector<std::string>{"f1"}));
  auto none = store_->ReadChanges(second->cursor, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->posting_ids.empty());
  EXPECT_EQ(none->cursor, second->cursor);
}

TEST_P(JobStoreContractTest, AnApplicationIsAnonymisedInPlaceOnceAndTheAccountForgotten) {
  ASSERT_NO_FATAL_FAILURE(Published("j1"));
  ASSERT_TRUE(store_->Apply(Application("j1", "c1", kT0), kT0).ok());
  ASSERT_TRUE(store_->Apply(Application("j1", "c2", kT0 + absl::Minutes(1)), kT0).ok());
  ASSERT_TRUE(store_->MarkApplicationReviewed("j1", "c1", kT0 + absl::Minutes(2)).ok());
  ASSERT_TRUE(store_->SaveJob("c1", "j1", kT0).ok());

  auto done = store_->AnonymiseApplication("j1", "c1", "deleted-1");
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_TRUE(*done);
  auto repeat = store_->AnonymiseApplication("j1", "c1", "deleted-2");
  ASSERT_TRUE(repeat.ok()) << repeat.status();
  EXPECT_FALSE(*repeat) << "nothing is left under the coder's id";

  auto applicants = store_->ListApplicants("j1", 0, 10);
  ASSERT_TRUE(applicants.ok()) << applicants.status();
  ASSERT_EQ(applicants->items.size(), 2u);
  const v1::Application& oldest = applicants->items[1];  // newest first: its place is kept
  EXPECT_TRUE(oldest.applicant_deleted());
  EXPECT_EQ(oldest.coder_account_id(), "");
  EXPECT_EQ(oldest.note(), "");
  EXPECT_EQ(oldest.resume_url(), "");
  EXPECT_EQ(oldest.application_id(), "j1.deleted-1");
  EXPECT_EQ(oldest.status(), v1::APPLICATION_STATUS_SUBMITTED);
  EXPECT_TRUE(oldest.has_reviewed_at()) << "the employer's mark stays";
  EXPECT_EQ(applicants->items[0].coder_account_id(), "c2");
  EXPECT_EQ(store_->GetPosting("j1")->applicant_count(), 2);
  // The employer can still mark it by its new id.
  EXPECT_TRUE(store_->MarkApplicationReviewed("j1", "deleted-1", std::nullopt).ok());

  ASSERT_TRUE(store_->ForgetAccount("c1", kT0).ok());
  EXPECT_TRUE(store_->ListCoderApplications("c1", 0, 10)->items.empty());
  EXPECT_TRUE(store_->ListSavedJobs("c1", 0, 10)->items.empty());
  ASSERT_TRUE(store_->ForgetAccount("e1", kT0).ok());
  EXPECT_TRUE(store_->ListEmployerPostings("e1", 0, 10)->items.empty());
  EXPECT_TRUE(store_->ForgetAccount("e1", kT0).ok()) << "forgetting twice is fine";
}

INSTANTIATE_TEST_SUITE_P(Stores, JobStoreContractTest, ::testing::Values("InMemory", "Redis"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace openencoder::jobs
