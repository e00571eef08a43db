// Keeps the search index in step with the catalogue: builds the first index
// at start (retrying while the catalogue is unreachable) and rebuilds when
// the catalogue's snapshot id changes, swapping the new index in atomically
// so searches never pause.
#ifndef OPENENCODER_SERVICES_SEARCH_INDEX_REFRESHER_H_
#define OPENENCODER_SERVICES_SEARCH_INDEX_REFRESHER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/search_engine/index_holder.h"
#include "libs/search_engine/procedure_terms.h"
#include "libs/search_engine/synonym_table.h"
#include "services/search/code_source.h"

namespace openencoder::search {

class IndexRefresher {
 public:
  // `source` and `holder` must outlive the refresher. `on_index` runs after
  // every swap (e.g. to say SERVING after the first one).
  IndexRefresher(CodeSource* source, SynonymTable synonyms, IndexHolder* holder,
                 absl::Duration poll_interval, std::function<void()> on_index = nullptr);
  ~IndexRefresher();  // stops the background thread

  // Procedure words for every index built from now on (procedure_terms.h).
  // Call before Start().
  void SetProcedureTerms(std::vector<ProcedureTerm> terms) { procedure_terms_ = std::move(terms); }

  // Starts polling in a background thread: immediately, then every
  // poll_interval (every second until the first index exists).
  void Start();
  void Stop();

  // Rebuilds now if there is no index yet or the snapshot id changed.
  // Thread-safe; concurrent calls are serialised. Returns the reason when
  // the catalogue could not be read or the index could not be built; the
  // current index then stays in service.
  absl::Status RefreshNow();

  // Points the refresher at another source (an edition switch); the next
  // refresh rebuilds from it.
  void SetSource(CodeSource* source);

  // The snapshot id of the index being served; "" before the first.
  std::string snapshot_id() const;

 private:
  void Run();

  mutable absl::Mutex mu_;
  CodeSource* source_ ABSL_GUARDED_BY(mu_);
  std::string snapshot_id_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex refresh_mu_;  // one rebuild at a time
  const SynonymTable synonyms_;
  std::vector<ProcedureTerm> procedure_terms_;
  IndexHolder* holder_;
  const absl::Duration poll_interval_;
  std::function<void()> on_index_;
  std::thread thread_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_INDEX_REFRESHER_H_
