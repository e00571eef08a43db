#ifndef OPENENCODER_SERVICES_COMMON_REDIS_REDIS_ERRORS_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_REDIS_ERRORS_H_

// How Redis error replies become absl::Status. One table, used by
// RedisClient::Command/Eval and available to Pipeline callers, who get error
// replies in place (see RedisClient::Pipeline).
//
// Mapping (by the first word of the error text, which Redis uses as a code):
//   LOADING, BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN, READONLY, MOVED, ASK
//       -> kUnavailable: Redis is temporarily unable to serve; trying again
//          later (with backoff, if the operation is idempotent) may succeed.
//          (RedisClient follows MOVED/ASK itself in cluster mode; one is
//          left only if the cluster kept redirecting, e.g. mid-resharding.
//          CROSSSLOT stays kInternal: keys without a shared hash tag are a
//          bug in the caller.)
//   OOM -> kResourceExhausted (maxmemory reached).
//   NOAUTH, WRONGPASS, NOPERM -> kPermissionDenied (misconfigured password
//          or ACL; not retryable).
//   anything else (ERR, WRONGTYPE, EXECABORT, script runtime errors, ...)
//       -> kInternal: with our key layout these mean a bug in the caller.
// The message is "Redis error: <Redis's text>".
//
// Domain errors from Lua scripts (only when `allow_domain_errors`, which
// RedisClient::Eval sets): a script returns
//   redis.error_reply('<CODE> <message>')
// where <CODE> is one of NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION,
// ABORTED, OUT_OF_RANGE, INVALID_ARGUMENT, PERMISSION_DENIED,
// RESOURCE_EXHAUSTED, UNAUTHENTICATED. The status then has that code and
// exactly <message> as its message, ready to go back to the RPC caller.
//
// Pure functions; thread-safe.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace openencoder::redis {

absl::Status ErrorReplyToStatus(absl::string_view error_text, bool allow_domain_errors = false);

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_REDIS_ERRORS_H_
