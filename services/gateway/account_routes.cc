#include "services/gateway/account_routes.h"

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/gateway/cookies.h"
#include "services/gateway/proto_json.h"
#include "services/gateway/rpc_route.h"
#include "services/gateway/rpc_route_list.h"
#include "services/gateway/session_flow.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {

const char kSessionViewSchema[] = R"({"type":"object","properties":{
"signedIn":{"type":"boolean"},
"session":{"$ref":"#/components/schemas/openencoder.account.v1.ValidateSessionResponse"},
"account":{"nullable":true,"allOf":[{"$ref":"#/components/schemas/openencoder.account.v1.Account"}]},
"quota":{"nullable":true,"allOf":[{"$ref":"#/components/schemas/openencoder.account.v1.Quota"}]}}})";

namespace {

using account::v1::AccountService;
using Stub = AccountService::StubInterface;

// A browser that may not start a guest session now (its network or device
// is over the day's cap) is still a visitor: it gets the site, without a
// meter, rather than an error on every page.
HttpResponse NoGuestSession(const absl::Status& s, absl::string_view request_id);

// This browser is signed out: no token for the rest of the request, and
// the cookie expired.
void ForgetBrowserSession(RequestContext& ctx) {
  ctx.session_token.clear();
  ctx.set_cookies.push_back(ExpiredSessionCookie(ctx.secure));
}

// The hooks of a call that ends every session of the account (a password
// reset, a deletion): this browser's too, if it was one of them.
template <class Req, class Resp>
RpcHooks<Req, Resp> EndsEverySession() {
  RpcHooks<Req, Resp> hooks;
  hooks.after = [](const Resp&, RequestContext& ctx) { ForgetBrowserSession(ctx); };
  return hooks;
}

// The hooks of a call that signs this browser in (register, login): the
// session it answers becomes this browser's.
template <class Req, class Resp>
RpcHooks<Req, Resp> SignsIn() {
  RpcHooks<Req, Resp> hooks;
  hooks.after = [](const Resp& r, RequestContext& ctx) {
    AdoptSession(r.session(), absl::Now(), ctx);
  };
  return hooks;
}

HttpResponse StatusError(const absl::Status& s, absl::string_view request_id) {
  return ErrorResponse(
      MapGrpcError(static_cast<grpc::StatusCode>(s.code()), s.message(), "account", std::nullopt),
      request_id);
}

// GET /api/v1/session: who this browser is and what its meter says; starts
// a guest session on the first visit and replaces one that has expired.
Route SessionRoute(Stub* account, absl::Duration timeout) {
  Route route;
  route.spec = Spec("GET", "/api/v1/session", "account",
                    "This browser's session, account and meter (starts a guest session "
                    "on the first visit)",
                    {429, 503});
  route.spec.response_schema = kSessionViewSchema;
  route.handler = [account, timeout](const HttpRequest&, const Params&,
                                     RequestContext& ctx) -> HttpResponse {
    if (absl::Status s = EnsureSession(account, timeout, ctx); !s.ok()) {
      return NoGuestSession(s, ctx.request_id);
    }
    account::v1::ValidateSessionResponse session;
    auto validate = [&] {
      account::v1::ValidateSessionRequest req;
      req.set_session_token(ctx.session_token);
      return CallUnary(
          [&](grpc::ClientContext* c) { return account->ValidateSession(c, req, &session); },
          timeout, ctx.request_id);
    };
    CallOutcome outcome = validate();
    if (outcome.status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      // Expired or ended: this browser becomes a new guest.
      if (absl::Status s = StartGuestSession(account, timeout, ctx); !s.ok()) {
        return NoGuestSession(s, ctx.request_id);
      }
      outcome = validate();
    }
    if (!outcome.status.ok()) return ErrorFromOutcome(outcome, "account", ctx.request_id);

    std::string quota_json = "null";
    account::v1::GetQuotaRequest quota_req;
    quota_req.set_session_token(ctx.session_token);
    account::v1::GetQuotaResponse quota;
    if (CallUnary([&](grpc::ClientContext* c) { return account->GetQuota(c, quota_req, &quota); },
                  timeout, ctx.request_id)
            .status.ok()) {
      quota_json = ToJson(quota.quota());
    }
    std::string account_json = "null";
    if (!session.guest()) {
      account::v1::GetAccountRequest req;
      req.set_session_token(ctx.session_token);
      account::v1::GetAccountResponse acct;
      CallOutcome got =
          CallUnary([&](grpc::ClientContext* c) { return account->GetAccount(c, req, &acct); },
                    timeout, ctx.request_id);
      if (!got.status.ok()) return ErrorFromOutcome(got, "account", ctx.request_id);
      account_json = ToJson(acct.account());
    }
    return JsonResponse(200, absl::StrCat("{\"signedIn\":", session.guest() ? "false" : "true",
                                          ",\"session\":", ToJson(session), ",\"account\":",
                                          account_json, ",\"quota\":", quota_json, "}"));
  };
  return route;
}

HttpResponse NoGuestSession(const absl::Status& s, absl::string_view request_id) {
  if (!absl::IsResourceExhausted(s)) return StatusError(s, request_id);
  return JsonResponse(200, R"({"signedIn":false,"session":null,"account":null,"quota":null})");
}

// POST /api/v1/account/logout: the browser is signed out whatever happens
// behind: the cookie is expired even when the account service cannot be
// reached (the session then ends by its idle timeout).
Route LogoutRoute(Stub* account, absl::Duration timeout) {
  Route route;
  route.spec = Spec("POST", "/api/v1/account/logout", "account",
                    "Ends this browser's session (idempotent; never fails once the CSRF "
                    "check passed)",
                    {403});
  route.spec.request = account::v1::LogoutRequest::descriptor();
  route.spec.response = account::v1::LogoutResponse::descriptor();
  route.handler = [account, timeout](const HttpRequest&, const Params&,
                                     RequestContext& ctx) -> HttpResponse {
    if (!ctx.session_token.empty()) {
      account::v1::LogoutRequest req;
      req.set_session_token(ctx.session_token);
      account::v1::LogoutResponse resp;
      CallOutcome out =
          CallUnary([&](grpc::ClientContext* c) { return account->Logout(c, req, &resp); }, timeout,
                    ctx.request_id);
      if (!out.status.ok()) {
        common::LogWarning("logout not recorded by the account service",
                           {{"request_id", ctx.request_id}, {"error", out.status.error_message()}});
      }
    }
    ForgetBrowserSession(ctx);
    return JsonResponse(200, "{}");
  };
  return route;
}

}  // namespace

