#include "services/gateway/billing_routes.h"

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/gateway/proto_json.h"
#include "services/gateway/rpc_route.h"
#include "services/gateway/rpc_route_list.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {
namespace {

using account::v1::AccountService;
using Stub = AccountService::StubInterface;

Route WebhookRoute(Stub* account, absl::Duration timeout) {
  Route route;
  route.spec = Spec("POST", "/api/v1/billing/webhook", "billing",
                    "Payment provider webhook (Stripe-Signature over the raw body): "
                    "checkout completed, subscription updated or deleted, payment failed",
                    {400, 413, 429, 503});
  route.spec.response = account::v1::HandleBillingWebhookResponse::descriptor();
  route.spec.csrf_exempt = true;
  route.handler = [account, timeout](const HttpRequest& http, const Params&,
                                     RequestContext& ctx) -> HttpResponse {
    if (http.body.size() > kMaxBillingWebhookBytes) {
      return GatewayError(413, "INVALID_ARGUMENT", "The event is too large.", ctx.request_id);
    }
    account::v1::HandleBillingWebhookRequest req;
    req.set_payload(http.body);
    req.set_signature_header(http.Header("stripe-signature"));
    req.set_client_address(ctx.client_address);
    account::v1::HandleBillingWebhookResponse resp;
    CallOutcome outcome = CallUnary(
        [&](grpc::ClientContext* c) { return account->HandleBillingWebhook(c, req, &resp); },
        timeout, ctx.request_id);
    if (!outcome.status.ok()) {
      common::LogWarning("billing webhook refused", {{"request_id", ctx.request_id},
                                                     {"client", ctx.client_address},
                                                     {"reason", outcome.status.error_message()}});
      // Not configured is the operator's to fix; the provider retries a 503.
      if (outcome.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        return GatewayError(503, "UNAVAILABLE", "Billing webhooks are not configured here.",
                            ctx.request_id);
      }
      return ErrorFromOutcome(outcome, "account", ctx.request_id);
    }
    return JsonResponse(200, ToJson(resp));
  };
  return route;
}

}  // namespace

std::vector<Route> BillingRoutes(Backends& b) {
  RpcRouteList<Stub> routes(b.account.get(), "account", "billing", b.timeout);
  routes.Add("GET", "/api/v1/billing", "The signed-in account's plan and subscription", {401, 503},
             &Stub::GetBilling);
  routes.Add("POST", "/api/v1/billing/checkout",
             "The payment provider's hosted checkout for Pro, for this "
             "account (409 when no provider is configured)",
             {401, 403, 409, 503}, &Stub::StartCheckout);
  routes.Add(WebhookRoute(b.account.get(), b.timeout));
  routes.Add("POST", "/api/v1/admin/accounts/{account_id}/plan",
             "An administrator sets an account's plan (and roles)", {400, 401, 403, 404, 503},
             &Stub::SetPlan);
  return std::move(routes).Take();
}

}  // namespace openencoder::gateway
