#ifndef OPENENCODER_TESTS_SUPPORT_REDIS_CLUSTER_H_
#define OPENENCODER_TESTS_SUPPORT_REDIS_CLUSTER_H_

// RedisCluster: a real Redis Cluster for integration tests. Starts
// primaries * (1 + replicas) redis-server nodes (RedisServer, so each has a
// free loopback port and its own temporary directory; cluster-enabled,
// appendonly) and joins them with
//   redis-cli --cluster create ... --cluster-replicas N --cluster-yes,
// then waits until every node reports cluster_state:ok, agrees that every
// slot is served, and every replica's link to its primary is up.
//
// Example:
//   absl::StatusOr<std::unique_ptr<RedisCluster>> cluster =
//       RedisCluster::Start();
//   ASSERT_TRUE(cluster.ok()) << cluster.status();
//   options.cluster = true;
//   options.host = (*cluster)->node(0).host();  // any node is a seed
//   options.port = (*cluster)->node(0).port();
//   int primary = *(*cluster)->PrimaryForSlot(KeySlot("oe:{a:1}:x"));
//   ASSERT_TRUE((*cluster)->Kill(primary).ok());
//   ASSERT_TRUE((*cluster)->WaitUntilHealthy(absl::Seconds(20)).ok());
//
// Talks to the nodes with raw hiredis, never with oe_redis, so that it can
// test that client. Nodes are identified by index in [0, size()). Nodes
// die with the thread that started them (see redis_server.h): call Start
// and Restart from the test's own thread.
//
// Not thread-safe: control one RedisCluster from one thread.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/support/redis_server.h"

namespace openencoder::test_support {

struct RedisClusterOptions {
  int primaries = 3;
  int replicas_per_primary = 1;
  // cluster-node-timeout: how long a primary may be unreachable before its
  // replica is promoted (promotion takes roughly 1-3x this).
  absl::Duration node_timeout = absl::Milliseconds(1000);
  // appendonly yes with appendfsync everysec (the Redis default for AOF).
  bool appendonly = true;
  // Bound for Start (creation + convergence).
  absl::Duration startup_timeout = absl::Seconds(60);
  // redis-cli; empty: /usr/bin/redis-cli, else PATH.
  std::string redis_cli;
};

class RedisCluster {
 public:
  // kUnavailable/kDeadlineExceeded with the failing node's log tail or
  // redis-cli's output if the cluster did not come up.
  static absl::StatusOr<std::unique_ptr<RedisCluster>> Start(RedisClusterOptions options = {});

  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;
  // Kills every node and removes their directories.
  ~RedisCluster();

  int size() const { return static_cast<int>(nodes_.size()); }
  RedisServer& node(int index) { return *nodes_.at(index); }
  // "h1:p1,h2:p2,..." over all nodes: the OE_REDIS_ADDR form.
  std::string SeedList() const;

  // Indices of the nodes that currently are primaries (asked live with
  // INFO replication; killed or paused nodes are skipped).
  std::vector<int> Primaries() const;
  // The node serving `slot` according to a live node's CLUSTER SLOTS.
  absl::StatusOr<int> PrimaryForSlot(int slot) const;
  // CLUSTER MYID of a node.
  absl::StatusOr<std::string> NodeId(int index) const;

  // Crash (SIGKILL), restart on the same port and directory (it rejoins
  // the cluster, as a replica if it was failed over), and SIGSTOP/SIGCONT.
  absl::Status Kill(int index);
  absl::Status Restart(int index);
  absl::Status Pause(int index);
  absl::Status Resume(int index);

  // Waits until every running, unpaused node says cluster_state:ok and
  // sees every slot served by a running, unpaused primary, and every
  // replica's link is up. kDeadlineExceeded describing what is still wrong.
  absl::Status WaitUntilHealthy(absl::Duration timeout) const;

  // Sends one command to one node (no redirects followed). Replies: string,
  // status and integer (as decimal) -> their text; nil -> kNotFound; an
  // error reply -> kFailedPrecondition with its text; array ->
  // kInvalidArgument; connection problems -> kUnavailable.
  absl::StatusOr<std::string> RawCommand(int index, const std::vector<std::string>& args) const;

 private:
  explicit RedisCluster(RedisClusterOptions options);

  absl::Status Create();
  // Empty if this node is fine, else what is wrong with it.
  std::string Problems(int index) const;
  bool Live(int index) const;

  const RedisClusterOptions options_;
  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::vector<bool> paused_;
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_REDIS_CLUSTER_H_
