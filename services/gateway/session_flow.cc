#include "services/gateway/session_flow.h"

#include "services/common/log.h"
#include "services/common/status.h"
#include "services/gateway/cookies.h"
#include "services/gateway/rpc_route.h"

namespace openencoder::gateway {

void AdoptSession(const account::v1::SessionToken& session, absl::Time now, RequestContext& ctx) {
  if (!IsCookieSafe(session.token())) {
    // Never put a value in a header that could split it.
    common::LogError("account service issued a token that is not cookie-safe",
                     {{"request_id", ctx.request_id}});
    return;
  }
  absl::Time expires = absl::FromUnixSeconds(session.expires_at().seconds());
  absl::Duration max_age = session.has_expires_at() ? expires - now : absl::Hours(24);
  ctx.session_token = session.token();
  ctx.set_cookies.push_back(SessionCookie(session.token(), max_age, ctx.secure));
}

absl::Status StartGuestSession(account::v1::AccountService::StubInterface* account,
                               absl::Duration timeout, RequestContext& ctx) {
  account::v1::CreateGuestSessionRequest request;
  request.set_client_address(ctx.client_address);
  request.set_user_agent(ctx.user_agent);
  request.set_device_id(ctx.device_id);
  account::v1::CreateGuestSessionResponse response;
  CallOutcome outcome = CallUnary(
      [&](grpc::ClientContext* c) { return account->CreateGuestSession(c, request, &response); },
      timeout, ctx.request_id);
  if (!outcome.status.ok()) return common::FromGrpcStatus(outcome.status);
  AdoptSession(response.session(), absl::Now(), ctx);
  return absl::OkStatus();
}

absl::Status EnsureSession(account::v1::AccountService::StubInterface* account,
                           absl::Duration timeout, RequestContext& ctx) {
  if (!ctx.session_token.empty()) return absl::OkStatus();
  return StartGuestSession(account, timeout, ctx);
}

}  // namespace openencoder::gateway
