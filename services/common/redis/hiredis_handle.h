#ifndef OPENENCODER_SERVICES_COMMON_REDIS_HIREDIS_HANDLE_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_HIREDIS_HANDLE_H_

// The one place that owns raw hiredis objects. Internal to oe_redis (and its
// tests): services use RedisClient and RedisReply, never hiredis types.
//
// Not thread-safe: a redisContext is used by one thread at a time.

#include <hiredis/hiredis.h>

#include <memory>

#include "services/common/redis/redis_reply.h"

namespace openencoder::redis::internal {

struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
// Owns a connection; closing it frees the socket.
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
// Owns a reply tree returned by redisGetReply/redisReaderGetReply.
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// Deep copy of a hiredis reply tree into a RedisReply. Binary-safe: uses the
// recorded lengths, never strlen. Unknown (RESP3-only) types, which hiredis
// 0.14 never produces, become error replies rather than aborting.
RedisReply ConvertReply(const redisReply& reply);

}  // namespace openencoder::redis::internal

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_HIREDIS_HANDLE_H_
