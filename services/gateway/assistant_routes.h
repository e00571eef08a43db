// REST routes of the assistant (services/assistant):
//
//  * POST /api/v1/assistant/ask — the chat. Body: AskRequest as JSON
//    ({"question": "...", "conversationId": "..."}); the session is the
//    browser's (a guest session is made when there is none). The answer is
//    relayed as it is produced, as JSON lines (application/x-ndjson, chunked):
//    one AskEvent per line ({"progress":…}, {"chunk":{"text":…}}, then
//    {"final":…}). An error before the first event is an ordinary error
//    response (400/401/429 with Retry-After/503); an error after it is one
//    last line {"error":{…}} in the usual error shape.
//
//  * POST /api/v1/inbound-mail — the mail provider's webhook. The raw
//    application/x-www-form-urlencoded body must carry a valid
//    X-OE-Mail-Signature for X-OE-Mail-Timestamp within the window
//    (services/gateway/inbound_mail/inbound_mail.h); then it becomes
//    AssistantService.SubmitEmail. 401 for a missing, wrong or stale
//    signature (also when no secret is configured), 400 for a form without
//    from / Message-ID / text; each rejection is logged with its reason,
//    never with the body. No CSRF check: the provider is a server, and the
//    signature, not a cookie, says who it is. Answers {"ticketId","duplicate"}
//    only, so the webhook's reply repeats nothing from the mail.
#ifndef OPENENCODER_SERVICES_GATEWAY_ASSISTANT_ROUTES_H_
#define OPENENCODER_SERVICES_GATEWAY_ASSISTANT_ROUTES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/gateway/backends.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

struct AssistantRouteOptions {
  // Deadline of a whole Ask stream (answers take seconds, not milliseconds).
  absl::Duration ask_timeout = absl::Seconds(60);
  // The secret shared with the mail provider; empty: every post is refused.
  std::string inbound_mail_secret;
  // How far the provider's timestamp may be from now either way.
  absl::Duration inbound_mail_window = absl::Minutes(5);
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// `b` must outlive the routes.
std::vector<Route> AssistantRoutes(Backends& b, AssistantRouteOptions options);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_ASSISTANT_ROUTES_H_
