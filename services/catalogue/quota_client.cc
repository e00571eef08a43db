#include "services/catalogue/quota_client.h"

#include <optional>
#include <utility>

#include "services/common/client.h"
#include "services/common/status.h"

namespace openencoder::catalogue {

namespace apb = ::openencoder::account::v1;

std::string PlanName(apb::Plan plan) {
  switch (plan) {
    case apb::PLAN_GUEST:
      return "guest";
    case apb::PLAN_FREE:
      return "free";
    case apb::PLAN_PRO:
      return "pro";
    case apb::PLAN_ENTERPRISE:
      return "enterprise";
    default:
      return "unknown";
  }
}

GrpcQuotaClient::GrpcQuotaClient(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : stub_(apb::AccountService::NewStub(std::move(channel))), timeout_(timeout) {}

void GrpcQuotaClient::ConsumeView(const ViewRequest& request, ViewCallback done) {
  // One heap object per call holds what the async call needs until it ends.
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    apb::ConsumeViewRequest request;
    apb::ConsumeViewResponse response;
    ViewCallback done;
  };
  auto* call = new Call;
  call->context = common::MakeClientContext(timeout_, request.request_id);
  call->request.set_session_token(request.session_token);
  call->request.set_code(request.code_key);
  call->request.set_request_id(request.request_id);
  call->done = std::move(done);
  stub_->async()->ConsumeView(call->context.get(), &call->request, &call->response,
                              [call](grpc::Status status) {
                                std::unique_ptr<Call> owned(call);
                                if (!status.ok()) {
                                  owned->done(common::FromGrpcStatus(status));
                                  return;
                                }
                                const apb::Quota& q = owned->response.quota();
                                ViewAnswer answer;
                                answer.allowed = owned->response.allowed();
                                answer.unlimited = q.unlimited();
                                answer.views_remaining = q.views_remaining();
                                answer.view_limit = q.view_limit();
                                answer.plan = PlanName(q.plan());
                                answer.upgrade_hint = q.upgrade_hint();
                                owned->done(std::move(answer));
                              });
}

CachingQuotaClient::CachingQuotaClient(std::unique_ptr<QuotaClient> inner, absl::Duration ttl,
                                       size_t max_sessions)
    : inner_(std::move(inner)), ttl_(ttl), max_sessions_(max_sessions) {}

void CachingQuotaClient::ConsumeView(const ViewRequest& request, ViewCallback done) {
  const absl::Time now = absl::Now();
  std::optional<ViewAnswer> hit;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(request.session_token);
    if (it != cache_.end()) {
      if (it->second.expires > now) {
        hit = it->second.answer;
      } else {
        cache_.erase(it);
      }
    }
  }
  if (hit) {
    done(*std::move(hit));
    return;
  }
  inner_->ConsumeView(request, [this, token = request.session_token,
                                done = std::move(done)](absl::StatusOr<ViewAnswer> answer) {
    if (answer.ok() && answer->allowed && answer->unlimited) {
      absl::MutexLock lock(&mu_);
      // Dropping everything when full is crude but bounded, and a refill
      // costs one meter call per active session.
      if (cache_.size() >= max_sessions_) cache_.clear();
      cache_[token] = Cached{*answer, absl::Now() + ttl_};
    }
    done(std::move(answer));
  });
}

}  // namespace openencoder::catalogue
