#include "services/common/redis/cluster_router.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/redis/key_slot.h"
#include "services/common/redis/redis_metrics.h"

namespace openencoder::redis::internal {
namespace {

// Replies that say the map we routed by is out of date even without a
// redirect: the cluster is re-forming, or the node is no longer a primary.
bool SaysMapIsStale(const RedisReply& reply) {
  return reply.is_error() &&
         (absl::StartsWith(reply.str(), "CLUSTERDOWN") ||
          absl::StartsWith(reply.str(), "READONLY") || absl::StartsWith(reply.str(), "MASTERDOWN"));
}

bool IsOutage(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

RedisOptions NodeOptions(const RedisOptions& options, const RedisEndpoint& node) {
  RedisOptions node_options = options;
  node_options.host = node.host;
  node_options.port = node.port;
  node_options.cluster_seeds.clear();
  return node_options;
}

}  // namespace

ClusterRouter::ClusterRouter(RedisOptions options) : options_(std::move(options)) {
  absl::MutexLock lock(&mu_);
  last_refresh_error_ = absl::UnavailableError("Redis Cluster slot map not known yet");
}

absl::Status ClusterRouter::EnsureSlotMap(absl::Time deadline) {
  std::vector<RedisEndpoint> candidates;
  {
    absl::MutexLock lock(&mu_);
    if (!have_map_ && refreshing_) {
      // The first calls wait for the first map instead of failing.
      auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !refreshing_; };
      mu_.AwaitWithDeadline(absl::Condition(&done), deadline);
    }
    const bool wanted = !have_map_ || stale_;
    const bool allowed =
        !refreshing_ && absl::Now() - last_refresh_ >= options_.cluster_refresh_interval;
    if (!wanted || !allowed) {
      return have_map_ ? absl::OkStatus() : last_refresh_error_;
    }
    refreshing_ = true;
    last_refresh_ = absl::Now();
    // Known nodes (which include replicas that may just have been promoted)
    // and then the seeds; healthy ones first, rotated.
    std::vector<RedisEndpoint> all = known_nodes_;
    for (const RedisEndpoint& seed : options_.Seeds()) {
      if (std::find(all.begin(), all.end(), seed) == all.end()) {
        all.push_back(seed);
      }
    }
    if (!all.empty()) {
      std::rotate(all.begin(), all.begin() + refresh_rotation_++ % all.size(), all.end());
    }
    std::stable_partition(all.begin(), all.end(),
                          [this](const RedisEndpoint& node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                            return !suspects_.contains(node.ToString());
                          });
    candidates = std::move(all);
  }

  absl::StatusOr<SlotMap> map = FetchSlotMap(candidates, deadline);

