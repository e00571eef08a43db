#include "services/assistant/outbox_worker.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/assistant/assistant_metrics.h"
#include "services/common/log.h"

namespace openencoder::assistant {

// The ticket store's outbox, for the shared delivery loop.
class OutboxWorker::TicketOutbox final : public common::mail::OutboxStore {
 public:
  TicketOutbox(TicketStore* tickets, const OutboxWorker* worker)
      : tickets_(tickets), worker_(worker) {}

  absl::StatusOr<std::vector<std::string>> Due(absl::Time now, int limit) override {
    return tickets_->DueForSending(now, limit);
  }

  std::optional<common::mail::ClaimedMail> Claim(const std::string& id, absl::Time now,
                                                 absl::Time lease_end) override {
    absl::StatusOr<v1::Ticket> ticket = tickets_->BeginSend(id, now, lease_end);
    if (!ticket.ok()) {
      if (absl::IsNotFound(ticket.status())) {
        (void)tickets_->DropFromOutbox(id);
      } else if (absl::IsFailedPrecondition(ticket.status())) {
        // Already SENT, or not answered (the outbox entry was written before
        // a crash): drop it unless another sender holds it right now.
        absl::StatusOr<v1::Ticket> current = tickets_->Get(id);
        if (current.ok() && current->status() != v1::TICKET_STATUS_ANSWERED) {
          (void)tickets_->DropFromOutbox(id);
        }
      }
      return std::nullopt;
    }
    common::mail::ClaimedMail out;
    out.attempts = ticket->send_attempts();
    out.payload.from = worker_->options_.from_address;
    out.payload.to = ticket->from_address();
    out.payload.subject = absl::StartsWithIgnoreCase(ticket->subject(), "re:")
                              ? ticket->subject()
                              : absl::StrCat("Re: ", ticket->subject());
    out.payload.body = ticket->answer();
    out.payload.message_id = worker_->ReplyMessageId(id);
    // A web question's Message-ID is made up (case_consultant.cc): the
    // asker's mailbox never had it, so the reply starts a thread.
    if (ticket->requester_account_id().empty()) out.payload.in_reply_to = ticket->message_id();
    return out;
  }

  void Sent(const std::string& id) override {
    absl::Status marked = tickets_->MarkSent(id, absl::Now());
    if (!marked.ok()) {
      common::LogError("assistant: reply sent but not marked sent",
                       {{"ticket", id}, {"error", marked.ToString()}});
    }
  }

  void Failed(const std::string& id, const absl::Status& error, absl::Time retry_at) override {
    (void)tickets_->SendFailed(id, std::string(error.message()), retry_at);
  }

  // The ticket stays ANSWERED with its last error for an operator to see.
  void GaveUp(const std::string& id, const absl::Status& error) override {
    (void)tickets_->SendFailed(id, std::string(error.message()), absl::InfiniteFuture());
    (void)tickets_->DropFromOutbox(id);
  }

 private:
  TicketStore* tickets_;
  const OutboxWorker* worker_;
};

OutboxWorker::OutboxWorker(TicketStore* tickets, MailSender* sender, OutboxOptions options)
    : options_(std::move(options)),
      store_(std::make_unique<TicketOutbox>(tickets, this)),
      worker_(std::make_unique<common::mail::OutboxWorker>(
          store_.get(), sender, static_cast<const common::mail::OutboxPolicy&>(options_),
          "assistant reply", [](bool sent, bool gave_up) { RecordOutboxSend(sent, gave_up); })) {}

OutboxWorker::~OutboxWorker() { Stop(); }

std::string OutboxWorker::ReplyMessageId(const std::string& ticket_id) const {
  return options_.MessageId("reply", ticket_id);
}

absl::Duration OutboxWorker::Backoff(int attempts) const {
  return worker_->policy().Backoff(attempts);
}

absl::StatusOr<int> OutboxWorker::RunOnce() { return worker_->RunOnce(); }
void OutboxWorker::Start() { worker_->Start(); }
void OutboxWorker::Stop() { worker_->Stop(); }
void OutboxWorker::Wake() { worker_->Wake(); }

}  // namespace openencoder::assistant
