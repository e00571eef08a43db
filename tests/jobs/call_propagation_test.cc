// The jobs service's call to the account service carries the caller's
// request id and never outlives the caller's deadline; a call that waited
// out its deadline in the worker queue is dropped before it runs. Real gRPC
// on loopback both ways: the real JobsService (on the in-memory store) and a
// recording AccountService standing in for the account server.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/request_id.h"
#include "services/common/server.h"
#include "services/common/worker_pool.h"
#include "services/jobs/grpc_identity_client.h"
#include "services/jobs/in_memory_job_store.h"
#include "services/jobs/job_board.h"
#include "services/jobs/jobs_service.h"
#include "services/jobs/search_index.h"

namespace openencoder::jobs {
namespace {

namespace av1 = ::openencoder::account::v1;

// Answers every session as a coder and records what each call carried.
class RecordingAccountService final : public av1::AccountService::Service {
 public:
  struct Seen {
    std::string request_id;
    absl::Time deadline;
  };

  grpc::Status ValidateSession(grpc::ServerContext* context, const av1::ValidateSessionRequest*,
                               av1::ValidateSessionResponse* response) override {
    absl::MutexLock lock(&mu_);
    seen_.push_back({common::RequestIdOf(*context), absl::FromChrono(context->deadline())});
    response->set_account_id("c1");
    response->add_roles(av1::ROLE_CODER);
    return grpc::Status::OK;
  }

  std::vector<Seen> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

 private:
  absl::Mutex mu_;
  std::vector<Seen> seen_ ABSL_GUARDED_BY(mu_);
};

class CallPropagationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    common::ServerOptions account_options;
    account_options.service_name = "account";
    account_options.log_calls = true;  // assigns and reads x-request-id as in production
    auto account = common::RunningServer::Start(
        account_options, {common::Bind<av1::AccountService>(&account_service_)});
    ASSERT_TRUE(account.ok()) << account.status();
    account_server_ = std::move(*account);

    // A generous client timeout: the caller's deadline must be what limits it.
    identity_ = std::make_unique<GrpcIdentityClient>(account_server_->address(), absl::Seconds(30));
    board_ = std::make_unique<JobBoard>(&store_, identity_.get(), &index_);
    pool_ = std::make_unique<common::WorkerPool>(1);
    service_ = std::make_unique<JobsServiceImpl>(board_.get(), pool_.get());
    common::ServerOptions jobs_options;
    jobs_options.service_name = "jobs";
    auto jobs =
        common::RunningServer::Start(jobs_options, {common::Bind<v1::JobsService>(service_.get())});
    ASSERT_TRUE(jobs.ok()) << jobs.status();
    jobs_server_ = std::move(*jobs);
    stub_ = v1::JobsService::NewStub(common::MakeChannel(jobs_server_->address()));
  }

  void TearDown() override {
    if (jobs_server_) jobs_server_->Shutdown();
    if (account_server_) account_server_->Shutdown();
  }

  grpc::Status ListMyApplications(const std::string& request_id, absl::Duration timeout) {
    v1::ListMyApplicationsRequest request;
    request.set_session_token("a-session");
    v1::ListMyApplicationsResponse response;
    grpc::ClientContext context;
    context.AddMetadata(common::kRequestIdHeader, request_id);
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    return stub_->ListMyApplications(&context, request, &response);
  }

  RecordingAccountService account_service_;
  std::unique_ptr<common::RunningServer> account_server_;
  InMemoryJobStore store_;
  SearchIndex index_;
  std::unique_ptr<GrpcIdentityClient> identity_;
  std::unique_ptr<JobBoard> board_;
  std::unique_ptr<common::WorkerPool> pool_;
  std::unique_ptr<JobsServiceImpl> service_;
  std::unique_ptr<common::RunningServer> jobs_server_;
  std::unique_ptr<v1::JobsService::Stub> stub_;
};

TEST_F(CallPropagationTest, TheAccountCallCarriesTheCallersRequestIdAndDeadline) {
  const absl::Time before = absl::Now();
  grpc::Status status = ListMyApplications("req-jobs-1", absl::Seconds(3));
  ASSERT_TRUE(status.ok()) << status.error_message();
  const auto seen = account_service_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].request_id, "req-jobs-1");
  // The identity client's own timeout is 30 s; the caller gave 3 s.
  EXPECT_LE(seen[0].deadline, before + absl::Seconds(3) + absl::Milliseconds(50));
  EXPECT_GT(seen[0].deadline, before);
}

TEST_F(CallPropagationTest, ACallThatExpiredInTheQueueIsDroppedBeforeItRuns) {
  absl::Notification release;
  pool_->Schedule([&release] { release.WaitForNotification(); });  // the only worker is busy
  grpc::Status status = ListMyApplications("req-jobs-late", absl::Milliseconds(200));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server's copy of the deadline counts from when the call arrived, a
  // moment after the client's: let it pass too before the worker is free.
  absl::SleepFor(absl::Milliseconds(100));
  release.Notify();
  // The queued work now runs into its passed deadline and must do nothing.
  ASSERT_TRUE(ListMyApplications("req-jobs-after", absl::Seconds(3)).ok());
  const auto seen = account_service_.seen();
  ASSERT_EQ(seen.size(), 1u) << "the expired call reached the account service";
  EXPECT_EQ(seen[0].request_id, "req-jobs-after");
}

}  // namespace
}  // namespace openencoder::jobs
