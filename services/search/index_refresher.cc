#include "services/search/index_refresher.h"

#include <malloc.h>

#include "absl/strings/str_cat.h"
#include "libs/search_engine/index_builder.h"
#include "services/common/log.h"
#include "services/search/search_metrics.h"

namespace openencoder::search {

IndexRefresher::IndexRefresher(CodeSource* source, SynonymTable synonyms, IndexHolder* holder,
                               absl::Duration poll_interval, std::function<void()> on_index)
    : source_(source),
      synonyms_(std::move(synonyms)),
      holder_(holder),
      poll_interval_(poll_interval),
      on_index_(std::move(on_index)) {}

IndexRefresher::~IndexRefresher() { Stop(); }

void IndexRefresher::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void IndexRefresher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void IndexRefresher::SetSource(CodeSource* source) {
  absl::MutexLock lock(&mu_);
  source_ = source;
  snapshot_id_.clear();  // force a rebuild from the new source
}

std::string IndexRefresher::snapshot_id() const {
  absl::MutexLock lock(&mu_);
  return snapshot_id_;
}

absl::Status IndexRefresher::RefreshNow() {
  absl::MutexLock refresh_lock(&refresh_mu_);
  CodeSource* source;
  std::string current;
  {
    absl::MutexLock lock(&mu_);
    source = source_;
    current = snapshot_id_;
  }
  absl::StatusOr<std::string> latest = source->CurrentSnapshotId();
  if (!latest.ok()) return latest.status();
  if (!current.empty() && *latest == current) return absl::OkStatus();

  absl::Time start = absl::Now();
  absl::StatusOr<CodeSnapshot> snapshot = source->FetchAll();
  if (!snapshot.ok()) return snapshot.status();
  absl::Time fetched = absl::Now();
  IndexBuilder builder;
  builder.SetSynonyms(synonyms_);
  builder.SetProcedureTerms(procedure_terms_);
  size_t count = snapshot->documents.size();
  for (SearchDocument& doc : snapshot->documents) {
    absl::Status added = builder.Add(std::move(doc));
    if (!added.ok()) {
      // One bad record must not keep a whole edition out of search.
      common::LogWarning("document left out of the index",
                         {{"reason", std::string(added.message())}});
    }
  }
  snapshot->documents.clear();
  snapshot->documents.shrink_to_fit();
  auto index = std::move(builder).Build();
  if (!index.ok()) return index.status();
  holder_->Swap(*index);
  // The build's temporaries (raw postings, the term map, the streamed
  // documents) are freed by now but stay in the heap; hand them back, so
  // the resident size is the index's, not the build's peak.
  malloc_trim(0);
  {
    absl::MutexLock lock(&mu_);
    snapshot_id_ = snapshot->snapshot_id;
  }
  RecordIndexSwap(count, absl::ToDoubleSeconds(fetched - start),
                  absl::ToDoubleSeconds(absl::Now() - fetched));
  common::LogInfo("search index swapped in",
                  {{"snapshot_id", snapshot->snapshot_id},
                   {"documents", static_cast<long long>(count)},
                   {"fetch_ms", absl::ToDoubleMilliseconds(fetched - start)},
                   {"build_ms", absl::ToDoubleMilliseconds(absl::Now() - fetched)}});
  if (on_index_) on_index_();
  return absl::OkStatus();
}

void IndexRefresher::Run() {
  absl::Status last_error = absl::OkStatus();
  while (true) {
    absl::Status status = RefreshNow();
    if (!status.ok()) RecordIndexRefreshFailed();
    if (!status.ok() && status.ToString() != last_error.ToString()) {
      common::LogWarning("search index refresh failed; serving the previous index",
                         {{"reason", status.ToString()}});
    }
    last_error = status;
    absl::Duration wait = snapshot_id().empty() ? absl::Seconds(1) : poll_interval_;
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stop_), wait)) return;
  }
}

}  // namespace openencoder::search
