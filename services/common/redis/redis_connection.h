#ifndef OPENENCODER_SERVICES_COMMON_REDIS_REDIS_CONNECTION_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_REDIS_CONNECTION_H_

// One synchronous hiredis connection that (re)connects itself. Internal to
// oe_redis: RedisClient keeps a pool of these and hands each to one thread
// at a time.
//
// Failure handling lives here because it is per socket:
//  - the socket is opened lazily and re-opened on the next use after any
//    failure, with AUTH and SELECT sent on every (re)connect;
//  - an idle socket that has become readable (the server closed it, e.g.
//    after a restart) is dropped *before* sending, so a restart costs no
//    failed call and no write is sent into a dead socket;
//  - any I/O error or timeout drops the socket: after one, the reply stream
//    is out of sync and hiredis contexts are unusable anyway.
//
// Not thread-safe; movable-only by pointer (owned by RedisClient).

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "services/common/redis/hiredis_handle.h"
#include "services/common/redis/redis_options.h"
#include "services/common/redis/redis_reply.h"

namespace openencoder::redis::internal {

// The arguments of one command; views into caller-owned bytes.
using ArgvView = std::vector<absl::string_view>;

class RedisConnection {
 public:
  // `options` must outlive the connection.
  explicit RedisConnection(const RedisOptions& options) : options_(options) {}

  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends every command in one write, then reads one reply per command.
  // Error replies are returned in place (they do not break the connection).
  // Errors:
  //  kDeadlineExceeded  `deadline` passed before all replies were read;
  //  kUnavailable       connect failed, the socket failed, or a read/write
  //                     took longer than the command timeout;
  //  others             AUTH/SELECT rejected on connect (see redis_errors.h).
  // On any error the socket is closed; commands may or may not have run.
  absl::StatusOr<std::vector<RedisReply>> Execute(absl::Span<const ArgvView> commands,
                                                  absl::Time deadline);

 private:
  absl::Status EnsureConnected(absl::Time deadline);
  absl::Status Connect(absl::Time deadline);
  // True if the idle socket has data or EOF pending, i.e. is unusable.
  bool IsStale() const;
  // Sets the socket timeout to min(limit, deadline - now), at least 1 ms.
  // kDeadlineExceeded (and nothing set) if the deadline has passed.
  absl::Status ArmTimeout(absl::Duration limit, absl::Time deadline);
  // Drops the socket after an I/O failure and says why.
  absl::Status IoFailure(absl::Time deadline, absl::string_view during);

  const RedisOptions& options_;
  ContextPtr context_;
};

}  // namespace openencoder::redis::internal

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_REDIS_CONNECTION_H_
