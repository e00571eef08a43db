#include "services/jobs/index_feed.h"

#include <algorithm>
#include <vector>

#include "services/common/log.h"

namespace openencoder::jobs {
namespace {

constexpr int kChangesPerRead = 1000;
constexpr size_t kLoadBatch = 5000;

}  // namespace

IndexFeed::IndexFeed(JobStore* store, SearchIndex* index, absl::Duration interval)
    : store_(store), index_(index), interval_(interval) {}

IndexFeed::~IndexFeed() { Stop(); }

absl::Status IndexFeed::LoadAll() {
  absl::StatusOr<std::string> cursor = store_->ChangeCursor();
  if (!cursor.ok()) return cursor.status();
  absl::StatusOr<std::vector<std::string>> ids = store_->AllPostingIds();
  if (!ids.ok()) return ids.status();
  for (size_t start = 0; start < ids->size(); start += kLoadBatch) {
    std::vector<std::string> batch(ids->begin() + start,
                                   ids->begin() + std::min(ids->size(), start + kLoadBatch));
    absl::StatusOr<std::vector<v1::JobPosting>> postings = store_->GetPostings(batch);
    if (!postings.ok()) return postings.status();
    for (const v1::JobPosting& p : *postings) index_->Upsert(p);
  }
  cursor_ = *cursor;
  common::LogInfo("jobs index loaded", {{"postings", static_cast<long long>(ids->size())},
                                        {"searchable", static_cast<long long>(index_->live_count())}});
  return absl::OkStatus();
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

void IndexFeed::Start() { thread_ = std::thread([this] { Loop(); }); }

void IndexFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void IndexFeed::Loop() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
    }
    if (absl::Status s = PollOnce(); !s.ok()) {
      common::LogWarning("jobs index feed poll failed", {{"error", s.ToString()}});
    }
  }
}

}  // namespace openencoder::jobs
