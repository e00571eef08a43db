// Holds the catalogue snapshot being served and replaces it atomically, so a
// reload takes over without pausing readers.
//
// Thread safety: every method may be called concurrently. Current() pins the
// snapshot it returns (shared ownership); a Swap never frees a snapshot a
// request is still reading, the last reader does.
#ifndef OPENENCODER_SERVICES_CATALOGUE_STORE_SNAPSHOT_HOLDER_H_
#define OPENENCODER_SERVICES_CATALOGUE_STORE_SNAPSHOT_HOLDER_H_

#include <atomic>
#include <memory>
#include <utility>

#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

class SnapshotHolder {
 public:
  SnapshotHolder() = default;
  explicit SnapshotHolder(std::shared_ptr<const CatalogueSnapshot> snapshot)
      : current_(std::move(snapshot)) {}

  SnapshotHolder(const SnapshotHolder&) = delete;
  SnapshotHolder& operator=(const SnapshotHolder&) = delete;

  // The snapshot to read, or nullptr before the first Swap.
  std::shared_ptr<const CatalogueSnapshot> Current() const {
    return current_.load(std::memory_order_acquire);
  }

  // Publishes `snapshot`; returns the one it replaces (possibly null).
  std::shared_ptr<const CatalogueSnapshot> Swap(std::shared_ptr<const CatalogueSnapshot> snapshot) {
    return current_.exchange(std::move(snapshot), std::memory_order_acq_rel);
  }

 private:
  std::atomic<std::shared_ptr<const CatalogueSnapshot>> current_;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_STORE_SNAPSHOT_HOLDER_H_
