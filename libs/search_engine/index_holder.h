// Holds the current SearchIndex and replaces it atomically, so a new
// edition takes over with no pause for readers.
//
// Thread safety: all methods may be called concurrently. A reader's
// Current() pins the index it got (shared ownership): a swap never changes
// or frees an index under a running search; the old index is freed when
// its last reader drops it.
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_HOLDER_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_HOLDER_H_

#include <atomic>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/search_engine/search_index.h"

namespace openencoder::search {

class IndexHolder {
 public:
  IndexHolder() = default;
  explicit IndexHolder(std::shared_ptr<const SearchIndex> index) : current_(std::move(index)) {}

  IndexHolder(const IndexHolder&) = delete;
  IndexHolder& operator=(const IndexHolder&) = delete;

  // The index to search, or UnavailableError before the first Swap().
  absl::StatusOr<std::shared_ptr<const SearchIndex>> Current() const {
    std::shared_ptr<const SearchIndex> index = current_.load();
    if (index == nullptr) {
      return absl::UnavailableError("search index not loaded yet");
    }
    return index;
  }

  // Publishes `index`; returns the one it replaces (possibly null).
  std::shared_ptr<const SearchIndex> Swap(std::shared_ptr<const SearchIndex> index) {
    return current_.exchange(std::move(index));
  }

 private:
  // GCC 12's libstdc++ implements C++20 atomic<shared_ptr> (with an
  // internal lock bit, held only for the reference-count update).
  std::atomic<std::shared_ptr<const SearchIndex>> current_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_INDEX_HOLDER_H_
