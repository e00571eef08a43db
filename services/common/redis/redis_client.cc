#include "services/common/redis/redis_client.h"

#include <chrono>
#include <csignal>
#include <mutex>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/redis/cluster_router.h"
#include "services/common/redis/command_keys.h"
#include "services/common/redis/key_slot.h"
#include "services/common/redis/node_pool.h"
#include "services/common/redis/redis_connection.h"
#include "services/common/redis/redis_errors.h"
#include "services/common/redis/redis_metrics.h"

namespace openencoder::redis {

using internal::ArgvView;
using internal::ClusterRouter;
using internal::NodePool;

namespace {

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current = {};
    // Leave alone any handler the program installed on purpose.
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

absl::StatusOr<RedisReply> ReplyOrStatus(RedisReply reply, bool allow_domain_errors) {
  if (reply.is_error()) {
    return ErrorReplyToStatus(reply.str(), allow_domain_errors);
  }
  return reply;
}

std::optional<int> SlotOf(std::optional<absl::string_view> key) {
  if (!key.has_value()) return std::nullopt;
  return KeySlot(*key);
}

// The one slot all `keys` share, or kInvalidArgument naming two that differ.
absl::StatusOr<std::optional<int>> CommonSlot(absl::Span<const absl::string_view> keys,
                                              absl::string_view what) {
  if (keys.empty()) return std::nullopt;
  const int slot = KeySlot(keys[0]);
  for (absl::string_view key : keys.subspan(1)) {
    if (const int other = KeySlot(key); other != slot) {
      return absl::InvalidArgumentError(
          absl::StrCat(what,
                       " keys must share one Redis Cluster slot (give them one hash "
                       "tag): \"",
                       keys[0], "\" is in slot ", slot, ", \"", key, "\" in slot ", other,
                       "; nothing was sent"));
    }
  }
  return slot;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(RedisOptions options) {
  if (absl::Status status = options.Validate(); !status.ok()) return status;
  IgnoreSigpipeOnce();
  return absl::WrapUnique(new RedisClient(std::move(options)));
}

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {
  if (options_.cluster) {
    cluster_ = std::make_unique<ClusterRouter>(options_);
  } else {
    node_ = std::make_unique<NodePool>(options_);
  }
}

RedisClient::~RedisClient() = default;

absl::StatusOr<std::vector<RedisReply>> RedisClient::Run(std::optional<int> slot,
                                                         absl::Span<const ArgvView> commands,
                                                         absl::Time deadline) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<RedisReply>> replies =
      node_ != nullptr ? node_->Execute(commands, deadline)
                       : cluster_->Execute(slot, commands, deadline);
  internal::RecordExchange(
      commands.size(), replies.status(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return replies;
}

absl::StatusOr<RedisReply> RedisClient::RunOne(std::optional<int> slot,
                                               absl::Span<const absl::string_view> args,
                                               absl::Time deadline) {
  if (args.empty()) return absl::InvalidArgumentError("empty Redis command");
  const ArgvView command(args.begin(), args.end());
  absl::StatusOr<std::vector<RedisReply>> replies = Run(slot, {&command, 1}, deadline);
  if (!replies.ok()) return replies.status();
  return ReplyOrStatus(std::move(replies->front()), false);
}

absl::StatusOr<RedisReply> RedisClient::Command(absl::Span<const absl::string_view> args,
                                                absl::Time deadline) {
  return RunOne(SlotOf(RoutingKey(args)), args, deadline);
}

absl::StatusOr<RedisReply> RedisClient::CommandForKey(absl::string_view routing_key,
                                                      absl::Span<const absl::string_view> args,
                                                      absl::Time deadline) {
  return RunOne(KeySlot(routing_key), args, deadline);
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    absl::Span<const RedisCommand> commands, absl::Time deadline) {
  if (commands.empty()) return std::vector<RedisReply>();
  for (const RedisCommand& command : commands) {
    if (command.empty()) {
      return absl::InvalidArgumentError("empty Redis command in pipeline; nothing was sent");
    }
  }
  if (cluster_ != nullptr) return ClusterPipeline(commands, deadline);
  std::vector<ArgvView> views;
  views.reserve(commands.size());
  for (const RedisCommand& command : commands) {
    views.emplace_back(command.begin(), command.end());
  }
  return node_->Execute(views, deadline);
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::ClusterPipeline(
    absl::Span<const RedisCommand> commands, absl::Time deadline) {
  std::vector<ArgvView> views;
  views.reserve(commands.size());
  for (const RedisCommand& command : commands) {
    views.emplace_back(command.begin(), command.end());
  }
  // Split into units: single commands, and MULTI ... EXEC/DISCARD blocks
  // that must reach one node together.
  std::vector<ClusterRouter::Unit> units;
  for (size_t begin = 0; begin < views.size();) {
    size_t end = begin + 1;
    if (absl::EqualsIgnoreCase(views[begin][0], "MULTI")) {
      while (end < views.size() && !absl::EqualsIgnoreCase(views[end - 1][0], "EXEC") &&
             !absl::EqualsIgnoreCase(views[end - 1][0], "DISCARD")) {
        ++end;
      }
    }
    std::vector<absl::string_view> keys;
    for (size_t i = begin; i < end; ++i) {
      if (std::optional<absl::string_view> key = RoutingKey(views[i])) {
        keys.push_back(*key);
      }
    }
    absl::StatusOr<std::optional<int>> slot = CommonSlot(keys, "MULTI/EXEC block");
    if (!slot.ok()) return slot.status();
    // A keyless command goes where the command before it went, so that
    // e.g. {INCR k}, {WAIT 1 100} waits for the replica of k's node.
    if (!slot->has_value() && !units.empty()) *slot = units.back().slot;
    units.push_back({*slot, absl::Span<const ArgvView>(views).subspan(begin, end - begin)});
    begin = end;
  }
  absl::StatusOr<std::vector<std::vector<RedisReply>>> per_unit =
      cluster_->ExecuteBatch(units, deadline);
  if (!per_unit.ok()) return per_unit.status();
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (std::vector<RedisReply>& unit : *per_unit) {
    for (RedisReply& reply : unit) replies.push_back(std::move(reply));
  }
  return replies;
}

absl::StatusOr<RedisReply> RedisClient::Eval(const LuaScript& script,
                                             absl::Span<const absl::string_view> keys,
                                             absl::Span<const absl::string_view> args,
                                             absl::Time deadline) {
  std::optional<int> slot;
  if (cluster_ != nullptr) {
    absl::StatusOr<std::optional<int>> common = CommonSlot(keys, "Eval");
    if (!common.ok()) return common.status();
    slot = *common;
  }
  const std::string num_keys = absl::StrCat(keys.size());
  ArgvView command = {"EVALSHA", script.sha1(), num_keys};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());

  absl::StatusOr<std::vector<RedisReply>> replies = Run(slot, {&command, 1}, deadline);
  if (!replies.ok()) return replies.status();
  RedisReply& reply = replies->front();
  if (reply.is_error() && absl::StartsWith(reply.str(), "NOSCRIPT")) {
    // Redis did not run anything, so sending the body is no retry of a
    // possibly-applied write. EVAL runs it and caches it for later EVALSHAs.
    command[0] = "EVAL";
    command[1] = script.source();
    replies = Run(slot, {&command, 1}, deadline);
    if (!replies.ok()) return replies.status();
  }
  return ReplyOrStatus(std::move(replies->front()), true);
}

absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> RedisClient::EvalMany(
    const LuaScript& script, absl::Span<const EvalCall> calls, absl::Time deadline) {
  std::vector<absl::StatusOr<RedisReply>> results(calls.size(), absl::InternalError("not sent"));
  std::vector<RedisCommand> commands;
  std::vector<size_t> sent;  // index into calls of each command
  commands.reserve(calls.size());
  sent.reserve(calls.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    const EvalCall& call = calls[i];
    if (cluster_ != nullptr) {
      const std::vector<absl::string_view> keys(call.keys.begin(), call.keys.end());
      absl::StatusOr<std::optional<int>> slot = CommonSlot(keys, "Eval");
      if (!slot.ok()) {
        results[i] = slot.status();
        continue;
      }
    }
    RedisCommand command = {"EVALSHA", script.sha1(), absl::StrCat(call.keys.size())};
    command.insert(command.end(), call.keys.begin(), call.keys.end());
    command.insert(command.end(), call.args.begin(), call.args.end());
    commands.push_back(std::move(command));
    sent.push_back(i);
  }
  absl::StatusOr<std::vector<RedisReply>> replies = Pipeline(commands, deadline);
  if (!replies.ok()) return replies.status();
  for (size_t j = 0; j < sent.size(); ++j) {
    RedisReply& reply = (*replies)[j];
    const EvalCall& call = calls[sent[j]];
    if (reply.is_error() && absl::StartsWith(reply.str(), "NOSCRIPT")) {
      // Not run, so sending the body is no retry of an applied write.
      const std::vector<absl::string_view> keys(call.keys.begin(), call.keys.end());
      const std::vector<absl::string_view> args(call.args.begin(), call.args.end());
      results[sent[j]] = Eval(script, keys, args, deadline);
      continue;
    }
    results[sent[j]] = ReplyOrStatus(std::move(reply), true);
  }
  return results;
}

absl::Status RedisClient::Ping(absl::Time deadline) {
  absl::StatusOr<RedisReply> reply = Command({"PING"}, deadline);
  if (!reply.ok()) return reply.status();
  if (!reply->is_status() || reply->str() != "PONG") {
    return absl::InternalError(
        absl::StrCat("unexpected PING reply from Redis: ", reply->DebugString()));
  }
  return absl::OkStatus();
}

}  // namespace openencoder::redis
