#include "services/common/redis/hiredis_handle.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace openencoder::redis::internal {

RedisReply ConvertReply(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_NIL:
      return RedisReply::Nil();
    case REDIS_REPLY_INTEGER:
      return RedisReply::Integer(reply.integer);
    case REDIS_REPLY_STRING:
      return RedisReply::String(std::string(reply.str, reply.len));
    case REDIS_REPLY_STATUS:
      return RedisReply::Status(std::string(reply.str, reply.len));
    case REDIS_REPLY_ERROR:
      return RedisReply::Error(std::string(reply.str, reply.len));
    case REDIS_REPLY_ARRAY: {
      std::vector<RedisReply> elements;
      elements.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i) {
        // A nil multi-bulk element can be a null pointer in some hiredis
        // versions; treat it as a nil reply.
        elements.push_back(reply.element[i] == nullptr ? RedisReply::Nil()
                                                       : ConvertReply(*reply.element[i]));
      }
      return RedisReply::Array(std::move(elements));
    }
  }
  return RedisReply::Error(absl::StrCat("unsupported hiredis reply type ", reply.type));
}

}  // namespace openencoder::redis::internal
