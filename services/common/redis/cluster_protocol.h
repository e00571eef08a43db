#ifndef OPENENCODER_SERVICES_COMMON_REDIS_CLUSTER_PROTOCOL_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_CLUSTER_PROTOCOL_H_

// Parsing the two Redis Cluster replies the client acts on: the slot map
// (CLUSTER SLOTS) and redirections (-MOVED / -ASK). Internal to oe_redis;
// pure functions, thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/redis/redis_options.h"
#include "services/common/redis/redis_reply.h"

namespace openencoder::redis::internal {

// Who serves each slot.
struct SlotMap {
  // Distinct primaries, in the order CLUSTER SLOTS listed them.
  std::vector<RedisEndpoint> primaries;
  // Every node named in the reply (primaries, then replicas): where to ask
  // for the map next time, including replicas that may be promoted.
  std::vector<RedisEndpoint> nodes;
  // Index into `primaries` for every slot; -1 if no node serves it.
  std::vector<int> slot_owner;  // kClusterSlots entries.

  // The primary serving `slot`, if any.
  std::optional<RedisEndpoint> Owner(int slot) const;
};

// Parses a CLUSTER SLOTS reply:
//   [[start, end, [ip, port, id, ...], [replica ip, port, ...]...], ...]
// An empty or "?" ip means "the node you asked": `asked_host` is used.
// kInternal (naming the problem) if the reply is not in that shape.
absl::StatusOr<SlotMap> ParseClusterSlots(const RedisReply& reply, absl::string_view asked_host);

struct Redirect {
  enum class Kind { kMoved, kAsk };
  Kind kind;
  int slot;
  RedisEndpoint target;
};

// Recognises "MOVED <slot> <host>:<port>" and "ASK <slot> <host>:<port>"
// error texts (host may be empty: same host as `asked_host`). nullopt for
// any other text.
std::optional<Redirect> ParseRedirect(absl::string_view error_text, absl::string_view asked_host);

}  // namespace openencoder::redis::internal

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_CLUSTER_PROTOCOL_H_
