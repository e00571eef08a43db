// A stand-in AccountService for jobs tests, served over real gRPC: only
// ValidateSession, answered from a table of tokens. (The jobs service needs
// nothing else from accounts, and a table lets a test create coders,
// employers and admins without going through registration.)
#ifndef OPENENCODER_TESTS_JOBS_FAKE_ACCOUNT_SERVICE_H_
#define OPENENCODER_TESTS_JOBS_FAKE_ACCOUNT_SERVICE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"

namespace openencoder::jobs::testing {

class FakeAccountService final : public account::v1::AccountService::CallbackService {
 public:
  void AddSession(const std::string& token, const std::string& account_id,
                  std::vector<account::v1::Role> roles) {
    absl::MutexLock lock(&mu_);
    account::v1::ValidateSessionResponse& r = sessions_[token];
    r.set_account_id(account_id);
    r.set_plan(account::v1::PLAN_FREE);
    for (auto role : roles) r.add_roles(role);
  }

  grpc::ServerUnaryReactor* ValidateSession(
      grpc::CallbackServerContext* context, const account::v1::ValidateSessionRequest* request,
      account::v1::ValidateSessionResponse* response) override {
    auto* reactor = context->DefaultReactor();
    absl::MutexLock lock(&mu_);
    auto it = sessions_.find(request->session_token());
    if (it == sessions_.end()) {
      reactor->Finish(grpc::Status(grpc::UNAUTHENTICATED, "unknown session"));
    } else {
      *response = it->second;
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, account::v1::ValidateSessionResponse> sessions_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::jobs::testing

#endif  // OPENENCODER_TESTS_JOBS_FAKE_ACCOUNT_SERVICE_H_
