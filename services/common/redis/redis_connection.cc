#include "services/common/redis/redis_connection.h"

#include <poll.h>
#include <sys/time.h>

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/redis/redis_errors.h"
#include "services/common/redis/redis_metrics.h"

namespace openencoder::redis::internal {
namespace {

timeval SocketTimeout(absl::Duration duration) {
  // hiredis treats {0, 0} as "no timeout": never let rounding produce it.
  duration = std::max(duration, absl::Milliseconds(1));
  timeval tv = absl::ToTimeval(duration);
  return tv;
}

// Appends one command to the context's output buffer; no I/O happens yet.
bool Append(redisContext* context, const ArgvView& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (absl::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(),
                                lengths.data()) == REDIS_OK;
}

}  // namespace

absl::StatusOr<std::vector<RedisReply>> RedisConnection::Execute(
    absl::Span<const ArgvView> commands, absl::Time deadline) {
  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError("deadline passed before the Redis command was sent");
  }
  if (absl::Status status = EnsureConnected(deadline); !status.ok()) {
    return status;
  }
  for (const ArgvView& args : commands) {
    if (!Append(context_.get(), args)) return IoFailure(deadline, "append");
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    // Re-armed before every read so that a long pipeline as a whole still
    // ends by the caller's deadline.
    if (absl::Status status = ArmTimeout(options_.command_timeout, deadline); !status.ok()) {
      context_.reset();  // Commands may be half-sent: the stream is unusable.
      return status;
    }
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
      return IoFailure(deadline, "command");
    }
    ReplyPtr reply(static_cast<redisReply*>(raw));
    replies.push_back(ConvertReply(*reply));
  }
  return replies;
}

absl::Status RedisConnection::EnsureConnected(absl::Time deadline) {
  if (context_ != nullptr && IsStale()) context_.reset();
  if (context_ != nullptr) return absl::OkStatus();
  absl::Status connected = Connect(deadline);
  RecordConnect(connected.ok());
  return connected;
}

absl::Status RedisConnection::Connect(absl::Time deadline) {
  // The handshake (TCP connect + AUTH + SELECT) as a whole is bounded by the
  // connect timeout, so a paused or black-holed server cannot hold a caller
  // for connect_timeout + command_timeout.
  const absl::Time handshake_deadline = std::min(deadline, absl::Now() + options_.connect_timeout);
  const absl::Duration left = handshake_deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError("deadline passed before connecting to Redis");
  }
  ContextPtr context(
      redisConnectWithTimeout(options_.host.c_str(), options_.port, SocketTimeout(left)));
  if (context == nullptr) {
    return absl::UnavailableError(absl::StrCat("Redis at ", options_.Address(),
                                               " is unreachable: cannot allocate a connection"));
  }
  if (context->err != 0) {
    return absl::UnavailableError(
        absl::StrCat("Redis at ", options_.Address(), " is unreachable: ", context->errstr));
  }
  context_ = std::move(context);

  // Read on every (re)connect: a rotated password file is picked up by the
  // next reconnect without a restart.
  absl::StatusOr<std::optional<std::string>> password = options_.CurrentPassword();
  if (!password.ok()) {
    context_.reset();
    return password.status();
  }
  std::vector<ArgvView> handshake;
  if (password->has_value()) {
    if (options_.user.has_value()) {
      handshake.push_back({"AUTH", *options_.user, **password});
    } else {
      handshake.push_back({"AUTH", **password});
    }
  }
  const std::string db = absl::StrCat(options_.db);
  if (options_.db != 0) handshake.push_back({"SELECT", db});
  for (const ArgvView& args : handshake) {
    if (!Append(context_.get(), args)) return IoFailure(deadline, "handshake");
  }
  for (size_t i = 0; i < handshake.size(); ++i) {
    if (absl::Status status = ArmTimeout(options_.connect_timeout, handshake_deadline);
        !status.ok()) {
      context_.reset();
      return absl::UnavailableError(absl::StrCat(
          "Redis at ", options_.Address(), " is unreachable: no answer to AUTH/SELECT in time"));
    }
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
      const std::string why = context_->errstr;
      context_.reset();
      return absl::UnavailableError(absl::StrCat("Redis at ", options_.Address(),
                                                 " is unreachable: during AUTH/SELECT: ", why));
    }
    ReplyPtr reply(static_cast<redisReply*>(raw));
    if (reply->type == REDIS_REPLY_ERROR) {
      context_.reset();
      const absl::Status status = ErrorReplyToStatus(absl::string_view(reply->str, reply->len));
      return absl::Status(status.code(), absl::StrCat(handshake[i][0], " rejected by Redis at ",
                                                      options_.Address(), ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

bool RedisConnection::IsStale() const {
  pollfd fd = {};
  fd.fd = context_->fd;
  fd.events = POLLIN | POLLRDHUP;
  // Nothing is ever due on an idle RESP2 connection: readable means EOF,
  // an error, or bytes we would misread as the next reply.
  return poll(&fd, 1, 0) != 0;
}

absl::Status RedisConnection::ArmTimeout(absl::Duration limit, absl::Time deadline) {
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline passed waiting for Redis at ", options_.Address()));
  }
  if (redisSetTimeout(context_.get(), SocketTimeout(std::min(limit, left))) != REDIS_OK) {
    return absl::UnavailableError(absl::StrCat("cannot set socket timeout for Redis at ",
                                               options_.Address(), ": ", context_->errstr));
  }
  return absl::OkStatus();
}

absl::Status RedisConnection::IoFailure(absl::Time deadline, absl::string_view during) {
  const std::string why = context_->errstr;
  context_.reset();
  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError(absl::StrCat(
        "Redis at ", options_.Address(), " did not answer before the deadline (", why, ")"));
  }
  return absl::UnavailableError(
      absl::StrCat("Redis at ", options_.Address(), " is unreachable: ", during, ": ", why));
}

}  // namespace openencoder::redis::internal
