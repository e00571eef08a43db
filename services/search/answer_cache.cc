#include "services/search/answer_cache.h"

#include "absl/hash/hash.h"

namespace openencoder::search {
namespace {

// Same index: the same control block (owner), compared without touching
// the reference counts.
bool SameIndex(const std::weak_ptr<const void>& kept, const std::shared_ptr<const void>& index) {
  return !kept.owner_before(index) && !index.owner_before(kept) && !kept.expired();
}

size_t EntryBytes(size_t request, size_t answer) {
  return request + answer + sizeof(void*) * 8;  // list node and map slot, roughly
}

}  // namespace

AnswerCache::AnswerCache(size_t max_bytes) : shard_budget_(max_bytes / kShards) {}

AnswerCache::Shard& AnswerCache::ShardFor(absl::string_view request) {
  return shards_[absl::Hash<absl::string_view>()(request) % kShards];
}

void AnswerCache::Erase(Shard& shard, std::list<Entry>::iterator it) {
  shard.bytes -= EntryBytes(it->request.size(), it->answer.size());
  shard.by_request.erase(it->request);
  shard.recent.erase(it);
}

bool AnswerCache::Get(absl::string_view request, const std::shared_ptr<const void>& index,
                      std::string* answer) {
  if (!enabled()) return false;
  Shard& shard = ShardFor(request);
  absl::MutexLock lock(&shard.mu);
  auto found = shard.by_request.find(request);
  if (found == shard.by_request.end()) return false;
  auto it = found->second;
  if (!SameIndex(it->index, index)) {
    Erase(shard, it);  // computed on an index no longer served
    return false;
  }
  shard.recent.splice(shard.recent.begin(), shard.recent, it);
  answer->assign(it->answer);
  return true;
}

void AnswerCache::Put(absl::string_view request, const std::shared_ptr<const void>& index,
                      absl::string_view answer) {
  if (!enabled()) return;
  const size_t size = EntryBytes(request.size(), answer.size());
  if (size > shard_budget_) return;
  Shard& shard = ShardFor(request);
  absl::MutexLock lock(&shard.mu);
  if (auto found = shard.by_request.find(request); found != shard.by_request.end()) {
    Erase(shard, found->second);
  }
  while (!shard.recent.empty() && shard.bytes + size > shard_budget_) {
    Erase(shard, std::prev(shard.recent.end()));
  }
  shard.recent.push_front(Entry{std::string(request), std::string(answer), index});
  shard.by_request.emplace(shard.recent.front().request, shard.recent.begin());
  shard.bytes += size;
}

size_t AnswerCache::bytes() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    total += shard.bytes;
  }
  return total;
}

}  // namespace openencoder::search
