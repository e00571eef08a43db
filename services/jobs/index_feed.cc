#include "services/jobs/index_feed.h"

#include <algorithm>
#include <vector>

#include "services/common/log.h"

namespace openencoder::jobs {
namespace {

constexpr int kChangesPerRead = 1000;
constexpr size_t kLoadBatch = 5000;

}  // namespace

IndexFeed::IndexFeed(JobStore* store, SearchIndex* index, absl::Duration interval,
                     absl::Duration reconcile_interval)
    : store_(store), index_(index), interval_(interval), reconcile_interval_(reconcile_interval) {}

IndexFeed::~IndexFeed() { Stop(); }

absl::StatusOr<size_t> IndexFeed::UpsertAll() {
  absl::StatusOr<std::vector<std::string>> ids = store_->AllPostingIds();
  if (!ids.ok()) return ids.status();
  size_t changed = 0;
  for (size_t start = 0; start < ids->size(); start += kLoadBatch) {
    std::vector<std::string> batch(ids->begin() + start,
                                   ids->begin() + std::min(ids->size(), start + kLoadBatch));
    absl::StatusOr<std::vector<v1::JobPosting>> postings = store_->GetPostings(batch);
    if (!postings.ok()) return postings.status();
    for (const v1::JobPosting& p : *postings) changed += index_->Upsert(p) ? 1 : 0;
  }
  return changed;
}

absl::Status IndexFeed::LoadAll() {
  absl::StatusOr<std::string> cursor = store_->ChangeCursor();
  if (!cursor.ok()) return cursor.status();
  absl::StatusOr<size_t> loaded = UpsertAll();
  if (!loaded.ok()) return loaded.status();
  cursor_ = *cursor;
  common::LogInfo("jobs index loaded",
                  {{"postings", static_cast<long long>(*loaded)},
                   {"searchable", static_cast<long long>(index_->live_count())}});
  return absl::OkStatus();
}

absl::StatusOr<size_t> IndexFeed::Reconcile() {
  absl::StatusOr<size_t> changed = UpsertAll();
  if (!changed.ok()) return changed.status();
  if (*changed > 0) {
    // Worth a warning: the change stream lost something (see the header).
    common::LogWarning("jobs index reconcile applied changes the change stream had missed",
                       {{"postings", static_cast<long long>(*changed)}});
  }
  return changed;
}

absl::Status IndexFeed::PollOnce() {
  for (;;) {
    absl::StatusOr<ChangeBatch> batch = store_->ReadChanges(cursor_, kChangesPerRead);
    if (!batch.ok()) return batch.status();
    if (batch->posting_ids.empty()) return absl::OkStatus();
    std::vector<std::string> ids = batch->posting_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    absl::StatusOr<std::vector<v1::JobPosting>> postings = store_->GetPostings(ids);
    if (!postings.ok()) return postings.status();
    for (const v1::JobPosting& p : *postings) index_->Upsert(p);
    cursor_ = batch->cursor;  // only after applying: a failed read is retried
    if (batch->posting_ids.size() < static_cast<size_t>(kChangesPerRead)) {
      return absl::OkStatus();
    }
  }
}

void IndexFeed::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void IndexFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void IndexFeed::Loop() {
  absl::Time next_reconcile = absl::Now() + reconcile_interval_;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
    }
    if (absl::Status s = PollOnce(); !s.ok()) {
      common::LogWarning("jobs index feed poll failed", {{"error", s.ToString()}});
    }
    if (reconcile_interval_ > absl::ZeroDuration() && absl::Now() >= next_reconcile) {
      if (absl::StatusOr<size_t> r = Reconcile(); !r.ok()) {
        common::LogWarning("jobs index reconcile failed", {{"error", r.status().ToString()}});
      }
      next_reconcile = absl::Now() + reconcile_interval_;
    }
  }
}

}  // namespace openencoder::jobs
