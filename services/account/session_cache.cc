#include "services/account/session_cache.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace openencoder::account {

SessionCache::SessionCache(size_t capacity) : per_shard_((capacity + kShards - 1) / kShards) {}

SessionCache::Shard& SessionCache::ShardOf(const std::string& token_hash) {
  return shards_[absl::HashOf(token_hash) % kShards];
}

std::optional<SessionRecord> SessionCache::Find(const std::string& token_hash, absl::Time now) {
  Shard& shard = ShardOf(token_hash);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.entries.find(token_hash);
  if (it == shard.entries.end()) return std::nullopt;
  if (now >= it->second.fresh_until) {
    shard.entries.erase(it);
    return std::nullopt;
  }
  return it->second.session;
}

void SessionCache::Put(const SessionRecord& session, absl::Time now, absl::Duration refresh) {
  if (per_shard_ == 0) return;
  const absl::Time fresh_until =
      std::min({now + refresh, session.last_seen_at + session.idle_timeout, session.expires_at});
  if (fresh_until <= now) return;
  Entry entry{session, fresh_until};
  entry.session.client_address.clear();
  entry.session.user_agent.clear();
  Shard& shard = ShardOf(session.token_hash);
  absl::MutexLock lock(&shard.mu);
  if (shard.entries.size() >= per_shard_ && !shard.entries.contains(session.token_hash)) {
    // Full: drop what is stale; if everything is fresh, start the shard over
    // (a miss costs one Redis read, so a crude bound is enough).
    absl::erase_if(shard.entries, [now](const auto& e) { return now >= e.second.fresh_until; });
    if (shard.entries.size() >= per_shard_) shard.entries.clear();
  }
  shard.entries.insert_or_assign(session.token_hash, std::move(entry));
}

void SessionCache::Erase(const std::string& token_hash) {
  Shard& shard = ShardOf(token_hash);
  absl::MutexLock lock(&shard.mu);
  shard.entries.erase(token_hash);
}

}  // namespace openencoder::account