  absl::MutexLock lock(&mu_);
  refreshing_ = false;
  if (map.ok()) {
    primaries_ = std::move(map->primaries);
    owner_ = std::move(map->slot_owner);
    for (const RedisEndpoint& node : map->nodes) {
      if (std::find(known_nodes_.begin(), known_nodes_.end(), node) == known_nodes_.end()) {
        known_nodes_.push_back(node);
      }
    }
    have_map_ = true;
    stale_ = false;
    last_refresh_error_ = absl::OkStatus();
  } else {
    last_refresh_error_ = map.status();
  }
  return have_map_ ? absl::OkStatus() : last_refresh_error_;
}

absl::StatusOr<SlotMap> ClusterRouter::FetchSlotMap(const std::vector<RedisEndpoint>& candidates,
                                                    absl::Time deadline) {
  std::vector<std::string> failures;
  for (const RedisEndpoint& node : candidates) {
    if (absl::Now() >= deadline) break;
    // A fresh connection with a short budget per node: a paused node must
    // not take the whole deadline, and pooled sockets stay for commands.
    RedisOptions probe_options = NodeOptions(options_, node);
    probe_options.command_timeout = options_.connect_timeout;
    RedisConnection probe(probe_options);
    const ArgvView command = {"CLUSTER", "SLOTS"};
    absl::StatusOr<std::vector<RedisReply>> reply = probe.Execute(
        {&command, 1}, std::min(deadline, absl::Now() + 2 * options_.connect_timeout));
    if (!reply.ok()) {
      failures.push_back(std::string(reply.status().message()));
      continue;
    }
    if (reply->front().is_error()) {
      failures.push_back(absl::StrCat(node.ToString(), " answered ", reply->front().str()));
      continue;
    }
    absl::StatusOr<SlotMap> map = ParseClusterSlots(reply->front(), node.host);
    if (!map.ok()) {
      failures.push_back(std::string(map.status().message()));
      continue;
    }
    if (map->primaries.empty()) {
      failures.push_back(absl::StrCat(node.ToString(), " knows no slot assignment"));
      continue;
    }
    return map;
  }
  if (failures.empty()) failures.push_back("deadline passed first");
  return absl::UnavailableError(
      absl::StrCat("no Redis Cluster node told the slot map: ", absl::StrJoin(failures, "; ")));
}

absl::StatusOr<RedisEndpoint> ClusterRouter::Target(std::optional<int> slot) {
  absl::MutexLock lock(&mu_);
  if (!slot.has_value()) {
    if (primaries_.empty()) {
      return absl::UnavailableError("Redis Cluster has no known primary");
    }
    return primaries_.front();
  }
  if (owner_[*slot] < 0) {
    stale_ = true;
    return absl::UnavailableError(
        absl::StrCat("no Redis Cluster node serves slot ", *slot, " (cluster down?)"));
  }
  return primaries_[owner_[*slot]];
}

NodePool* ClusterRouter::PoolFor(const RedisEndpoint& endpoint) {
  const std::string address = endpoint.ToString();
  absl::MutexLock lock(&mu_);
  std::unique_ptr<NodePool>& pool = pools_[address];
  if (pool == nullptr) {
    pool = std::make_unique<NodePool>(NodeOptions(options_, endpoint));
  }
  return pool.get();
}

void ClusterRouter::LearnOwner(int slot, const RedisEndpoint& owner) {
  absl::MutexLock lock(&mu_);
  auto it = std::find(primaries_.begin(), primaries_.end(), owner);
  owner_[slot] = static_cast<int>(it - primaries_.begin());
  if (it == primaries_.end()) primaries_.push_back(owner);
}

void ClusterRouter::MarkStale(const RedisEndpoint* failed_node) {
  absl::MutexLock lock(&mu_);
  stale_ = true;
  if (failed_node != nullptr) suspects_.insert(failed_node->ToString());
}

void ClusterRouter::NoteHealthy(const RedisEndpoint& node) {
  absl::MutexLock lock(&mu_);
  if (!suspects_.empty()) suspects_.erase(node.ToString());
}

absl::StatusOr<std::vector<RedisReply>> ClusterRouter::Send(const RedisEndpoint& target,
                                                            absl::Span<const ArgvView> commands,
                                                            bool asking, absl::Time deadline) {
  std::vector<ArgvView> with_asking;
  if (asking) {
    with_asking.push_back({"ASKING"});
    with_asking.insert(with_asking.end(), commands.begin(), commands.end());
    commands = with_asking;
  }
  absl::StatusOr<std::vector<RedisReply>> replies = PoolFor(target)->Execute(commands, deadline);
  if (!replies.ok()) {
    if (IsOutage(replies.status())) MarkStale(&target);
    return replies;
  }
  NoteHealthy(target);
  if (asking) replies->erase(replies->begin());
  if (std::any_of(replies->begin(), replies->end(), SaysMapIsStale)) {
    MarkStale(nullptr);
  }
  return replies;
}

absl::StatusOr<std::vector<RedisReply>> ClusterRouter::FollowRedirects(
    const RedisEndpoint& target, absl::Span<const ArgvView> commands,
    std::vector<RedisReply> replies, absl::Time deadline) {
  RedisEndpoint at = target;
  for (int hop = 0; hop < kMaxRedirects; ++hop) {
    std::optional<Redirect> redirect;
    for (const RedisReply& reply : replies) {
      if (reply.is_error()) redirect = ParseRedirect(reply.str(), at.host);
      if (redirect.has_value()) break;
    }
    // A redirect means the node ran nothing of the unit: a single command
    // was refused, and a transaction with a refused command is aborted.
    if (!redirect.has_value()) return replies;
    bool asking = false;
    RecordRedirect(redirect->kind == Redirect::Kind::kMoved);
    if (redirect->kind == Redirect::Kind::kMoved) {
      LearnOwner(redirect->slot, redirect->target);
      MarkStale(nullptr);  // One slot moved: likely others did too.
    } else {
      if (commands.size() != 1) {
        return absl::UnavailableError(absl::StrCat(
            "Redis Cluster slot ", redirect->slot, " is migrating to ", redirect->target.ToString(),
            "; a transaction cannot follow ASK, retry it later"));
      }
      asking = true;
    }
    at = redirect->target;
    absl::StatusOr<std::vector<RedisReply>> next = Send(at, commands, asking, deadline);
    if (!next.ok()) return next.status();
    replies = *std::move(next);
  }
  return replies;
}

absl::StatusOr<std::vector<RedisReply>> ClusterRouter::Execute(std::optional<int> slot,
                                                               absl::Span<const ArgvView> commands,
                                                               absl::Time deadline) {
  if (absl::Status status = EnsureSlotMap(deadline); !status.ok()) {
    return status;
  }
  absl::StatusOr<RedisEndpoint> target = Target(slot);
  if (!target.ok()) return target.status();
  absl::StatusOr<std::vector<RedisReply>> replies =
      Send(*target, commands, /*asking=*/false, deadline);
  if (!replies.ok()) return replies.status();
  return FollowRedirects(*target, commands, *std::move(replies), deadline);
}

absl::StatusOr<std::vector<std::vector<RedisReply>>> ClusterRouter::ExecuteBatch(
    absl::Span<const Unit> units, absl::Time deadline) {
  if (absl::Status status = EnsureSlotMap(deadline); !status.ok()) {
    return status;
  }
  // Group units by node, keeping first-seen node order and unit order.
  struct Group {
    RedisEndpoint node;
    std::vector<size_t> units;
  };
  std::vector<Group> groups;
  for (size_t i = 0; i < units.size(); ++i) {
    absl::StatusOr<RedisEndpoint> target = Target(units[i].slot);
    if (!target.ok()) return target.status();  // Nothing sent yet.
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const Group& g) { return g.node == *target; });
    if (it == groups.end()) {
      groups.push_back({*target, {}});
      it = groups.end() - 1;
    }
    it->units.push_back(i);
  }

  std::vector<std::vector<RedisReply>> results(units.size());
  for (const Group& group : groups) {
    std::vector<ArgvView> commands;
    for (size_t i : group.units) {
      commands.insert(commands.end(), units[i].commands.begin(), units[i].commands.end());
    }
    absl::StatusOr<std::vector<RedisReply>> replies =
        Send(group.node, commands, /*asking=*/false, deadline);
    if (!replies.ok()) return replies.status();
    auto next = replies->begin();
    for (size_t i : group.units) {
      std::vector<RedisReply> unit_replies(
          std::make_move_iterator(next), std::make_move_iterator(next + units[i].commands.size()));
      next += units[i].commands.size();
      absl::StatusOr<std::vector<RedisReply>> followed =
          FollowRedirects(group.node, units[i].commands, std::move(unit_replies), deadline);
      if (!followed.ok()) return followed.status();
      results[i] = *std::move(followed);
    }
  }
  return results;
}

}  // namespace openencoder::redis::internal
