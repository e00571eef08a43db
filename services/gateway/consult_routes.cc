#include "services/gateway/consult_routes.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "services/gateway/rpc_route.h"
#include "services/gateway/rpc_route_list.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {
namespace {

using Stub = assistant::v1::AssistantService::StubInterface;

struct Rewrite {
  absl::string_view from;  // the service's message, or its start
  absl::string_view to;
};

// The assistant's and the account service's words for programs, and what
// a person reads instead.
constexpr Rewrite kRewrites[] = {
    {"the consultant role is required",
     "This is for CaseConsultant consultants. An administrator can give your account the "
     "consultant role."},
    {"ticket is claimed by another consultant",
     "Another consultant has already claimed this question."},
    {"ticket is not in a state that allows this",
     "This question is no longer open for that; reload to see where it stands."},
    {"no such ticket", "There is no such question."},
    {"the answer is empty", "Write an answer before sending it."},
    {"bad page token", "That page of the list does not exist; start from the first page."},
};

// "ticket is claimed by another consultant" ->
// "Another consultant has already claimed this question."; other messages
// get a capital first letter and a final period.
std::string ConsultMessage(absl::string_view message) {
  for (const Rewrite& r : kRewrites) {
    if (absl::StartsWith(message, r.from)) return std::string(r.to);
  }
  std::string out(absl::StripAsciiWhitespace(message));
  if (out.empty()) return out;
  out[0] = absl::ascii_toupper(static_cast<unsigned char>(out[0]));
  if (out.back() != '.' && out.back() != '?' && out.back() != '!') out.push_back('.');
  return out;
}

// Every consult route needs a signed-in browser: say so without a call.
template <class Req>
std::optional<HttpResponse> NeedsSession(Req&, RequestContext& ctx) {
  if (!ctx.session_token.empty()) return std::nullopt;
  return GatewayError(401, "UNAUTHENTICATED",
                      "Sign in or register to use CaseConsultant: the answer is mailed to your "
                      "address.",
                      ctx.request_id);
}

// Every consult route needs a session and rewrites messages for people.
struct ConsultHooks {
  template <class Req, class Resp>
  static RpcHooks<Req, Resp> For() {
    RpcHooks<Req, Resp> hooks;
    hooks.before = &NeedsSession<Req>;
    hooks.explain = [](absl::string_view m) { return ConsultMessage(m); };
    return hooks;
  }
};

}  // namespace

std::vector<Route> ConsultRoutes(Backends& b) {
  const std::vector<int> kRead = {400, 401, 403, 503};
  const std::vector<int> kWrite = {400, 401, 403, 404, 409, 503};
  RpcRouteList<Stub, ConsultHooks> r(b.assistant.get(), "assistant", "consult", b.timeout);
  r.Add("POST", "/api/v1/consult/questions",
        "Ask a certified coder (signed-in members with a verified email); the answer is "
        "mailed once and listed in My questions",
        {400, 401, 403, 409, 413, 429, 503}, &Stub::SubmitQuestion);
  r.Add("GET", "/api/v1/consult/questions",
        "My questions to CaseConsultant, newest first, with status "
        "and answer",
        kRead, &Stub::ListMyQuestions);
  r.Add("GET", "/api/v1/consult/tickets",
        "The consultant queue, oldest first (?status=; default "
        "TICKET_STATUS_WAITING; consultants)",
        kRead, &Stub::ListTickets);
  r.Add("GET", "/api/v1/consult/tickets/{ticket_id}", "One question with its answer (consultants)",
        {401, 403, 404, 503}, &Stub::GetTicket);
  r.Add("POST", "/api/v1/consult/tickets/{ticket_id}/claim",
        "Claim a waiting question (consultants)", kWrite, &Stub::ClaimTicket);
  r.Add("POST", "/api/v1/consult/tickets/{ticket_id}/answer",
        "Answer a question you claimed; the reply is mailed to the "
        "asker exactly once (consultants)",
        kWrite, &Stub::AnswerTicket);
  return std::move(r).Take();
}

}  // namespace openencoder::gateway
