#include "services/gateway/code_routes.h"

#include "services/common/log.h"
#include "services/gateway/proto_json.h"
#include "services/gateway/rpc_route.h"
#include "services/gateway/session_flow.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {
namespace {

using CatalogueStub = catalogue::v1::CatalogueService::StubInterface;
using AccountStub = account::v1::AccountService::StubInterface;

// A code's crosswalks and fees are part of what its page gates, so their
// routes answer only for a code whose page this browser may open now: the
// same same-origin rule and the same meter (opening the page here spends the
// view it would spend, or none when it was opened this month). Otherwise
// 403 with what the teaser says to do.
std::optional<HttpResponse> RequireOpenPage(CatalogueStub* catalogue, AccountStub* account,
                                            absl::Duration timeout, const std::string& code,
                                            RequestContext& ctx) {
  if (!ctx.same_origin) {
    return GatewayError(403, "PERMISSION_DENIED",
                        "Open this code's page on OpenEncoder to see its crosswalks and fees.",
                        ctx.request_id);
  }
  (void)EnsureSession(account, timeout, ctx);  // without one, the page call says so
  catalogue::v1::GetCodePageRequest request;
  request.set_code(code);
  SetGatewayFields(GatewayFieldsOf(ctx), &request);
  catalogue::v1::GetCodePageResponse response;
  CallOutcome outcome = CallUnary(
      [&](grpc::ClientContext* c) { return catalogue->GetCodePage(c, request, &response); },
      timeout, ctx.request_id);
  if (!outcome.status.ok()) return ErrorFromOutcome(outcome, "catalogue", ctx.request_id);
  if (response.has_page()) return std::nullopt;
  return GatewayError(403, "PERMISSION_DENIED",
                      response.teaser().action().empty()
                          ? "Your plan has no code page views left this month."
                          : response.teaser().action(),
                      ctx.request_id);
}

// The hooks of a route about one code (the request's `code`) that answers
// only where that code's page may open (RequireOpenPage).
template <class Req, class Resp>
RpcHooks<Req, Resp> PageGated(CatalogueStub* catalogue, AccountStub* account,
                              absl::Duration timeout) {
  RpcHooks<Req, Resp> hooks;
  hooks.before = [catalogue, account, timeout](Req& r, RequestContext& ctx) {
    return RequireOpenPage(catalogue, account, timeout, r.code(), ctx);
  };
  return hooks;
}

}  // namespace

std::vector<Route> CodeRoutes(Backends& b) {
  using catalogue::v1::CatalogueService;
  using Stub = CatalogueService::StubInterface;
  auto* stub = b.catalogue.get();
  auto* account = b.account.get();
  const absl::Duration timeout = b.timeout;
  std::vector<Route> routes;

  // A code page is metered per session: a browser without one gets its guest
  // session here. If the account service cannot make one, the catalogue still
  // answers (with a teaser that says why), so the page degrades, not fails.
  // Only a same-origin request (our script's CSRF header, or Sec-Fetch-Site:
  // same-origin) may spend a view: anything else is asked without the
  // session, so the catalogue answers the teaser and the meter is not asked.
  // The meter's request id is the gateway's per-request id (a client's
  // X-Request-Id is taken as a hint); the account service binds it to the
  // session and the code, so replaying it for another code opens nothing.
  RpcHooks<catalogue::v1::GetCodePageRequest, catalogue::v1::GetCodePageResponse> page_hooks;
  page_hooks.before = [account, timeout](catalogue::v1::GetCodePageRequest&,
                                         RequestContext& ctx) -> std::optional<HttpResponse> {
    if (!ctx.same_origin) {
      ctx.session_token.clear();
      return std::nullopt;
    }
    absl::Status s = EnsureSession(account, timeout, ctx);
    if (!s.ok()) {
      common::LogWarning("no guest session for a code page",
                         {{"request_id", ctx.request_id}, {"error", std::string(s.message())}});
    }
    return std::nullopt;
  };
  routes.push_back(
      RpcRoute(RouteSpec{"GET",
                         "/api/v1/codes/{code}",
                         "codes",
                         "A code page: the whole page, or a teaser when the meter says no "
                         "(creates a guest session when the browser has none)",
                         nullptr,
                         nullptr,
                         "",
                         {400, 404, 503},
                         /*csrf_exempt=*/false,
                         /*metered=*/true},
               stub, &Stub::GetCodePage, "catalogue", timeout, page_hooks));
  routes.push_back(
      RpcRoute(Spec("POST", "/api/v1/claims/check", "codes",
                    "Checks claim lines against NCCI pairs and MUEs and explains each finding",
                    {400, 403, 503}),
               stub, &Stub::CheckClaim, "catalogue", timeout));
  routes.push_back(RpcRoute(
      Spec("GET", "/api/v1/browse", "codes",
           "One level of a code system's chapter / block / category tree", {400, 404, 503}),
      stub, &Stub::Browse, "catalogue", timeout));
  routes.push_back(RpcRoute(
      Spec("GET", "/api/v1/modifiers", "codes", "HCPCS Level II and CPT modifiers", {400, 503}),
      stub, &Stub::ListModifiers, "catalogue", timeout));
  routes.push_back(
      RpcRoute(Spec("GET", "/api/v1/crosswalks/{code}", "codes",
                    "ICD-9-CM <-> ICD-10-CM General Equivalence Mappings (for a "
                    "code whose page this browser may open: metered like it)",
                    {400, 403, 404, 503}),
               stub, &Stub::GetCrosswalk, "catalogue", timeout,
               PageGated<catalogue::v1::GetCrosswalkRequest, catalogue::v1::GetCrosswalkResponse>(
                   stub, account, timeout)));
  routes.push_back(RpcRoute(Spec("GET", "/api/v1/fees/{code}", "codes",
                                 "Medicare physician fee with the formula (for a code whose "
                                 "page this browser may open: metered like it)",
                                 {400, 403, 404, 409, 503}),
                            stub, &Stub::GetFee, "catalogue", timeout,
                            PageGated<catalogue::v1::GetFeeRequest, catalogue::v1::GetFeeResponse>(
                                stub, account, timeout)));
  routes.push_back(RpcRoute(Spec("GET", "/api/v1/changes", "codes",
                                 "What the loaded edition added, revised or deleted", {400, 503}),
                            stub, &Stub::ListChanges, "catalogue", timeout));
  routes.push_back(
      RpcRoute(Spec("GET", "/api/v1/editions", "codes", "The code-set editions loaded now", {503}),
               stub, &Stub::GetEditions, "catalogue", timeout));
  return routes;
}

}  // namespace openencoder::gateway
