// An in-process AccountService that answers ConsumeView from memory, served
// over real gRPC in tests (services/account has no in-process library yet).
// Sessions:
//   "paid"        unlimited (plan pro)
//   "free"        2 views a month (plan free); a code already opened, or a
//                 retried request_id, is free
//   anything else UNAUTHENTICATED
#ifndef OPENENCODER_TESTS_CATALOGUE_SERVICE_FAKE_ACCOUNT_SERVICE_H_
#define OPENENCODER_TESTS_CATALOGUE_SERVICE_FAKE_ACCOUNT_SERVICE_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"

namespace openencoder::catalogue::testing {

class FakeAccountService final : public account::v1::AccountService::CallbackService {
 public:
  static constexpr int kFreeLimit = 2;

  grpc::ServerUnaryReactor* ConsumeView(grpc::CallbackServerContext* context,
                                        const account::v1::ConsumeViewRequest* request,
                                        account::v1::ConsumeViewResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::MutexLock lock(&mu_);
    ++calls_;
    last_request_id_ = request->request_id();
    account::v1::Quota* q = response->mutable_quota();
    if (request->session_token() == "paid") {
      q->set_plan(account::v1::PLAN_PRO);
      q->set_unlimited(true);
      response->set_allowed(true);
    } else if (request->session_token() == "free") {
      q->set_plan(account::v1::PLAN_FREE);
      q->set_view_limit(kFreeLimit);
      const bool replay = !request_ids_.insert(request->request_id()).second;
      const bool seen = codes_.contains(request->code());
      if (!replay && !seen && static_cast<int>(codes_.size()) < kFreeLimit) {
        codes_.insert(request->code());
      }
      response->set_allowed(codes_.contains(request->code()));
      q->set_views_used(static_cast<int>(codes_.size()));
      q->set_views_remaining(kFreeLimit - static_cast<int>(codes_.size()));
      q->set_upgrade_hint("Upgrade to Pro for unlimited code pages");
    } else {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown session"));
      return reactor;
    }
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::string last_request_id() {
    absl::MutexLock lock(&mu_);
    return last_request_id_;
  }

 private:
  absl::Mutex mu_;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_request_id_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> codes_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> request_ids_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::catalogue::testing

#endif  // OPENENCODER_TESTS_CATALOGUE_SERVICE_FAKE_ACCOUNT_SERVICE_H_
