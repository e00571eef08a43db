// Reloads the served catalogue in the background: loads a new snapshot (the
// manifest and every file it names, read afresh), checks it, and swaps it
// into the SnapshotHolder only if both succeeded. main() asks for a reload
// on SIGHUP (common::ServeHooks::on_reload).
//
//   SnapshotHolder holder(initial);
//   CatalogueReloader reloader(&holder, path, ManifestLoader(path, options));
//   reloader.Request();   // returns at once; the load runs on its thread
//
// Calls are never failed by a reload: each call pins the snapshot it
// started with (shared_ptr), and the old snapshot is freed by its last
// reader. A failed reload leaves the old snapshot serving and logs one
// "catalogue reload failed" line with the reason and the failure count;
// a successful one logs "catalogue reloaded" with the old and new snapshot
// ids. Reloads never overlap: a Request() during a reload queues one more,
// and further requests fold into that queued one.
//
// Thread safety: every method may be called from any thread, except that
// the destructor must not race with other calls.
#ifndef OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_RELOADER_H_
#define OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_RELOADER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "services/catalogue/store/snapshot_holder.h"

namespace openencoder::catalogue {

// Whether a freshly loaded data set may replace the one being served. The
// importers tolerate rejected rows (start-up serves what it could read), but
// a reload replaces data that works, so it also refuses:
//   - a manifest that names no file, or a data set without codes;
//   - a file without a single data row (truncated, or still being copied);
//   - a file in which more than half of the data rows were rejected (the
//     wrong file or the wrong format for its kind).
// FAILED_PRECONDITION naming the file and the counts; OK otherwise.
absl::Status CheckReloadable(const LoadResult& result);

// What the reloader has done so far.
struct ReloadStats {
  int64_t requested = 0;     // Request() calls
  int64_t coalesced = 0;     // requests folded into one already queued
  int64_t succeeded = 0;     // reloads that swapped a new snapshot in
  int64_t failed = 0;        // reloads that kept the old snapshot
  bool running = false;      // a load is in progress
  bool queued = false;       // one more will start after it
  absl::Status last_status;  // of the last finished reload; OK before any
  absl::Time last_finished = absl::InfinitePast();
  double last_seconds = 0;  // wall time of the last finished reload
};

class CatalogueReloader {
 public:
  // Loads a complete data set; called on the reloader's thread.
  using Loader = std::function<absl::StatusOr<LoadResult>()>;

  // `holder` must outlive the reloader; `source` names the data set in log
  // lines (the manifest path). Starts the reloader's thread, which sleeps
  // until Request().
  CatalogueReloader(SnapshotHolder* holder, std::string source, Loader loader);
  CatalogueReloader(const CatalogueReloader&) = delete;
  CatalogueReloader& operator=(const CatalogueReloader&) = delete;
  // Stop().
  ~CatalogueReloader();

  // Asks for a reload and returns at once (safe on a signal-waiting thread,
  // never in a signal handler). Ignored after Stop().
  void Request();

  // True once no reload is running or queued; false if `timeout` passed
  // first. For tests and tools that must know a requested reload finished.
  bool WaitUntilIdle(absl::Duration timeout);

  ReloadStats stats() const;

  // Drops a queued reload, waits for a running one to finish (loads cannot
  // be interrupted; its result is still swapped in) and stops the thread.
  // Idempotent.
  void Stop();

 private:
  void Run();
  void ReloadOnce();

  SnapshotHolder* const holder_;
  const std::string source_;
  const Loader loader_;
  mutable absl::Mutex mu_;
  ReloadStats stats_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// A Loader that reads `manifest_path` and its files with `options`.
CatalogueReloader::Loader ManifestLoader(std::string manifest_path, LoadOptions options);

// Logs what the importers refused (the first five rejected rows) and the
// problems found joining the files, one warning line each.
void LogLoadProblems(const LoadResult& result);

// Peak resident set size of this process in kB, from /proc (0 where
// unavailable).
long long VmHwmKb();

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_RELOADER_H_
