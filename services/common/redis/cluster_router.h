#ifndef OPENENCODER_SERVICES_COMMON_REDIS_CLUSTER_ROUTER_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_CLUSTER_ROUTER_H_

// ClusterRouter: sends commands to the Redis Cluster primary that serves
// their slot. Internal to oe_redis; RedisClient uses it in cluster mode and
// its header and README.md describe the behaviour callers see.
//
// What it does:
//  - learns the slot map with CLUSTER SLOTS from any seed or known node
//    (lazily, on the first call);
//  - keeps one NodePool (options.pool_size connections) per node it has
//    talked to; pools are never dropped, so there are at most as many as
//    there were distinct nodes in the cluster's life;
//  - on -MOVED records the new owner of that slot, marks the map stale and
//    sends the unit once more to the named node; on -ASK sends ASKING and
//    the command to the named node, without touching the map. At most
//    kMaxRedirects hops per unit (a MOVED from a stale map may be followed
//    by an ASK while that slot migrates); a further redirect is returned to
//    the caller as kUnavailable;
//  - on a failed exchange with a node (kUnavailable/kDeadlineExceeded) or a
//    CLUSTERDOWN/READONLY/MASTERDOWN reply, marks the map stale. A stale map
//    is refreshed at the start of a later call, at most once per
//    options.cluster_refresh_interval, so a promoted replica is found after
//    a failover without re-creating anything. The failed command itself is
//    not repeated: it may have been applied.
//
// A "unit" is what must go to one node together: one command, or a
// MULTI ... EXEC block whose keys share one slot. A unit that gets ASK and
// has more than one command fails with kUnavailable ("slot is migrating"),
// because ASKING covers only the next command.
//
// Thread safety: all methods may be called concurrently.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "services/common/redis/cluster_protocol.h"
#include "services/common/redis/node_pool.h"
#include "services/common/redis/redis_connection.h"
#include "services/common/redis/redis_options.h"
#include "services/common/redis/redis_reply.h"

namespace openencoder::redis::internal {

class ClusterRouter {
 public:
  static constexpr int kMaxRedirects = 2;

  // One unit and the slot it goes to (nullopt: keyless, any primary).
  struct Unit {
    std::optional<int> slot;
    absl::Span<const ArgvView> commands;
  };

  explicit ClusterRouter(RedisOptions options);

  ClusterRouter(const ClusterRouter&) = delete;
  ClusterRouter& operator=(const ClusterRouter&) = delete;

  // Runs one unit; one reply per command, error replies in place (including
  // a redirect left over after kMaxRedirects hops). Errors as NodePool, plus
  // kUnavailable if no node could tell the slot map or none serves `slot`.
  absl::StatusOr<std::vector<RedisReply>> Execute(std::optional<int> slot,
                                                  absl::Span<const ArgvView> commands,
                                                  absl::Time deadline);

  // Runs several units, one pipelined exchange per node (nodes one after
  // the other), then follows redirects unit by unit. Replies per unit, in
  // order. On a failed exchange returns that status: units on nodes
  // already done ran, the others may or may not have.
  absl::StatusOr<std::vector<std::vector<RedisReply>>> ExecuteBatch(absl::Span<const Unit> units,
                                                                    absl::Time deadline);

 private:
  // Refreshes the slot map if there is none yet, or it is stale and the
  // rate limit allows. OK if a (possibly stale) map is known.
  absl::Status EnsureSlotMap(absl::Time deadline);
  absl::StatusOr<SlotMap> FetchSlotMap(const std::vector<RedisEndpoint>& candidates,
                                       absl::Time deadline);
  // The primary for `slot` (any primary for nullopt).
  absl::StatusOr<RedisEndpoint> Target(std::optional<int> slot);
  NodePool* PoolFor(const RedisEndpoint& endpoint);
  // One exchange with `target` (prefixed by ASKING if `asking`; its reply
  // is dropped again). Notes failures and stale-map errors.
  absl::StatusOr<std::vector<RedisReply>> Send(const RedisEndpoint& target,
                                               absl::Span<const ArgvView> commands, bool asking,
                                               absl::Time deadline);
  // Given the replies of `commands` from `target`, follows redirects.
  absl::StatusOr<std::vector<RedisReply>> FollowRedirects(const RedisEndpoint& target,
                                                          absl::Span<const ArgvView> commands,
                                                          std::vector<RedisReply> replies,
                                                          absl::Time deadline);
  void LearnOwner(int slot, const RedisEndpoint& owner);
  void MarkStale(const RedisEndpoint* failed_node);
  void NoteHealthy(const RedisEndpoint& node);

  const RedisOptions options_;
  absl::Mutex mu_;
  // The slot map: primaries_[owner_[slot]] serves slot; -1: nobody.
  std::vector<RedisEndpoint> primaries_ ABSL_GUARDED_BY(mu_);
  std::vector<int> owner_ ABSL_GUARDED_BY(mu_);
  // Every node seen, asked for the map before the seeds.
  std::vector<RedisEndpoint> known_nodes_ ABSL_GUARDED_BY(mu_);
  bool have_map_ ABSL_GUARDED_BY(mu_) = false;
  bool stale_ ABSL_GUARDED_BY(mu_) = true;
  bool refreshing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_refresh_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status last_refresh_error_ ABSL_GUARDED_BY(mu_);
  // Rotates the first node asked, so one dead node does not slow every
  // refresh.
  size_t refresh_rotation_ ABSL_GUARDED_BY(mu_) = 0;
  // Nodes whose last exchange failed: asked for the map last.
  absl::flat_hash_set<std::string> suspects_ ABSL_GUARDED_BY(mu_);
  // By "host:port". Never erased, so NodePool pointers stay valid.
  absl::flat_hash_map<std::string, std::unique_ptr<NodePool>> pools_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::redis::internal

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_CLUSTER_ROUTER_H_
