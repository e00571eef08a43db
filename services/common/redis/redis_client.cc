#include "services/common/redis/redis_client.h"

#include <csignal>
#include <mutex>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/redis/redis_connection.h"
#include "services/common/redis/redis_errors.h"

namespace openencoder::redis {

using internal::ArgvView;
using internal::RedisConnection;

namespace {

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current = {};
    // Leave alone any handler the program installed on purpose.
    if (sigaction(SIGPIPE, nullptr, &current) == 0 &&
        current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

absl::StatusOr<RedisReply> ReplyOrStatus(RedisReply reply,
                                         bool allow_domain_errors) {
  if (reply.is_error()) {
    return ErrorReplyToStatus(reply.str(), allow_domain_errors);
  }
  return reply;
}

}  // namespace

// Gives one pooled connection to one thread and returns it on destruction.
class RedisClient::Lease {
 public:
  Lease(RedisClient* client, std::unique_ptr<RedisConnection> connection)
      : client_(client), connection_(std::move(connection)) {}
  Lease(Lease&& other) = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_ != nullptr) client_->Release(std::move(connection_));
  }

  RedisConnection* operator->() { return connection_.get(); }

 private:
  RedisClient* client_;
  std::unique_ptr<RedisConnection> connection_;
};

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(
    RedisOptions options) {
  if (absl::Status status = options.Validate(); !status.ok()) return status;
  IgnoreSigpipeOnce();
  return absl::WrapUnique(new RedisClient(std::move(options)));
}

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {
  absl::MutexLock lock(&mu_);
  idle_.reserve(options_.pool_size);
  for (int i = 0; i < options_.pool_size; ++i) {
    idle_.push_back(std::make_unique<RedisConnection>(options_));
  }
}

RedisClient::~RedisClient() = default;

absl::StatusOr<RedisClient::Lease> RedisClient::Acquire(absl::Time deadline) {
  auto has_idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty();
  };
  if (!mu_.LockWhenWithDeadline(absl::Condition(&has_idle), deadline)) {
    mu_.Unlock();
    return absl::DeadlineExceededError(absl::StrCat(
        "deadline passed waiting for a free connection to Redis at ",
        options_.Address(), " (pool_size ", options_.pool_size, ")"));
  }
  std::unique_ptr<RedisConnection> connection = std::move(idle_.back());
  idle_.pop_back();
  mu_.Unlock();
  return Lease(this, std::move(connection));
}

void RedisClient::Release(std::unique_ptr<RedisConnection> connection) {
  absl::MutexLock lock(&mu_);
  // LIFO: the most recently used socket is the likeliest to be alive.
  idle_.push_back(std::move(connection));
}

absl::StatusOr<RedisReply> RedisClient::Command(
    absl::Span<const absl::string_view> args, absl::Time deadline) {
  if (args.empty()) return absl::InvalidArgumentError("empty Redis command");
  absl::StatusOr<Lease> lease = Acquire(deadline);
  if (!lease.ok()) return lease.status();
  const ArgvView command(args.begin(), args.end());
  absl::StatusOr<std::vector<RedisReply>> replies =
      (*lease)->Execute({&command, 1}, deadline);
  if (!replies.ok()) return replies.status();
  return ReplyOrStatus(std::move(replies->front()), false);
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    absl::Span<const RedisCommand> commands, absl::Time deadline) {
  if (commands.empty()) return std::vector<RedisReply>();
  std::vector<ArgvView> views;
  views.reserve(commands.size());
  for (const RedisCommand& command : commands) {
    if (command.empty()) {
      return absl::InvalidArgumentError(
          "empty Redis command in pipeline; nothing was sent");
    }
    views.emplace_back(command.begin(), command.end());
  }
  absl::StatusOr<Lease> lease = Acquire(deadline);
  if (!lease.ok()) return lease.status();
  return (*lease)->Execute(views, deadline);
}

absl::StatusOr<RedisReply> RedisClient::Eval(
    const LuaScript& script, absl::Span<const absl::string_view> keys,
    absl::Span<const absl::string_view> args, absl::Time deadline) {
  const std::string num_keys = absl::StrCat(keys.size());
  ArgvView command = {"EVALSHA", script.sha1(), num_keys};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());

  absl::StatusOr<Lease> lease = Acquire(deadline);
  if (!lease.ok()) return lease.status();
  absl::StatusOr<std::vector<RedisReply>> replies =
      (*lease)->Execute({&command, 1}, deadline);
  if (!replies.ok()) return replies.status();
  RedisReply& reply = replies->front();
  if (reply.is_error() && absl::StartsWith(reply.str(), "NOSCRIPT")) {
    // Redis did not run anything, so sending the body is no retry of a
    // possibly-applied write. EVAL runs it and caches it for later EVALSHAs.
    command[0] = "EVAL";
    command[1] = script.source();
    replies = (*lease)->Execute({&command, 1}, deadline);
    if (!replies.ok()) return replies.status();
  }
  return ReplyOrStatus(std::move(replies->front()), true);
}

absl::Status RedisClient::Ping(absl::Time deadline) {
  absl::StatusOr<RedisReply> reply = Command({"PING"}, deadline);
  if (!reply.ok()) return reply.status();
  if (!reply->is_status() || reply->str() != "PONG") {
    return absl::InternalError(absl::StrCat(
        "unexpected PING reply from Redis: ", reply->DebugString()));
  }
  return absl::OkStatus();
}

}  // namespace openencoder::redis
