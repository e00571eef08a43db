// Serialised Search answers kept by request, for the index they were
// computed on.
//
// Case2Code runs on every keystroke: many coders type the same first letters
// ("dia", "diab", "heart") and page through the same lists, and the engine
// answers them all from scratch. This cache keeps the finished answer bytes
// (Solr's queryResultCache idea, one level later): a hit costs a hash lookup
// and a copy instead of planning, scoring and highlighting.
//
// An entry is valid only for the index it was computed on: it remembers
// that index weakly (no memory is pinned) and a lookup with any other index
// is a miss, so an edition swap can never serve an old answer. Entries are
// evicted least recently used first once their bytes exceed the budget.
//
// Thread safety: all methods may be called concurrently (16 locked shards).
#ifndef OPENENCODER_SERVICES_SEARCH_ANSWER_CACHE_H_
#define OPENENCODER_SERVICES_SEARCH_ANSWER_CACHE_H_

#include <array>
#include <cstddef>
#include <list>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace openencoder::search {

class AnswerCache {
 public:
  // `max_bytes` bounds keys plus answers; 0 turns the cache off.
  explicit AnswerCache(size_t max_bytes);
  AnswerCache(const AnswerCache&) = delete;
  AnswerCache& operator=(const AnswerCache&) = delete;

  bool enabled() const { return shard_budget_ > 0; }

  // Copies into `answer` the bytes cached for `request` when they were
  // computed on `index`; false otherwise.
  bool Get(absl::string_view request, const std::shared_ptr<const void>& index,
           std::string* answer);

  // Keeps `answer` for `request` on `index`, replacing an older entry.
  // An entry larger than a shard's budget is not kept.
  void Put(absl::string_view request, const std::shared_ptr<const void>& index,
           absl::string_view answer);

  // Bytes held now (keys and answers), for tests and the metrics.
  size_t bytes() const;

 private:
  struct Entry {
    std::string request;
    std::string answer;
    std::weak_ptr<const void> index;
  };
  struct Shard {
    mutable absl::Mutex mu;
    std::list<Entry> recent ABSL_GUARDED_BY(mu);  // most recent first
    absl::flat_hash_map<absl::string_view, std::list<Entry>::iterator> by_request
        ABSL_GUARDED_BY(mu);
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
  };
  static constexpr size_t kShards = 16;

  Shard& ShardFor(absl::string_view request);
  static void Erase(Shard& shard, std::list<Entry>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);

  const size_t shard_budget_;
  std::array<Shard, kShards> shards_;
};

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_ANSWER_CACHE_H_
