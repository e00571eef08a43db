// The paid plan over AccountService (services/account/billing.h):
//
//  * GET  /api/v1/billing           the signed-in account's plan and subscription.
//  * POST /api/v1/billing/checkout  {"checkoutUrl"}: the provider's hosted checkout
//    for this account; the page sends the browser there. 409 with a message
//    for people when no provider is configured (an operator then uses
//    scripts/oe-admin set-plan) or the plan is already paid.
//  * POST /api/v1/billing/webhook   the provider's signed events, relayed byte for
//    byte with their Stripe-Signature header; the account service verifies
//    and applies them. No CSRF check (a server sends it and the signature
//    says who it is) and never the session cookie; bodies over 64 KiB are
//    refused (413) before any call, and the account service rate-limits
//    posts per network. 400 for a missing, wrong or stale signature.
//  * POST /api/v1/admin/accounts/{account_id}/plan  an administrator sets a
//    plan (SetPlan; 403 for everyone else).
#ifndef OPENENCODER_SERVICES_GATEWAY_BILLING_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_BILLING_ROUTES_H_

#include <vector>

#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// Largest webhook body accepted (the provider's events are a few KiB).
inline constexpr size_t kMaxBillingWebhookBytes = 64 * 1024;

// `backends` must outlive the routes.
std::vector<Route> BillingRoutes(Backends& backends);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_BILLING_ROUTES_H_
