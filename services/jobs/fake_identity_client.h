// IdentityClient from a table of session tokens, for fast unit tests of the
// job board: no account service, no gRPC. Tokens not in the table are
// UNAUTHENTICATED, as the account service answers for unknown sessions;
// `set_unavailable(true)` answers UNAVAILABLE, as a service that is down.
// Thread-safe.
#ifndef OPENENCODER_SERVICES_JOBS_FAKE_IDENTITY_CLIENT_H_
#define OPENENCODER_SERVICES_JOBS_FAKE_IDENTITY_CLIENT_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/jobs/identity_client.h"

namespace openencoder::jobs {

class FakeIdentityClient final : public IdentityClient {
 public:
  // `token` signs in as `caller`.
  void Add(std::string token, Caller caller) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    callers_[std::move(token)] = std::move(caller);
  }
  void set_unavailable(bool unavailable) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    unavailable_ = unavailable;
  }
  int calls() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

  absl::StatusOr<Caller> Validate(absl::string_view session_token) override
      ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (session_token.empty()) return absl::UnauthenticatedError("a session is required");
    if (unavailable_) return absl::UnavailableError("the account service is unavailable");
    auto it = callers_.find(session_token);
    if (it == callers_.end()) return absl::UnauthenticatedError("sign in to use the job board");
    return it->second;
  }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Caller> callers_ ABSL_GUARDED_BY(mu_);
  bool unavailable_ ABSL_GUARDED_BY(mu_) = false;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_FAKE_IDENTITY_CLIENT_H_
