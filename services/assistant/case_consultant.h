// CaseConsultant: questions by email and from the web form. SubmitEmail
// turns an inbound message (already verified by the gateway) into a ticket,
// lets the answer engine try, and either queues the reply for mailing or
// leaves the ticket WAITING for a consultant. SubmitQuestion makes the same
// ticket from a signed-in member's web question, from their verified
// address, and puts it straight in the consultant queue (they asked for a
// person; CasePilot is the chat). The consultant RPCs require a session
// whose roles include ROLE_CONSULTANT.
//
// Errors: INVALID_ARGUMENT (missing from / message_id / text, text over
// 20,000 bytes, empty answer, a web question out of bounds),
// UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION (status
// or claim does not allow it; an unverified address), RESOURCE_EXHAUSTED
// (kMaxOpenWebQuestions unanswered web questions), UNAVAILABLE.
//
// Thread safety: all methods may run concurrently.
#ifndef OPENENCODER_SERVICES_ASSISTANT_CASE_CONSULTANT_H_
#define OPENENCODER_SERVICES_ASSISTANT_CASE_CONSULTANT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "openencoder/assistant/v1/assistant_service.pb.h"
#include "services/assistant/answer_engine.h"
#include "services/assistant/ticket_store.h"
#include "services/assistant/tools.h"

namespace openencoder::assistant {

inline constexpr size_t kMaxEmailTextBytes = 20000;
// The engine reads at most this much of an email (as CasePilot questions).
inline constexpr size_t kMaxEmailQuestionChars = 2000;
// Bounds of a web question (characters, counted as UTF-8 code points).
inline constexpr size_t kMaxWebQuestionChars = 5000;
inline constexpr size_t kMaxWebSubjectChars = 200;
inline constexpr size_t kMaxWebCodeChars = 20;
inline constexpr size_t kMaxSubmissionIdChars = 64;
// Web questions one member may have waiting for an answer at once: a person
// asks a few, a script filling the consultants' queue is stopped here.
inline constexpr int kMaxOpenWebQuestions = 10;

struct ConsultantOptions {
  // Where questions can be mailed (OE_CASECONSULTANT_ADDRESS); the "to" of
  // web tickets and what "My questions" names.
  std::string address = "consultant@openencoder.local";
  // The domain of the Message-IDs made up for web questions.
  std::string message_id_domain = "openencoder.local";
};

class CaseConsultant {
 public:
  // Tries to answer a mailed question: the answer engine in the server, a
  // stand-in in unit tests.
  using Answerer = std::function<absl::StatusOr<EngineAnswer>(const std::string& question,
                                                              const std::string& request_id)>;

  // `on_answered` is called after a ticket became ANSWERED (e.g. to wake
  // the outbox); may be empty.
  CaseConsultant(Answerer answerer, QuotaTools* quota, TicketStore* tickets,
                 std::function<void()> on_answered, ConsultantOptions options = {})
      : answerer_(std::move(answerer)),
        quota_(quota),
        tickets_(tickets),
        on_answered_(std::move(on_answered)),
        options_(std::move(options)) {}
  CaseConsultant(AnswerEngine* engine, QuotaTools* quota, TicketStore* tickets,
                 std::function<void()> on_answered, ConsultantOptions options = {});

  absl::StatusOr<v1::SubmitEmailResponse> SubmitEmail(const v1::SubmitEmailRequest& request,
                                                      const std::string& request_id);
  absl::StatusOr<v1::ListTicketsResponse> ListTickets(const v1::ListTicketsRequest& request,
                                                      const std::string& request_id);
  absl::StatusOr<v1::GetTicketResponse> GetTicket(const v1::GetTicketRequest& request,
                                                  const std::string& request_id);
  absl::StatusOr<v1::ClaimTicketResponse> ClaimTicket(const v1::ClaimTicketRequest& request,
                                                      const std::string& request_id);
  absl::StatusOr<v1::AnswerTicketResponse> AnswerTicket(const v1::AnswerTicketRequest& request,
                                                        const std::string& request_id);
  absl::StatusOr<v1::SubmitQuestionResponse> SubmitQuestion(
      const v1::SubmitQuestionRequest& request, const std::string& request_id);
  absl::StatusOr<v1::ListMyQuestionsResponse> ListMyQuestions(
      const v1::ListMyQuestionsRequest& request, const std::string& request_id);

  // The question part of an email: the text above the first quoted line
  // ("On ... wrote:" or "> "), so a reply does not re-ask the old thread.
  static std::string QuestionOf(const std::string& text);

 private:
  // The consultant's account id. UNAUTHENTICATED / PERMISSION_DENIED.
  absl::StatusOr<std::string> Consultant(const std::string& session_token,
                                         const std::string& request_id);

  // RESOURCE_EXHAUSTED when `member` has kMaxOpenWebQuestions unanswered
  // web questions and `ticket_id` (the form's) does not exist yet.
  absl::Status CheckOpenQuestions(const std::string& member, const std::string& ticket_id);
  // The member's account id: UNAUTHENTICATED for guests.
  absl::StatusOr<std::string> Member(const std::string& session_token,
                                     const std::string& request_id);

  Answerer answerer_;
  QuotaTools* quota_;
  TicketStore* tickets_;
  std::function<void()> on_answered_;
  const ConsultantOptions options_;
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_CASE_CONSULTANT_H_
