#ifndef OPENENCODER_SERVICES_COMMON_REDIS_REDIS_CLIENT_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_REDIS_CLIENT_H_

// RedisClient: the Redis client every OpenEncoder service uses. A fixed pool
// of synchronous hiredis connections, each used by one thread at a time, and
// every call bounded by the caller's deadline.
//
// Single node (the default) or Redis Cluster (options.cluster, set by
// OE_REDIS_CLUSTER=1 or several addresses in OE_REDIS_ADDR): the API is the
// same. In cluster mode there is one pool per primary, each command goes to
// the primary serving the slot of its key (CRC16 of the hash tag, see
// key_slot.h), and MOVED/ASK redirects and failovers are handled inside
// (see README.md in this folder, "Redis Cluster"). Routing:
//   Command        by RoutingKey(args) (command_keys.h: args[1] for most
//                  commands); keyless commands go to one primary.
//   CommandForKey  by the key given.
//   Eval           by keys[0]; all keys must be in one slot.
//   Pipeline       each command by its key, one exchange per node; a
//                  MULTI ... EXEC block goes to one node as a whole; a
//                  keyless command follows the command before it.
//
// Example:
//   absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
//   auto client = RedisClient::Create(*options);
//   const absl::Time deadline = absl::Now() + absl::Milliseconds(200);
//   absl::StatusOr<RedisReply> n =
//       (*client)->Command({"INCR", "oe:{a:1}:views"}, deadline);
//
// Timeouts. Every socket read/write waits at most
// min(options.command_timeout, deadline - now); connecting (TCP, AUTH,
// SELECT) at most min(options.connect_timeout, deadline - now); waiting for a
// free pooled connection at most until the deadline. No call blocks past
// its deadline by more than scheduling noise.
//
// Status codes returned by every call:
//   kUnavailable       Redis is down/unreachable/stopped answering ("Redis at
//                      host:port is unreachable: ..."), or a transient Redis
//                      error (LOADING, BUSY, ...; see redis_errors.h). The
//                      next call reconnects by itself; nothing needs to be
//                      re-created when Redis comes back.
//   kDeadlineExceeded  the deadline passed before the command was sent,
//                      while waiting for a free connection, or while waiting
//                      for a reply (a connect that fails is kUnavailable).
//   kInvalidArgument   empty command; in cluster mode also Eval keys or a
//                      MULTI/EXEC block in different slots (nothing sent).
//   others             a Redis error reply, mapped as in redis_errors.h
//                      (e.g. WRONGTYPE -> kInternal).
//
// In cluster mode kUnavailable also covers: no node told the slot map, no
// node serves the slot (CLUSTERDOWN), and a redirect still pending after
// the client followed one MOVED and one ASK.
//
// Retries: none, except following MOVED/ASK (the redirecting node did not
// run the command) in cluster mode. A command that failed with kUnavailable or
// kDeadlineExceeded may or may not have been applied (it may even be applied
// later, e.g. by a paused server once it resumes). Only the caller knows
// whether repeating it is safe; idempotent reads may simply be retried. The
// one internal repeat is Eval's NOSCRIPT fallback, which is safe because
// Redis did not run the script.
//
// Thread safety: all methods may be called concurrently. The client must
// outlive every call in progress.
//
// Process-wide effect: Create() sets SIGPIPE to "ignore" if it still has the
// default disposition, because hiredis 0.14 writes with write(2) and a write
// to a socket Redis closed would otherwise kill the process. (gRPC servers
// ignore SIGPIPE too.)

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "services/common/redis/lua_script.h"
#include "services/common/redis/redis_options.h"
#include "services/common/redis/redis_reply.h"

namespace openencoder::redis {

namespace internal {
class ClusterRouter;
class NodePool;
}  // namespace internal

// One command of a pipeline, owning its (binary-safe) arguments.
using RedisCommand = std::vector<std::string>;

class RedisClient {
 public:
  // Validates `options` (kInvalidArgument) and sets up the pool. Connects
  // lazily: succeeds even if Redis is down, so a service can start first.
  static absl::StatusOr<std::unique_ptr<RedisClient>> Create(RedisOptions options);

  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;
  ~RedisClient();

