#include "services/gateway/assistant_routes.h"

#include <memory>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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

std::string Line(const AskEvent& event) {
  std::string line = ToJson(event);
  line.push_back('\n');
  return line;
}

// One Ask stream on gRPC's callback API: events are relayed from gRPC's
// completion threads into the HTTP connection's ResponseStream, so no
// thread waits while the assistant thinks. The HTTP handler waits only
// for the first event (or the call's end), because that decides the
// status. Lives until gRPC's OnDone (`self_`) and as long as the handler or
// the response holds it.
class AskRelay final : public grpc::ClientReadReactor<AskEvent> {
 public:
  static std::shared_ptr<AskRelay> Start(AssistantStub* assistant, const AskRequest& request,
                                         absl::Duration timeout, const std::string& request_id) {
    auto relay = std::shared_ptr<AskRelay>(new AskRelay());
    relay->self_ = relay;
    relay->request_ = request;
    relay->context_ = common::MakeClientContext(timeout, request_id);
    assistant->async()->Ask(relay->context_.get(), &relay->request_, relay.get());
    relay->StartRead(&relay->event_);
    relay->StartCall();
    return relay;
  }

  // Blocks until the first event or the end of the call; false (and the
  // outcome) when the call ended without any event.
  bool AwaitFirstEvent(CallOutcome* outcome) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](AskRelay* r) ABSL_SHARED_LOCKS_REQUIRED(r->mu_) { return r->any_event_ || r->done_; },
        this));
    if (any_event_) return true;
    *outcome = outcome_;
    return false;
  }

  // From then on, lines go to `out`; what came before is written at once.
  void Attach(std::shared_ptr<ResponseStream> out, std::string request_id) {
    absl::MutexLock lock(&mu_);
    request_id_ = std::move(request_id);
    out_ = std::move(out);
    const bool open = out_->Write(backlog_);
    backlog_.clear();
    client_gone_ = !open;
    if (done_) {
      EndLocked();
    } else if (!open) {
      context_->TryCancel();  // the browser left; stop the assistant's work
    }
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended; OnDone follows with the status
    std::string line = Line(event_);
    bool open = true;
    {
      absl::MutexLock lock(&mu_);
      any_event_ = true;
      if (out_ == nullptr) {
        backlog_.append(line);
      } else {
        open = out_->Write(line);
        client_gone_ = !open;
      }
    }
    if (!open) {
      context_->TryCancel();  // the browser left; stop the assistant's work
      return;
    }
    StartRead(&event_);
  }

  void OnDone(const grpc::Status& status) override {
    std::shared_ptr<AskRelay> keep;
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      outcome_ = OutcomeOf(status, *context_);
      if (out_ != nullptr) EndLocked();
      keep = std::move(self_);  // released after the lock
    }
  }

 private:
  AskRelay() = default;

  // The call is over and the response attached: the error line if any, end.
  void EndLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!outcome_.status.ok() && any_event_ && !client_gone_) {
      out_->Write(ErrorFromOutcome(outcome_, "assistant", request_id_).body + "\n");
    }
    out_->Finish();
    out_.reset();
  }

  AskRequest request_;
  std::unique_ptr<grpc::ClientContext> context_;
  AskEvent event_;  // owned by the read in flight
  std::shared_ptr<AskRelay> self_;
  absl::Mutex mu_;
  bool any_event_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool client_gone_ ABSL_GUARDED_BY(mu_) = false;
  CallOutcome outcome_ ABSL_GUARDED_BY(mu_);
  std::string backlog_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<ResponseStream> out_ ABSL_GUARDED_BY(mu_);
  std::string request_id_ ABSL_GUARDED_BY(mu_);
};

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
    std::shared_ptr<AskRelay> relay =
        AskRelay::Start(assistant, request, ask_timeout, ctx.request_id);
    // The first event decides the HTTP status: until one arrives, a failure
    // (quota, bad question, service down) can still be a proper error reply.
    // The worker waits for it (the assistant sends a progress event once the
    // question is accepted); the rest of the answer holds no thread.
    CallOutcome failed;
    if (!relay->AwaitFirstEvent(&failed)) {
      return ErrorFromOutcome(failed, "assistant", ctx.request_id);
    }
    HttpResponse response;
    response.status = 200;
    response.content_type = kNdjson;
    response.AddHeader("X-Accel-Buffering", "no");  // proxies: pass lines on as they come
    response.start_stream = [relay,
                             request_id = ctx.request_id](std::shared_ptr<ResponseStream> out) {
      relay->Attach(std::move(out), request_id);
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
