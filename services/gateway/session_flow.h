// Sessions as the browser sees them: a guest session is made on the first
// visit and kept in the oe_session cookie; logging in or registering swaps
// it for the account's session.
#ifndef OPENENCODER_SERVICES_GATEWAY_SESSION_FLOW_H_
#define OPENENCODER_SERVICES_GATEWAY_SESSION_FLOW_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "openencoder/account/v1/account_service.grpc.pb.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// Makes a guest session when ctx has none: ctx.session_token is set and a
// Set-Cookie queued. OK when there already was one. Errors are the account
// service's (UNAVAILABLE, RESOURCE_EXHAUSTED for the per-address cap); the
// caller decides whether to go on without a session.
absl::Status EnsureSession(account::v1::AccountService::StubInterface* account,
                           absl::Duration timeout, RequestContext& ctx);

// Makes a new guest session even when ctx has a token (the old one expired).
absl::Status StartGuestSession(account::v1::AccountService::StubInterface* account,
                               absl::Duration timeout, RequestContext& ctx);

// Adopts `session` for this browser: ctx.session_token and a Set-Cookie whose
// Max-Age is the session's remaining lifetime at `now`.
void AdoptSession(const account::v1::SessionToken& session, absl::Time now, RequestContext& ctx);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_SESSION_FLOW_H_
