#include "services/catalogue/catalogue_reloader.h"

#include <malloc.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/catalogue/catalogue_metrics.h"
#include "services/common/log.h"

namespace openencoder::catalogue {
namespace {

// How long a reload waits for calls still reading the old snapshot before it
// lets go of it anyway (the last reader then frees it).
constexpr absl::Duration kReleaseWait = absl::Seconds(10);

std::string FileName(const FileLoadReport& f) {
  return absl::StrCat(FileKindName(f.entry.kind), " file ", f.entry.path);
}

}  // namespace

absl::Status CheckReloadable(const LoadResult& result) {
  if (result.files.empty()) {
    return absl::FailedPreconditionError("the manifest names no file");
  }
  for (const FileLoadReport& f : result.files) {
    const int64_t read = f.report.rows_read;
    const int64_t rejected = static_cast<int64_t>(f.report.rejected.size());
    if (read == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(FileName(f), " has no data rows (empty, truncated or still being copied?)"));
    }
    if (rejected * 2 > read) {
      const RejectedRow& first = f.report.rejected.front();
      return absl::FailedPreconditionError(
          absl::StrCat(FileName(f), ": ", rejected, " of ", read,
                       " data rows rejected (wrong file or format?); first, line ", first.line,
                       ": ", first.reason));
    }
  }
  if (result.snapshot == nullptr || result.snapshot->code_count() == 0) {
    return absl::FailedPreconditionError("the data set has no codes");
  }
  return absl::OkStatus();
}

CatalogueReloader::CatalogueReloader(SnapshotHolder* holder, std::string source, Loader loader)
    : holder_(holder), source_(std::move(source)), loader_(std::move(loader)) {
  thread_ = std::thread([this] { Run(); });
}

CatalogueReloader::~CatalogueReloader() { Stop(); }

void CatalogueReloader::Request() {
  absl::MutexLock lock(&mu_);
  if (stopping_) return;
  ++stats_.requested;
  if (stats_.queued) {
    ++stats_.coalesced;
  } else {
    stats_.queued = true;
  }
}

bool CatalogueReloader::WaitUntilIdle(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]()
                  ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !stats_.running && !stats_.queued; };
  return mu_.AwaitWithTimeout(absl::Condition(&idle), timeout);
}

ReloadStats CatalogueReloader::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void CatalogueReloader::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    stats_.queued = false;
  }
  if (thread_.joinable()) thread_.join();
}

void CatalogueReloader::Run() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto work = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stats_.queued || stopping_; };
      mu_.Await(absl::Condition(&work));
      if (stopping_) return;
      stats_.queued = false;
      stats_.running = true;
    }
    ReloadOnce();
    absl::MutexLock lock(&mu_);
    stats_.running = false;
  }
}

void CatalogueReloader::ReloadOnce() {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<LoadResult> loaded = loader_();
  absl::Status status = loaded.ok() ? CheckReloadable(*loaded) : loaded.status();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::shared_ptr<const CatalogueSnapshot> current = holder_->Current();
  const std::string current_id = current == nullptr ? "" : current->id();
  current.reset();

  RecordReload(status.ok());
  if (!status.ok()) {
    int64_t succeeded = 0, failed = 0;
    {
      absl::MutexLock lock(&mu_);
      failed = ++stats_.failed;
      succeeded = stats_.succeeded;
      stats_.last_status = status;
      stats_.last_finished = absl::Now();
      stats_.last_seconds = seconds;
    }
    common::LogError("catalogue reload failed; still serving the previous data",
                     {{"manifest", source_},
                      {"error", status.ToString()},
                      {"snapshot_id", current_id},
                      {"seconds", seconds},
                      {"reloads_succeeded", static_cast<long long>(succeeded)},
                      {"reloads_failed", static_cast<long long>(failed)}});
    return;
  }

  const std::string new_id = loaded->snapshot->id();
  const long long codes = static_cast<long long>(loaded->snapshot->code_count());
  std::shared_ptr<const CatalogueSnapshot> previous = holder_->Swap(std::move(loaded->snapshot));
  int64_t succeeded = 0, failed = 0;
  {
    absl::MutexLock lock(&mu_);
    succeeded = ++stats_.succeeded;
    failed = stats_.failed;
    stats_.last_status = absl::OkStatus();
    stats_.last_finished = absl::Now();
    stats_.last_seconds = seconds;
  }
  LogLoadProblems(*loaded);
  common::LogInfo("catalogue reloaded",
                  {{"manifest", source_},
                   {"snapshot_id", new_id},
                   {"previous_snapshot_id", current_id},
                   {"changed", new_id == current_id ? "no" : "yes"},
                   {"files", static_cast<int>(loaded->files.size())},
                   {"codes", codes},
                   {"rows_read", static_cast<long long>(loaded->rows_read)},
                   {"rows_rejected", static_cast<long long>(loaded->rows_rejected)},
                   {"seconds", seconds},
                   {"vm_hwm_kb", VmHwmKb()},
                   {"reloads_succeeded", static_cast<long long>(succeeded)},
                   {"reloads_failed", static_cast<long long>(failed)}});
  loaded = absl::StatusOr<LoadResult>();  // the import reports are not needed any more

  // Free the old snapshot here rather than on whichever gRPC thread drops
  // the last reference: tearing down a full catalogue takes tens of
  // milliseconds that no call should wait for. use_count() is only a hint
  // under concurrency, which is all this needs; after kReleaseWait (a long
  // StreamCodes) the last reader frees it.
  {
    absl::MutexLock lock(&mu_);
    const absl::Time deadline = absl::Now() + kReleaseWait;
    auto stopping = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_; };
    while (previous.use_count() > 1 && absl::Now() < deadline &&
           !mu_.AwaitWithTimeout(absl::Condition(&stopping), absl::Milliseconds(20))) {
    }
  }
  previous.reset();
  // glibc keeps the freed snapshot's pages in the loader threads' malloc
  // arenas: measured on the shared data, resident memory grew 211 -> 517 MB
  // over six reloads without this, and stays at 215-230 MB with it.
  malloc_trim(0);
}

CatalogueReloader::Loader ManifestLoader(std::string manifest_path, LoadOptions options) {
  return [manifest_path = std::move(manifest_path), options = std::move(options)] {
    return LoadCatalogueFromManifest(manifest_path, options);
  };
}

void LogLoadProblems(const LoadResult& result) {
  int logged = 0;
  for (const FileLoadReport& f : result.files) {
    for (const RejectedRow& r : f.report.rejected) {
      if (logged++ >= 5) break;
      common::LogWarning(
          "rejected row",
          {{"file", f.entry.path}, {"line", static_cast<long long>(r.line)}, {"reason", r.reason}});
    }
  }
  for (const std::string& w : result.warnings) common::LogWarning(w);
}

long long VmHwmKb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      long long kb = 0;
      status >> kb;
      return kb;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace openencoder::catalogue
