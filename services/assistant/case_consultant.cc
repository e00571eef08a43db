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

// Characters as people count them (UTF-8 code points).
size_t Chars(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// What the asker sees of their ticket: not who claimed it or why a send failed.
v1::Ticket ForRequester(v1::Ticket t) {
  t.clear_claimed_by();
  t.clear_last_send_error();
  t.clear_send_attempts();
  return t;
}

}  // namespace

CaseConsultant::CaseConsultant(AnswerEngine* engine, QuotaTools* quota, TicketStore* tickets,
                               std::function<void()> on_answered, ConsultantOptions options)
    : CaseConsultant(
          [engine](const std::string& question, const std::string& request_id) {
            return engine->Answer(question, nullptr, request_id,
                                  [](absl::string_view, const std::string&) {});
          },
          quota, tickets, std::move(on_answered), std::move(options)) {}

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
  absl::StatusOr<CreateResult> created = tickets_->Create(NewTicket{stored, "", ""}, absl::Now());
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
  absl::StatusOr<EngineAnswer> answer = answerer_(question, request_id);
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
  if (session->guest() || session->account_id().empty()) {
    return absl::UnauthenticatedError("sign in with your consultant account");
  }
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
  // A mail answering our reply names the reply's Message-ID
  // (OutboxWorker::ReplyMessageId: <reply-<ticket id>@domain>), so the
  // thread is walked back ticket by ticket.
  constexpr int kMaxEarlier = 10;
  std::string in_reply_to = response.ticket().in_reply_to();
  while (response.earlier_size() < kMaxEarlier) {
    absl::string_view id = in_reply_to;
    if (!absl::ConsumePrefix(&id, "<reply-")) break;
    id = id.substr(0, id.find('@'));
    absl::StatusOr<v1::Ticket> before = tickets_->Get(std::string(id));
    if (absl::IsNotFound(before.status())) break;
    if (!before.ok()) return before.status();
    in_reply_to = before->in_reply_to();
    *response.add_earlier() = *std::move(before);
  }
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

absl::StatusOr<std::string> CaseConsultant::Member(const std::string& session_token,
                                                   const std::string& request_id) {
  constexpr char kSignIn[] =
      "sign in or register to ask a certified coder: the answer is mailed to your address";
  if (session_token.empty()) return absl::UnauthenticatedError(kSignIn);
  absl::StatusOr<account::v1::ValidateSessionResponse> session =
      quota_->ValidateSession(session_token, request_id);
  if (!session.ok()) return session.status();
  if (session->guest() || session->account_id().empty()) {
    return absl::UnauthenticatedError(kSignIn);
  }
  return session->account_id();
}