  // Runs one command, e.g. {"SET", key, value}. Arguments are binary-safe.
  // A Redis error reply becomes a non-OK status; nil, integer, string,
  // status and array replies are returned as they are.
  // In cluster mode routed by RoutingKey(args) (command_keys.h).
  absl::StatusOr<RedisReply> Command(absl::Span<const absl::string_view> args, absl::Time deadline);

  // Command, routed by `routing_key` in cluster mode, for commands whose key
  // is not where RoutingKey looks. Same as Command on a single node.
  absl::StatusOr<RedisReply> CommandForKey(absl::string_view routing_key,
                                           absl::Span<const absl::string_view> args,
                                           absl::Time deadline);

  // Sends all `commands` in one write on one connection and reads all
  // replies, in order. Not atomic (other clients' commands may interleave;
  // use Eval or MULTI/EXEC inside the pipeline for atomicity). Error replies
  // stay in place as RedisReply::Type::kError so that the other results are
  // not lost; use ErrorReplyToStatus (redis_errors.h) on them. The status is
  // non-OK only if the exchange itself failed, in which case any prefix of
  // the commands may have run. An empty pipeline returns no replies.
  // Cluster mode: commands are grouped by node (one exchange per node, nodes
  // in turn; order within a node kept; replies returned in the caller's
  // order) and a failed exchange means any subset may have run. MULTI ...
  // EXEC/DISCARD blocks must keep their keys in one slot
  // (kInvalidArgument otherwise, nothing sent); a keyless command outside a
  // block goes to the node of the command before it (so {INCR k},
  // {WAIT 1 100} waits on k's primary), or to one primary if it is first.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(absl::Span<const RedisCommand> commands,
                                                   absl::Time deadline);

  // Runs `script` with EVALSHA; if Redis does not know it (NOSCRIPT, e.g.
  // after a restart or SCRIPT FLUSH) sends it once with EVAL, which also
  // caches it. Error replies become statuses as in redis_errors.h, with
  // domain errors allowed: a script that returns
  //   redis.error_reply('NOT_FOUND no such session')
  // makes Eval return absl::NotFoundError("no such session").
  // Cluster mode: runs on the primary of keys[0]'s slot (any primary if
  // there are no keys); keys in different slots are kInvalidArgument,
  // naming the keys and slots, before anything is sent.
  absl::StatusOr<RedisReply> Eval(const LuaScript& script, absl::Span<const absl::string_view> keys,
                                  absl::Span<const absl::string_view> args, absl::Time deadline);

  // One Eval's keys and arguments, for EvalMany.
  struct EvalCall {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };
  // Runs `script` once per call with EVALSHA, all in one pipeline (one
  // exchange per node), so that many independent scripts cost one round
  // trip instead of one each; calls Redis did not know the script for
  // (NOSCRIPT) are sent again one by one through Eval (the first of them
  // loads the script with EVAL, the rest find it by EVALSHA; this happens
  // only after a restart, failover or SCRIPT FLUSH). Each call's result is
  // as Eval's; the outer status is non-OK only if the exchange failed, in
  // which case any subset may have run. Cluster mode: a call whose keys are
  // in different slots gets kInvalidArgument and is not sent.
  absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> EvalMany(const LuaScript& script,
                                                                   absl::Span<const EvalCall> calls,
                                                                   absl::Time deadline);

  // PING, for health checks: OK if Redis answered PONG (in cluster mode:
  // one primary, after the slot map was learned).
  absl::Status Ping(absl::Time deadline);

  const RedisOptions& options() const { return options_; }

 private:
  explicit RedisClient(RedisOptions options);

  // Runs one command (or MULTI ... EXEC block) on the node for `slot`
  // (single node: the node; nullopt: any primary).
  absl::StatusOr<std::vector<RedisReply>> Run(
      std::optional<int> slot, absl::Span<const std::vector<absl::string_view>> commands,
      absl::Time deadline);
  // Run for one command; an error reply becomes a status.
  absl::StatusOr<RedisReply> RunOne(std::optional<int> slot,
                                    absl::Span<const absl::string_view> args, absl::Time deadline);
  absl::StatusOr<std::vector<RedisReply>> ClusterPipeline(absl::Span<const RedisCommand> commands,
                                                          absl::Time deadline);

  const RedisOptions options_;
  // Exactly one of these is set, by options_.cluster.
  std::unique_ptr<internal::NodePool> node_;
  std::unique_ptr<internal::ClusterRouter> cluster_;
};

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_REDIS_CLIENT_H_
