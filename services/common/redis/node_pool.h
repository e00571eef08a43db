#ifndef OPENENCODER_SERVICES_COMMON_REDIS_NODE_POOL_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_NODE_POOL_H_

// A fixed pool of connections to one Redis node. Internal to oe_redis:
// RedisClient has one in single-node mode and ClusterRouter one per node in
// cluster mode.
//
// Thread safety: Execute may be called concurrently; each connection is
// used by one thread at a time. The pool must outlive every call.

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "services/common/redis/redis_connection.h"
#include "services/common/redis/redis_options.h"
#include "services/common/redis/redis_reply.h"

namespace openencoder::redis::internal {

class NodePool {
 public:
  // `options.host`/`options.port` name the node; pool_size connections are
  // created lazily (none is opened here).
  explicit NodePool(RedisOptions options);

  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;

  // RedisConnection::Execute on a free connection. Also kDeadlineExceeded
  // if no connection became free before `deadline`.
  absl::StatusOr<std::vector<RedisReply>> Execute(absl::Span<const ArgvView> commands,
                                                  absl::Time deadline);

  // "host:port".
  const std::string& address() const { return address_; }

 private:
  const RedisOptions options_;
  const std::string address_;
  absl::Mutex mu_;
  // Idle connections; the pool's other connections are leased out.
  std::vector<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::redis::internal

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_NODE_POOL_H_
