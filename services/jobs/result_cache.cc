#include "services/jobs/result_cache.h"

namespace openencoder::jobs {

std::shared_ptr<const CachedResult> ResultCache::Find(const std::string& key, uint64_t generation) {
  if (capacity_ == 0) return nullptr;
  absl::MutexLock lock(&mu_);
  auto it = slots_.find(key);
  if (it == slots_.end() || it->second.result->generation != generation) return nullptr;
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  return it->second.result;
}

void ResultCache::Put(const std::string& key, std::shared_ptr<const CachedResult> result) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  auto it = slots_.find(key);
  if (it != slots_.end()) {
    // Never replace a newer answer with an older one (a slow search that
    // started before a change may finish after a faster one).
    if (it->second.result->generation <= result->generation) it->second.result = std::move(result);
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return;
  }
  if (slots_.size() >= capacity_) {
    slots_.erase(recency_.back());
    recency_.pop_back();
  }
  recency_.push_front(key);
  slots_.emplace(key, Slot{std::move(result), recency_.begin()});
}

}  // namespace openencoder::jobs
