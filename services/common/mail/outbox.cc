#include "services/common/mail/outbox.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace openencoder::common::mail {

absl::Duration OutboxPolicy::Backoff(int attempts) const {
  absl::Duration d = initial_backoff;
  for (int i = 1; i < attempts && d < max_backoff; ++i) d *= 2;
  return std::min(d, max_backoff);
}

OutboxWorker::OutboxWorker(OutboxStore* store, MailSender* sender, OutboxPolicy policy,
                           std::string name, ResultHook on_result)
    : store_(store),
      sender_(sender),
      policy_(std::move(policy)),
      name_(std::move(name)),
      on_result_(std::move(on_result)) {}

absl::StatusOr<int> OutboxWorker::RunOnce() {
  absl::StatusOr<std::vector<std::string>> due = store_->Due(absl::Now(), policy_.batch);
  if (!due.ok()) return due.status();
  int sent = 0;
  for (const std::string& id : *due) {
    const absl::Time now = absl::Now();
    std::optional<ClaimedMail> claimed = store_->Claim(id, now, now + policy_.lease);
    if (!claimed.has_value()) continue;
    const absl::Status status = sender_->Send(claimed->mail);
    // A recipient the relay refuses as malformed never becomes valid.
    const bool give_up = !status.ok() && (claimed->attempts >= policy_.max_attempts ||
                                          absl::IsInvalidArgument(status));
    if (on_result_) on_result_(status.ok(), give_up);
    if (status.ok()) {
      store_->Sent(id);
      ++sent;
      continue;
    }
    LogWarning(absl::StrCat(name_, " not sent"),
               {{"id", id}, {"attempt", claimed->attempts}, {"error", status.ToString()}});
    if (give_up) {
      LogError(absl::StrCat(name_, ": giving up"), {{"id", id}});
      store_->GaveUp(id, status);
      continue;
    }
    store_->Failed(id, status, absl::Now() + policy_.Backoff(claimed->attempts));
  }
  return sent;
}

void OutboxWorker::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || wake_; };
        mu_.AwaitWithTimeout(absl::Condition(&ready), policy_.poll_interval);
        if (stop_) return;
        wake_ = false;
      }
      absl::StatusOr<int> r = RunOnce();
      if (!r.ok()) {
        LogWarning(absl::StrCat(name_, ": outbox run failed"), {{"error", r.status().ToString()}});
      }
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

}  // namespace openencoder::common::mail
