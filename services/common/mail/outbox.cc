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

std::string MailOutboxPolicy::MessageId(absl::string_view kind, absl::string_view id) const {
  return absl::StrCat("<", kind, "-", id, "@", message_id_domain, ">");
}

OutboxLoop::OutboxLoop(OutboxEntries* entries, OutboxPolicy policy, std::string name,
                       ResultHook on_result)
    : entries_(entries),
      policy_(std::move(policy)),
      name_(std::move(name)),
      on_result_(std::move(on_result)) {}

bool OutboxLoop::Settle(const std::string& id, const absl::Status& status, int attempts) {
  const bool give_up =
      !status.ok() && (attempts >= policy_.max_attempts ||
                       (policy_.give_up_on_invalid_argument && absl::IsInvalidArgument(status)));
  if (on_result_) on_result_(status.ok(), give_up);
  if (status.ok()) {
    entries_->Sent(id);
    return true;
  }
  LogWarning(absl::StrCat(name_, " not sent"),
             {{"id", id}, {"attempt", attempts}, {"error", status.ToString()}});
  if (give_up) {
    LogError(absl::StrCat(name_, ": giving up"), {{"id", id}});
    entries_->GaveUp(id, status);
    return false;
  }
  entries_->Failed(id, status, absl::Now() + policy_.Backoff(attempts));
  return false;
}

void OutboxLoop::Start() {
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

void OutboxLoop::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxLoop::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

}  // namespace openencoder::common::mail
