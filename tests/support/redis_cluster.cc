#include "tests/support/redis_cluster.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/support/raw_hiredis.h"
#include "tests/support/run_program.h"

namespace openencoder::test_support {
namespace {

constexpr int kSlots = 16384;

using raw::Context;
using raw::Reply;

absl::StatusOr<Reply> Send(redisContext& context, const RedisServer& server,
                           const std::vector<std::string>& args);

absl::StatusOr<Reply> Query(const RedisServer& server, const std::vector<std::string>& args) {
  Context context(redisConnectWithTimeout(server.host().c_str(), server.port(), {1, 0}));
  if (context == nullptr || context->err != 0) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", server.address(), ": ",
                                               context ? context->errstr : "out of memory"));
  }
  if (redisSetTimeout(context.get(), {2, 0}) != REDIS_OK) {
    return absl::UnavailableError("redisSetTimeout failed");
  }
  // ACLs are on: log in as the admin user first.
  if (const std::vector<std::string> auth = server.AdminAuth(); !auth.empty()) {
    absl::StatusOr<Reply> login = Send(*context, server, auth);
    if (!login.ok()) return login.status();
    if ((*login)->type == REDIS_REPLY_ERROR) {
      return absl::PermissionDeniedError(
          absl::StrCat("AUTH refused by ", server.address(), ": ", (*login)->str));
    }
  }
  return Send(*context, server, args);
}

absl::StatusOr<Reply> Send(redisContext& context, const RedisServer& server,
                           const std::vector<std::string>& args) {
  Reply reply = raw::SendArgv(context, args);
  if (reply == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("no reply from ", server.address(), ": ", context.errstr));
  }
  return reply;
}

absl::StatusOr<std::string> QueryText(const RedisServer& server,
                                      const std::vector<std::string>& args) {
  absl::StatusOr<Reply> reply = Query(server, args);
  if (!reply.ok()) return reply.status();
  const redisReply& r = **reply;
  switch (r.type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      return std::string(r.str, r.len);
    case REDIS_REPLY_INTEGER:
      return absl::StrCat(r.integer);
    case REDIS_REPLY_NIL:
      return absl::NotFoundError("nil");
    case REDIS_REPLY_ERROR:
      return absl::FailedPreconditionError(std::string(r.str, r.len));
    default:
      return absl::InvalidArgumentError("array reply");
  }
}

