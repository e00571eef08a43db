#include "services/assistant/case_pilot.h"

#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/request_id.h"

namespace openencoder::assistant {
namespace {

constexpr size_t kChunkBytes = 160;

}  // namespace

std::string RetryAfterText(absl::Duration d) {
  const int64_t minutes = (absl::ToInt64Seconds(d) + 59) / 60;
  if (minutes <= 1) return "in a minute";
  if (minutes < 120) return absl::StrCat("in ", minutes, " minutes");
  const int64_t hours = (minutes + 59) / 60;
  if (hours < 48) return absl::StrCat("in ", hours, " hours");
  return absl::StrCat("in ", (hours + 23) / 24, " days");
}

std::vector<std::string> ChunkText(const std::string& text, size_t size) {
  std::vector<std::string> chunks;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + size);
    if (end < text.size()) {
      size_t cut = text.find_last_of(" \n", end);
      if (cut != std::string::npos && cut > start) end = cut + 1;
      // Never split a UTF-8 sequence: back up to a lead byte.
      while (end > start + 1 && end < text.size() &&
             (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
      }
    }
    chunks.push_back(text.substr(start, end - start));
    start = end;
  }
  return chunks;
}

absl::Status CasePilot::Ask(const v1::AskRequest& request, const std::string& request_id,
                            const EventSink& sink) {
  if (request.question().empty()) return absl::InvalidArgumentError("the question is empty");
  if (request.question().size() > max_question_chars_) {
    return absl::InvalidArgumentError(absl::StrCat("the question is longer than ",
                                                   max_question_chars_,
                                                   " characters; shorten it and ask again"));
  }
  absl::StatusOr<account::v1::ValidateSessionResponse> session =
      quota_->ValidateSession(request.session_token(), request_id);
  if (!session.ok()) return session.status();
  absl::StatusOr<account::v1::CheckRateResponse> rate =
      quota_->CheckRate(request.session_token(), kAskFeature, request_id,
                        // The request id counts once for this question only.
                        absl::StrCat(request.conversation_id(), "\n", request.question()));
  if (!rate.ok()) return rate.status();
  if (!rate->allowed()) {
    const absl::Duration wait = absl::Seconds(rate->retry_after().seconds());
    return absl::ResourceExhaustedError(
        absl::StrCat("you have used the ", rate->limit(),
                     " assistant questions of your plan; more are available ", RetryAfterText(wait),
                     ". Paid plans have no limit."));
  }
  const std::string owner =
      session->account_id().empty() ? session->session_id() : session->account_id();

  std::string conversation_id = request.conversation_id();
  TurnContext previous;
  bool has_previous = false;
  if (!conversation_id.empty()) {
    absl::StatusOr<std::vector<Turn>> turns = conversations_->Load(conversation_id, owner);
    if (absl::IsNotFound(turns.status())) {
      return absl::InvalidArgumentError("unknown conversation; start a new one");
    }
    if (!turns.ok()) return turns.status();
    if (!turns->empty()) {
      previous = turns->back().context;
      has_previous = true;
    }
  } else {
    conversation_id = common::NewRequestId();
  }

  bool client_gone = false;
  ProgressSink progress = [&](absl::string_view step, const std::string& message) {
    if (client_gone) return;
    v1::AskEvent event;
    event.mutable_progress()->set_step(std::string(step));
    event.mutable_progress()->set_message(message);
    client_gone = !sink(event);
  };
  absl::StatusOr<EngineAnswer> answer =
      engine_->Answer(request.question(), has_previous ? &previous : nullptr, request_id, progress,
                      request.session_token());
  if (!answer.ok()) return answer.status();
  if (client_gone) return absl::CancelledError("the client went away");

  for (const std::string& chunk : ChunkText(answer->text, kChunkBytes)) {
    v1::AskEvent event;
    event.mutable_chunk()->set_text(chunk);
    if (!sink(event)) return absl::CancelledError("the client went away");
  }

  // The turn is remembered before the final message, so that a follow-up
  // sent right after it finds it.
  Turn turn{request.question(), ContextOf(*answer)};
  absl::Status saved = conversations_->Append(conversation_id, owner, turn);
  if (!saved.ok()) return saved;

  v1::AskEvent final_event;
  v1::FinalAnswer* f = final_event.mutable_final();
  f->set_conversation_id(conversation_id);
  f->set_outcome(answer->outcome);
  for (const v1::Citation& c : answer->citations) *f->add_citations() = c;
  for (const std::string& s : answer->follow_ups) f->add_follow_ups(s);
  std::vector<std::string> seen;
  for (const catalogue::v1::CodeSummary& c : answer->codes) {
    const std::string d = DisplayCode(c);
    if (std::find(seen.begin(), seen.end(), d) == seen.end()) {
      seen.push_back(d);
      f->add_codes(d);
    }
  }
  f->set_answer_text(answer->text);
  if (!sink(final_event)) return absl::CancelledError("the client went away");
  return absl::OkStatus();
}

}  // namespace openencoder::assistant