std::vector<Route> AccountRoutes(Backends& b) {
  Stub* stub = b.account.get();
  const absl::Duration timeout = b.timeout;
  RpcRouteList<Stub> routes(stub, "account", "account", timeout);
  routes.Add(SessionRoute(stub, timeout));

  routes.Add("POST", "/api/v1/account/register",
             "Creates an account and signs this browser in; a guest's views carry over",
             {400, 403, 429, 503}, &Stub::Register,
             SignsIn<account::v1::RegisterRequest, account::v1::RegisterResponse>());

  routes.Add("POST", "/api/v1/account/login", "Signs this browser in", {400, 401, 403, 429, 503},
             &Stub::Login, SignsIn<account::v1::LoginRequest, account::v1::LoginResponse>());

  routes.Add(LogoutRoute(stub, timeout));

  routes.Add("GET", "/api/v1/account", "The signed-in account", {401, 503}, &Stub::GetAccount);
  routes.Add("POST", "/api/v1/account/password",
             "Changes the password and ends every other session", {400, 401, 403, 503},
             &Stub::ChangePassword);
  routes.Add("POST", "/api/v1/account/verification-email",
             "Mails the signed-in account a new single-use email verification link",
             {401, 403, 409, 429, 503}, &Stub::RequestEmailVerification);
  // The target of the mailed link (body {"token": "..."}); needs no session,
  // since the link may be opened in another browser. 404 is one answer for an
  // unknown, expired or already used token.
  routes.Add("POST", "/api/v1/account/verify-email",
             "Verifies an email address with the token from the mailed link (single use)",
             {400, 403, 404, 503}, &Stub::VerifyEmail);

  // "Forgot password": the same 200 whether or not the address has an
  // account; the mailed link opens reset-password.html, which posts the
  // token and the new password to /api/v1/account/reset-password.
  routes.Add("POST", "/api/v1/account/password-reset",
             "Mails a single-use password-reset link to the address's owner "
             "(the same answer for unknown addresses)",
             {400, 403, 429, 503}, &Stub::RequestPasswordReset);
  routes.Add(
      "POST", "/api/v1/account/reset-password",
      "Sets a new password with the mailed token (single use) and "
      "signs out every session of the account",
      {400, 403, 404, 503}, &Stub::ResetPassword,
      EndsEverySession<account::v1::ResetPasswordRequest, account::v1::ResetPasswordResponse>());

  // Deleting asks for the password again (body {"password": "..."}), so a
  // session left open on a shared computer cannot erase the account.
  routes.Add(
      "POST", "/api/v1/account/delete",
      "Deletes the signed-in account and its personal data after "
      "checking the password; says what anonymous data is kept",
      {400, 401, 403, 409, 429, 503}, &Stub::DeleteAccount,
      EndsEverySession<account::v1::DeleteAccountRequest, account::v1::DeleteAccountResponse>());

  RpcHooks<account::v1::GetQuotaRequest, account::v1::GetQuotaResponse> quota_hooks;
  quota_hooks.before = [stub, timeout](account::v1::GetQuotaRequest&,
                                       RequestContext& ctx) -> std::optional<HttpResponse> {
    if (absl::Status s = EnsureSession(stub, timeout, ctx); !s.ok()) {
      return StatusError(s, ctx.request_id);
    }
    return std::nullopt;
  };
  routes.Add("GET", "/api/v1/quota", "The code-page meter of this browser's session",
             {401, 429, 503}, &Stub::GetQuota, quota_hooks);
  routes.Add("GET", "/api/v1/sessions", "The account's live sessions", {400, 401, 503},
             &Stub::ListSessions);
  routes.Add("DELETE", "/api/v1/sessions/{session_id}", "Ends one of the account's own sessions",
             {401, 403, 404, 503}, &Stub::RevokeSession);
  return std::move(routes).Take();
}

}  // namespace openencoder::gateway