absl::Status CaseConsultant::CheckOpenQuestions(const std::string& member,
                                                const std::string& ticket_id) {
  absl::StatusOr<v1::Ticket> existing = tickets_->Get(ticket_id);
  if (existing.ok()) return absl::OkStatus();
  if (!absl::IsNotFound(existing.status())) return existing.status();
  // Newest first: open questions are the recent ones, so one page of
  // 100 sees them all unless a member asked over 100 since.
  absl::StatusOr<TicketPage> page = tickets_->ListByRequester(member, 100, "");
  if (!page.ok()) return page.status();
  int open = 0;
  for (const v1::Ticket& t : page->tickets) {
    const v1::TicketStatus s = t.status();
    open += s == v1::TICKET_STATUS_RECEIVED || s == v1::TICKET_STATUS_WAITING ||
            s == v1::TICKET_STATUS_CLAIMED;
  }
  if (open >= kMaxOpenWebQuestions) {
    return absl::ResourceExhaustedError(
        absl::StrCat("you have ", kMaxOpenWebQuestions,
                     " questions waiting for an answer; ask more once they are answered"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SubmitQuestionResponse> CaseConsultant::SubmitQuestion(
    const v1::SubmitQuestionRequest& request, const std::string& request_id) {
  const std::string question(absl::StripAsciiWhitespace(request.question()));
  const std::string subject(absl::StripAsciiWhitespace(request.subject()));
  const std::string code(absl::StripAsciiWhitespace(request.code()));
  if (question.empty()) return absl::InvalidArgumentError("write your question");
  if (Chars(question) > kMaxWebQuestionChars) {
    return absl::InvalidArgumentError("the question is longer than 5,000 characters");
  }
  if (Chars(subject) > kMaxWebSubjectChars) {
    return absl::InvalidArgumentError("the subject is longer than 200 characters");
  }
  if (Chars(code) > kMaxWebCodeChars) {
    return absl::InvalidArgumentError("the code is longer than 20 characters");
  }
  if (request.submission_id().empty() || request.submission_id().size() > kMaxSubmissionIdChars) {
    return absl::InvalidArgumentError("the form has no submission id; reload the page");
  }
  absl::StatusOr<std::string> member = Member(request.session_token(), request_id);
  if (!member.ok()) return member.status();
  absl::StatusOr<account::v1::Account> account =
      quota_->GetAccount(request.session_token(), request_id);
  if (!account.ok()) return account.status();
  if (!account->email_verified() || account->email().empty()) {
    return absl::FailedPreconditionError(
        "confirm your email address first (the link is in the mail we sent you): the answer is "
        "mailed to it");
  }
  NewTicket ticket;
  ticket.requester_account_id = *member;
  ticket.code = code;
  v1::SubmitEmailRequest& email = ticket.email;
  email.set_from_address(account->email());
  email.set_to_address(options_.address);
  if (!subject.empty()) {
    email.set_subject(subject);
  } else {
    // The first line of the question, cut at a word: the reply's subject.
    std::string first(absl::StripAsciiWhitespace(question.substr(0, question.find('\n'))));
    if (first.size() > 60) {
      const size_t cut = first.rfind(' ', 60);
      first = absl::StrCat(first.substr(0, cut == std::string::npos || cut < 20 ? 60 : cut), "…");
    }
    email.set_subject(first);
  }
  email.set_text(question);
  // Made up, as a mail client would: the same form submission is the same
  // message, so a retried post finds its ticket instead of making another.
  email.set_message_id(
      absl::StrCat("<web-", TicketIdFor(absl::StrCat(*member, "\n", request.submission_id())), "@",
                   options_.message_id_domain, ">"));
  // A resubmitted form is answered with its ticket whatever the count.
  if (absl::Status open = CheckOpenQuestions(*member, TicketIdFor(email.message_id()));
      !open.ok()) {
    return open;
  }
  absl::StatusOr<CreateResult> created = tickets_->Create(ticket, absl::Now());
  if (!created.ok()) return created.status();
  v1::SubmitQuestionResponse response;
  if (!created->created) {
    *response.mutable_ticket() = ForRequester(created->ticket);
    response.set_duplicate(true);
    return response;
  }
  absl::StatusOr<v1::Ticket> waiting =
      tickets_->MarkWaiting(created->ticket.ticket_id(), absl::Now());
  if (!waiting.ok()) return waiting.status();
  common::LogInfo("assistant: web question queued", {{"ticket", waiting->ticket_id()}});
  *response.mutable_ticket() = ForRequester(*std::move(waiting));
  return response;
}

absl::StatusOr<v1::ListMyQuestionsResponse> CaseConsultant::ListMyQuestions(
    const v1::ListMyQuestionsRequest& request, const std::string& request_id) {
  absl::StatusOr<std::string> member = Member(request.session_token(), request_id);
  if (!member.ok()) return member.status();
  absl::StatusOr<TicketPage> page =
      tickets_->ListByRequester(*member, request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  v1::ListMyQuestionsResponse response;
  for (v1::Ticket& t : page->tickets) *response.add_tickets() = ForRequester(std::move(t));
  response.set_next_page_token(page->next_page_token);
  response.set_consultant_address(options_.address);
  return response;
}

}  // namespace openencoder::assistant
