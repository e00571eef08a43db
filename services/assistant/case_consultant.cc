#include "services/assistant/case_consultant.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"

namespace openencoder::assistant {
namespace {

constexpr char kSignature[] =
    "\n\n-- \nCaseConsultant, OpenEncoder. Answers are based on our reference data and "
    "guidelines in our own words; check the code pages before you bill.";

std::string MailAnswer(const EngineAnswer& a) {
  std::string out = a.text;
  if (!a.citations.empty()) {
    absl::StrAppend(&out, "\nSources:\n");
    for (const v1::Citation& c : a.citations) {
      absl::StrAppend(&out, "- ", c.code(),
                      c.edition().empty() ? "" : absl::StrCat(" (", c.edition(), ")"), ": ",
                      c.source(), "\n");
    }
  }
  return absl::StrCat(out, kSignature);
}

}  // namespace

std::string CaseConsultant::QuestionOf(const std::string& text) {
  std::vector<std::string> kept;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(t, ">")) break;
    if (absl::StartsWith(t, "On ") && absl::EndsWith(t, "wrote:")) break;
    if (t == "--") break;  // signature
    kept.emplace_back(line);
  }
  return std::string(absl::StripAsciiWhitespace(absl::StrJoin(kept, "\n")));
}

absl::StatusOr<v1::SubmitEmailResponse> CaseConsultant::SubmitEmail(
    const v1::SubmitEmailRequest& request, const std::string& request_id) {
  if (request.from_address().empty() || request.message_id().empty() || request.text().empty()) {
    return absl::InvalidArgumentError("from, message_id and text are required");
  }
  if (request.text().size() > kMaxEmailTextBytes) {
    return absl::InvalidArgumentError("the message is longer than 20,000 bytes");
  }
  v1::SubmitEmailRequest stored = request;
  stored.set_text(QuestionOf(request.text()));
  if (stored.text().empty()) stored.set_text(request.text());
  absl::StatusOr<CreateResult> created = tickets_->Create(stored, absl::Now());
  if (!created.ok()) return created.status();
  v1::SubmitEmailResponse response;
  if (!created->created) {
    *response.mutable_ticket() = created->ticket;
    response.set_duplicate(true);
    common::LogInfo("assistant: duplicate email", {{"ticket", created->ticket.ticket_id()}});
    return response;
  }
  const std::string id = created->ticket.ticket_id();
  std::string question = stored.text();
  if (question.size() > kMaxEmailQuestionChars) question.resize(kMaxEmailQuestionChars);
  absl::StatusOr<EngineAnswer> answer =
      engine_->Answer(question, nullptr, request_id, [](absl::string_view, const std::string&) {});
  absl::StatusOr<v1::Ticket> ticket;
  if (answer.ok() && answer->outcome == v1::ANSWER_OUTCOME_ANSWERED) {
    ticket = tickets_->Answer(id, MailAnswer(*answer), "", absl::Now());
    if (ticket.ok() && on_answered_) on_answered_();
  } else {
    if (!answer.ok()) {
      common::LogWarning("assistant: email left for a consultant",
                         {{"ticket", id}, {"error", answer.status().ToString()}});
    }
    ticket = tickets_->MarkWaiting(id, absl::Now());
  }
  if (!ticket.ok()) return ticket.status();
  *response.mutable_ticket() = *ticket;
  return response;
}

absl::StatusOr<std::string> CaseConsultant::Consultant(const std::string& session_token,
                                                       const std::string& request_id) {
  absl::StatusOr<account::v1::ValidateSessionResponse> session =
      quota_->ValidateSession(session_token, request_id);
  if (!session.ok()) return session.status();
  for (int role : session->roles()) {
    if (role == account::v1::ROLE_CONSULTANT && !session->account_id().empty()) {
      return session->account_id();
    }
  }
  return absl::PermissionDeniedError("the consultant role is required");
}

absl::StatusOr<v1::ListTicketsResponse> CaseConsultant::ListTickets(
    const v1::ListTicketsRequest& request, const std::string& request_id) {
  absl::StatusOr<std::string> me = Consultant(request.session_token(), request_id);
  if (!me.ok()) return me.status();
  const v1::TicketStatus status = request.status() == v1::TICKET_STATUS_UNSPECIFIED
                                      ? v1::TICKET_STATUS_WAITING
                                      : request.status();
  absl::StatusOr<TicketPage> page =
      tickets_->List(status, request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  v1::ListTicketsResponse response;
  for (v1::Ticket& t : page->tickets) *response.add_tickets() = std::move(t);
  response.set_next_page_token(page->next_page_token);
  return response;
}

absl::StatusOr<v1::GetTicketResponse> CaseConsultant::GetTicket(const v1::GetTicketRequest& request,
                                                                const std::string& request_id) {
  absl::StatusOr<std::string> me = Consultant(request.session_token(), request_id);
  if (!me.ok()) return me.status();
  absl::StatusOr<v1::Ticket> t = tickets_->Get(request.ticket_id());
  if (!t.ok()) return t.status();
  v1::GetTicketResponse response;
  *response.mutable_ticket() = *std::move(t);
  return response;
}

absl::StatusOr<v1::ClaimTicketResponse> CaseConsultant::ClaimTicket(
    const v1::ClaimTicketRequest& request, const std::string& request_id) {
  absl::StatusOr<std::string> me = Consultant(request.session_token(), request_id);
  if (!me.ok()) return me.status();
  absl::StatusOr<v1::Ticket> t = tickets_->Claim(request.ticket_id(), *me, absl::Now());
  if (!t.ok()) return t.status();
  v1::ClaimTicketResponse response;
  *response.mutable_ticket() = *std::move(t);
  return response;
}

absl::StatusOr<v1::AnswerTicketResponse> CaseConsultant::AnswerTicket(
    const v1::AnswerTicketRequest& request, const std::string& request_id) {
  absl::StatusOr<std::string> me = Consultant(request.session_token(), request_id);
  if (!me.ok()) return me.status();
  if (absl::StripAsciiWhitespace(request.answer()).empty()) {
    return absl::InvalidArgumentError("the answer is empty");
  }
  absl::StatusOr<v1::Ticket> t = tickets_->Answer(
      request.ticket_id(), absl::StrCat(request.answer(), kSignature), *me, absl::Now());
  if (!t.ok()) return t.status();
  if (on_answered_) on_answered_();
  v1::AnswerTicketResponse response;
  *response.mutable_ticket() = *std::move(t);
  return response;
}

}  // namespace openencoder::assistant
