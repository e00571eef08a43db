// The catalogue's view of the account service's meter: "may this session
// see this code page?". An interface so that the page logic is tested with
// a fake; GrpcQuotaClient is the real one, CachingQuotaClient remembers
// unlimited sessions for a short time.
#ifndef OPENENCODER_SERVICES_CATALOGUE_QUOTA_CLIENT_H_
#define OPENENCODER_SERVICES_CATALOGUE_QUOTA_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"

namespace openencoder::catalogue {

struct ViewRequest {
  std::string session_token;
  std::string code_key;    // "ICD10CM:E119"
  std::string request_id;  // The same id on a retry: counted once.
};

struct ViewAnswer {
  bool allowed = false;
  bool unlimited = false;
  int views_remaining = 0;
  int view_limit = 0;
  std::string plan;          // "guest", "free", "pro", "enterprise"
  std::string upgrade_hint;  // "Register a free account to get 5 more views"
};

using ViewCallback = std::function<void(absl::StatusOr<ViewAnswer>)>;

class QuotaClient {
 public:
  virtual ~QuotaClient() = default;
  // Records the view and calls `done` exactly once, possibly on another
  // thread and possibly before returning. Errors: UNAUTHENTICATED (no such
  // session); any other error means the meter could not be asked.
  virtual void ConsumeView(const ViewRequest& request, ViewCallback done) = 0;
};

// ConsumeView over gRPC with a deadline of `timeout` per call (retries of
// UNAVAILABLE included, by the channel's policy) and the request id as
// x-request-id. Non-blocking: uses the callback client API.
class GrpcQuotaClient final : public QuotaClient {
 public:
  GrpcQuotaClient(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  void ConsumeView(const ViewRequest& request, ViewCallback done) override;

 private:
  std::unique_ptr<account::v1::AccountService::Stub> stub_;
  absl::Duration timeout_;
};

// Remembers, per session, that the meter answered "unlimited" and answers
// further views of that session itself for `ttl`, without a call. Trade-off:
// a plan downgrade or a revoked session is noticed up to `ttl` late, and
// views of unlimited sessions within `ttl` are not recorded by the account
// service (they are never limited, so nothing is granted that would not be).
// Limited sessions are never cached. Thread-safe.
class CachingQuotaClient final : public QuotaClient {
 public:
  CachingQuotaClient(std::unique_ptr<QuotaClient> inner, absl::Duration ttl,
                     size_t max_sessions = 100000);
  void ConsumeView(const ViewRequest& request, ViewCallback done) override;

 private:
  struct Cached {
    ViewAnswer answer;
    absl::Time expires;
  };
  std::unique_ptr<QuotaClient> inner_;
  absl::Duration ttl_;
  size_t max_sessions_;
  absl::Mutex mu_;
  // Keyed by the token itself: it never leaves this process's memory.
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
};

// The account proto's plan as a word.
std::string PlanName(account::v1::Plan plan);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_QUOTA_CLIENT_H_
