#include "services/assistant/outbox_worker.h"

#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/assistant/assistant_metrics.h"
#include "services/common/log.h"

namespace openencoder::assistant {

std::string OutboxWorker::ReplyMessageId(const std::string& ticket_id) const {
  return absl::StrCat("<reply-", ticket_id, "@", options_.message_id_domain, ">");
}

absl::Duration OutboxWorker::Backoff(int attempts) const {
  absl::Duration d = options_.initial_backoff;
  for (int i = 1; i < attempts && d < options_.max_backoff; ++i) d *= 2;
  return std::min(d, options_.max_backoff);
}

absl::StatusOr<int> OutboxWorker::RunOnce() {
  const absl::Time now = absl::Now();
  absl::StatusOr<std::vector<std::string>> due = tickets_->DueForSending(now, 20);
  if (!due.ok()) return due.status();
  int sent = 0;
  for (const std::string& id : *due) {
    absl::StatusOr<v1::Ticket> ticket = tickets_->BeginSend(id, now, now + options_.lease);
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
      continue;
    }
    OutgoingMail mail;
    mail.from = options_.from_address;
    mail.to = ticket->from_address();
    mail.subject = absl::StartsWithIgnoreCase(ticket->subject(), "re:")
                       ? ticket->subject()
                       : absl::StrCat("Re: ", ticket->subject());
    mail.body = ticket->answer();
    mail.message_id = ReplyMessageId(id);
    // A web question's Message-ID is made up (case_consultant.cc): the
    // asker's mailbox never had it, so the reply starts a thread.
    if (ticket->requester_account_id().empty()) mail.in_reply_to = ticket->message_id();
    absl::Status status = sender_->Send(mail);
    RecordOutboxSend(status.ok(), !status.ok() && ticket->send_attempts() >= options_.max_attempts);
    if (status.ok()) {
      absl::Status marked = tickets_->MarkSent(id, absl::Now());
      if (!marked.ok()) {
        common::LogError("assistant: reply sent but not marked sent",
                         {{"ticket", id}, {"error", marked.ToString()}});
      }
      ++sent;
      continue;
    }
    const int attempts = ticket->send_attempts();
    common::LogWarning("assistant: reply not sent",
                       {{"ticket", id}, {"attempt", attempts}, {"error", status.ToString()}});
    if (attempts >= options_.max_attempts) {
      (void)tickets_->SendFailed(id, std::string(status.message()), absl::InfiniteFuture());
      (void)tickets_->DropFromOutbox(id);
      common::LogError("assistant: giving up on a reply", {{"ticket", id}});
      continue;
    }
    (void)tickets_->SendFailed(id, std::string(status.message()), now + Backoff(attempts));
  }
  return sent;
}

void OutboxWorker::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || wake_; };
        mu_.AwaitWithTimeout(absl::Condition(&ready), options_.poll_interval);
        if (stop_) return;
        wake_ = false;
      }
      absl::StatusOr<int> r = RunOnce();
      if (!r.ok())
        common::LogWarning("assistant: outbox run failed", {{"error", r.status().ToString()}});
    }
  });
}

void OutboxWorker::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

}  // namespace openencoder::assistant