std::string FindRedisCli(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (access("/usr/bin/redis-cli", X_OK) == 0) return "/usr/bin/redis-cli";
  const char* path = getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path ? path : "", ':')) {
    std::string candidate = absl::StrCat(dir, "/redis-cli");
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "redis-cli";
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisCluster>> RedisCluster::Start(RedisClusterOptions options) {
  std::unique_ptr<RedisCluster> cluster(new RedisCluster(std::move(options)));
  const RedisClusterOptions& o = cluster->options_;
  const int count = o.primaries * (1 + o.replicas_per_primary);
  for (int i = 0; i < count; ++i) {
    RedisServerOptions server_options;
    server_options.reserve_cluster_bus_port = true;
    server_options.extra_args = {
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
        absl::StrCat(absl::ToInt64Milliseconds(o.node_timeout)),
        // Tests kill primaries on purpose: the rest of the cluster serves
        // on, and a replica must be allowed to take over at once.
        "--cluster-require-full-coverage", "no", "--cluster-replica-validity-factor", "0",
        "--appendonly", o.appendonly ? "yes" : "no", "--appendfsync", "everysec"};
    absl::StatusOr<std::unique_ptr<RedisServer>> server =
        RedisServer::Start(std::move(server_options));
    if (!server.ok()) return server.status();
    cluster->nodes_.push_back(*std::move(server));
    cluster->paused_.push_back(false);
  }
  if (absl::Status status = cluster->Create(); !status.ok()) return status;
  return cluster;
}

RedisCluster::RedisCluster(RedisClusterOptions options) : options_(std::move(options)) {}

RedisCluster::~RedisCluster() {
  for (std::unique_ptr<RedisServer>& node : nodes_) (void)node->Kill();
}

absl::Status RedisCluster::Create() {
  const absl::Time deadline = absl::Now() + options_.startup_timeout;
  std::vector<std::string> args = {FindRedisCli(options_.redis_cli), "--cluster", "create"};
  for (const std::unique_ptr<RedisServer>& node : nodes_) {
    args.push_back(node->address());
  }
  args.insert(args.end(),
              {"--cluster-replicas", absl::StrCat(options_.replicas_per_primary), "--cluster-yes"});
  if (nodes_.front()->acl()) {
    // The admin's password on the command line is the test's own, random.
    args.insert(args.end(),
                {"--user", "admin", "--pass", RedisServer::Password("admin"), "--no-auth-warning"});
  }
  if (absl::Status status =
          RunProgram(args, nodes_.front()->directory() + "/cluster-create.log", deadline);
      !status.ok()) {
    return status;
  }
  return WaitUntilHealthy(deadline - absl::Now());
}

std::string RedisCluster::SeedList() const {
  std::vector<std::string> seeds;
  for (const std::unique_ptr<RedisServer>& node : nodes_) {
    seeds.push_back(node->address());
  }
  return absl::StrJoin(seeds, ",");
}

bool RedisCluster::Live(int index) const { return nodes_[index]->running() && !paused_[index]; }

std::vector<int> RedisCluster::Primaries() const {
  std::vector<int> primaries;
  for (int i = 0; i < size(); ++i) {
    if (!Live(i)) continue;
    absl::StatusOr<std::string> info = QueryText(*nodes_[i], {"INFO", "replication"});
    if (info.ok() && absl::StrContains(*info, "role:master")) {
      primaries.push_back(i);
    }
  }
  return primaries;
}

absl::StatusOr<int> RedisCluster::PrimaryForSlot(int slot) const {
  absl::Status last = absl::UnavailableError("no live node");
  for (int i = 0; i < size(); ++i) {
    if (!Live(i)) continue;
    absl::StatusOr<Reply> reply = Query(*nodes_[i], {"CLUSTER", "SLOTS"});
    if (!reply.ok()) {
      last = reply.status();
      continue;
    }
    for (size_t r = 0; r < (*reply)->elements; ++r) {
      const redisReply& range = *(*reply)->element[r];
      if (range.elements < 3 || range.element[0]->integer > slot ||
          range.element[1]->integer < slot) {
        continue;
      }
      const int port = static_cast<int>(range.element[2]->element[1]->integer);
      for (int n = 0; n < size(); ++n) {
        if (nodes_[n]->port() == port) return n;
      }
    }
    return absl::NotFoundError(absl::StrCat("slot ", slot, " is not served"));
  }
  return last;
}

absl::StatusOr<std::string> RedisCluster::NodeId(int index) const {
  return QueryText(*nodes_.at(index), {"CLUSTER", "MYID"});
}

absl::Status RedisCluster::Kill(int index) {
  paused_.at(index) = false;
  return nodes_.at(index)->Kill();
}

absl::Status RedisCluster::Restart(int index) {
  paused_.at(index) = false;
  return nodes_.at(index)->Restart();
}

absl::Status RedisCluster::Pause(int index) {
  absl::Status status = nodes_.at(index)->Pause();
  if (status.ok()) paused_[index] = true;
  return status;
}

absl::Status RedisCluster::Resume(int index) {
  absl::Status status = nodes_.at(index)->Resume();
  if (status.ok()) paused_[index] = false;
  return status;
}

std::string RedisCluster::Problems(int index) const {
  const RedisServer& node = *nodes_[index];
  absl::StatusOr<std::string> info = QueryText(node, {"CLUSTER", "INFO"});
  if (!info.ok()) return std::string(info.status().message());
  if (!absl::StrContains(*info, "cluster_state:ok")) {
    return "cluster_state is not ok";
  }
  absl::StatusOr<Reply> slots = Query(node, {"CLUSTER", "SLOTS"});
  if (!slots.ok()) return std::string(slots.status().message());
  int served = 0;
  for (size_t r = 0; r < (*slots)->elements; ++r) {
    const redisReply& range = *(*slots)->element[r];
    if (range.elements < 3) continue;
    const int port = static_cast<int>(range.element[2]->element[1]->integer);
    for (int n = 0; n < size(); ++n) {
      if (nodes_[n]->port() == port && Live(n)) {
        served += static_cast<int>(range.element[1]->integer - range.element[0]->integer + 1);
      }
    }
  }
  if (served != kSlots) {
    return absl::StrCat("sees ", served, " of ", kSlots, " slots served by live primaries");
  }
  absl::StatusOr<std::string> replication = QueryText(node, {"INFO", "replication"});
  if (!replication.ok()) return std::string(replication.status().message());
  if (absl::StrContains(*replication, "role:slave") &&
      !absl::StrContains(*replication, "master_link_status:up")) {
    return "replica link is not up";
  }
  return "";
}

absl::Status RedisCluster::WaitUntilHealthy(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  std::vector<std::string> problems;
  do {
    problems.clear();
    for (int i = 0; i < size(); ++i) {
      if (!Live(i)) continue;
      if (std::string problem = Problems(i); !problem.empty()) {
        problems.push_back(absl::StrCat("node ", i, " (", nodes_[i]->address(), "): ", problem));
      }
    }
    if (problems.empty()) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  return absl::DeadlineExceededError(absl::StrCat("Redis Cluster not healthy after ",
                                                  absl::FormatDuration(timeout), ": ",
                                                  absl::StrJoin(problems, "; ")));
}

absl::StatusOr<std::string> RedisCluster::RawCommand(int index,
                                                     const std::vector<std::string>& args) const {
  return QueryText(*nodes_.at(index), args);
}

}  // namespace openencoder::test_support
