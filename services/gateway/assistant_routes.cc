#include "services/gateway/assistant_routes.h"

#include <memory>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/log.h"
#include "services/gateway/inbound_mail/inbound_mail.h"
#include "services/gateway/json_printer.h"
#include "services/gateway/proto_json.h"
#include "services/gateway/rpc_route.h"
#include "services/gateway/session_flow.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {
namespace {

using assistant::v1::AskEvent;
using assistant::v1::AskRequest;
using AssistantStub = assistant::v1::AssistantService::StubInterface;

constexpr char kNdjson[] = "application/x-ndjson; charset=utf-8";

// One Ask stream, owned by the HTTP response that relays it. Whatever way
// the relay ends (finished, client gone, never started), the call is
// finished here so gRPC can release it.
struct AskCall {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReaderInterface<AskEvent>> reader;
  bool finished = false;

  CallOutcome Finish() {
    finished = true;
    grpc::Status status = reader->Finish();
    return OutcomeOf(std::move(status), *context);
  }
  ~AskCall() {
    if (!finished && reader != nullptr) {
      context->TryCancel();
      reader->Finish();
    }
  }
};

std::string Line(const AskEvent& event) {
  std::string line = ToJson(event);
  line.push_back('\n');
  return line;
}

Route AskRoute(AssistantStub* assistant, account::v1::AccountService::StubInterface* account,
               absl::Duration account_timeout, absl::Duration ask_timeout) {
  Route route;
  route.spec = RouteSpec{"POST",
                         "/api/v1/assistant/ask",
                         "assistant",
                         "Asks CasePilot; the answer streams back as JSON lines, one AskEvent "
                         "each (progress, chunks, final)",
                         AskRequest::descriptor(),
                         AskEvent::descriptor(),
                         "",
                         {400, 401, 403, 429, 503}};
  route.handler = [assistant, account, account_timeout, ask_timeout](
                      const HttpRequest& http, const Params&, RequestContext& ctx) -> HttpResponse {
    AskRequest request;
    if (absl::Status parsed = ParseJsonBody(http.body, &request); !parsed.ok()) {
      return GatewayErrorFor(parsed, ctx.request_id);
    }
    // Questions are counted per session, so a first-time visitor gets a
    // guest session here as on a code page.
    if (absl::Status s = EnsureSession(account, account_timeout, ctx); !s.ok()) {
      return ErrorResponse(MapGrpcError(static_cast<grpc::StatusCode>(s.code()), s.message(),
                                        "account", std::nullopt),
                           ctx.request_id);
    }
    SetGatewayFields({ctx.session_token, ctx.client_address, ctx.user_agent, ctx.request_id},
                     &request);
    auto call = std::make_shared<AskCall>();
    call->context = common::MakeClientContext(ask_timeout, ctx.request_id);
    call->reader = assistant->Ask(call->context.get(), request);
    // The first event decides the HTTP status: until one arrives, a failure
    // (quota, bad question, service down) can still be a proper error reply.
    auto first = std::make_shared<AskEvent>();
    if (!call->reader->Read(first.get())) {
      return ErrorFromOutcome(call->Finish(), "assistant", ctx.request_id);
    }
    HttpResponse response;
    response.status = 200;
    response.content_type = kNdjson;
    response.AddHeader("X-Accel-Buffering", "no");  // proxies: pass lines on as they come
    const std::string request_id = ctx.request_id;
    response.stream = [call, first, request_id](const BodyWriter& write) {
      bool open = write(Line(*first));
      AskEvent event;
      while (open && call->reader->Read(&event)) open = write(Line(event));
      if (!open) {
        call->context->TryCancel();  // the browser left; stop the assistant's work
        call->Finish();
        return;
      }
      CallOutcome outcome = call->Finish();
      if (!outcome.status.ok()) {
        write(ErrorFromOutcome(outcome, "assistant", request_id).body + "\n");
      }
    };
    return response;
  };
  return route;
}

Route InboundMailRoute(AssistantStub* assistant, absl::Duration timeout,
                       AssistantRouteOptions options) {
  Route route;
  route.spec = RouteSpec{"POST",
                         "/api/v1/inbound-mail",
                         "assistant",
                         "Mail provider webhook (HMAC-signed form post): a question for "
                         "CaseConsultant",
                         nullptr,
                         nullptr,
                         "{\"type\":\"object\",\"properties\":{\"ticketId\":{\"type\":\"string\"},"
                         "\"duplicate\":{\"type\":\"boolean\"}}}",
                         {400, 401, 503}};
  route.spec.csrf_exempt = true;
  route.handler = [assistant, timeout, options = std::move(options)](
                      const HttpRequest& http, const Params&, RequestContext& ctx) -> HttpResponse {
    auto reject = [&](absl::string_view why) {
      common::LogWarning(
          "inbound mail rejected",
          {{"request_id", ctx.request_id}, {"client", ctx.client_address}, {"reason", why}});
    };
    absl::Status verified = assistant::VerifySignature(
        options.inbound_mail_secret, http.Header("x-oe-mail-timestamp"), http.body,
        http.Header("x-oe-mail-signature"), options.now(), options.inbound_mail_window);
    if (!verified.ok()) {
      reject(verified.message());
      return GatewayError(401, "UNAUTHENTICATED", "The mail signature is missing, wrong or stale.",
                          ctx.request_id);
    }
    absl::StatusOr<assistant::v1::SubmitEmailRequest> mail =
        assistant::ParseProviderForm(http.body);
    if (!mail.ok()) {
      reject(mail.status().message());
      return GatewayError(400, "INVALID_ARGUMENT", mail.status().message(), ctx.request_id);
    }
    assistant::v1::SubmitEmailResponse submitted;
    CallOutcome outcome = CallUnary(
        [&](grpc::ClientContext* c) { return assistant->SubmitEmail(c, *mail, &submitted); },
        timeout, ctx.request_id);
    if (!outcome.status.ok()) {
      reject(absl::StrCat("SubmitEmail: ", outcome.status.error_message()));
      return ErrorFromOutcome(outcome, "assistant", ctx.request_id);
    }
    common::LogInfo("inbound mail accepted", {{"request_id", ctx.request_id},
                                              {"ticket_id", submitted.ticket().ticket_id()},
                                              {"duplicate", submitted.duplicate() ? "yes" : "no"}});
    std::string body = "{\"ticketId\":";
    AppendJsonString(submitted.ticket().ticket_id(), &body);
    absl::StrAppend(&body, ",\"duplicate\":", submitted.duplicate() ? "true" : "false", "}");
    return JsonResponse(200, std::move(body));
  };
  return route;
}

}  // namespace

std::vector<Route> AssistantRoutes(Backends& b, AssistantRouteOptions options) {
  std::vector<Route> routes;
  routes.push_back(AskRoute(b.assistant.get(), b.account.get(), b.timeout, options.ask_timeout));
  routes.push_back(InboundMailRoute(b.assistant.get(), b.timeout, std::move(options)));
  return routes;
}

}  // namespace openencoder::gateway
