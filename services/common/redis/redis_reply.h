#ifndef OPENENCODER_SERVICES_COMMON_REDIS_REDIS_REPLY_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_REDIS_REPLY_H_

// RedisReply: one Redis (RESP2) reply as a plain C++ value. It owns copies of
// its bytes, so it outlives the connection and the hiredis reply it came from
// (which the client frees at once).
//
// Example:
//   absl::StatusOr<RedisReply> r = client.Command({"GET", key}, deadline);
//   if (!r.ok()) return r.status();
//   if (r->is_nil()) return absl::NotFoundError(key);
//   std::string value = r->str();
//
// A value type: copyable and movable; const access is thread-safe.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace openencoder::redis {

class RedisReply {
 public:
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };

  // A nil reply.
  RedisReply() = default;

  static RedisReply Nil() { return RedisReply(); }
  static RedisReply Integer(int64_t value);
  // Bulk string; binary-safe.
  static RedisReply String(std::string value);
  // Simple status such as "OK" or "PONG".
  static RedisReply Status(std::string value);
  // Error reply text without the leading '-', e.g. "WRONGTYPE Operation ...".
  static RedisReply Error(std::string message);
  static RedisReply Array(std::vector<RedisReply> elements);

  Type type() const { return type_; }
  bool is_nil() const { return type_ == Type::kNil; }
  bool is_integer() const { return type_ == Type::kInteger; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_status() const { return type_ == Type::kStatus; }
  bool is_error() const { return type_ == Type::kError; }
  bool is_array() const { return type_ == Type::kArray; }

  // The integer of an integer reply; 0 for any other type.
  int64_t integer() const { return integer_; }
  // The bytes of a string, status or error reply; empty for other types.
  const std::string& str() const { return str_; }
  // The elements of an array reply; empty for other types.
  const std::vector<RedisReply>& elements() const { return elements_; }

  // For test failure messages and logs, e.g. `["a", 1, nil, (error) ERR x]`.
  std::string DebugString() const;

  friend bool operator==(const RedisReply&, const RedisReply&) = default;

 private:
  // A reply of one of the text types (string, status, error).
  static RedisReply Text(Type type, std::string text);

  Type type_ = Type::kNil;
  int64_t integer_ = 0;
  std::string str_;
  std::vector<RedisReply> elements_;
};

// Type name for messages: "nil", "integer", "string", "status", "error",
// "array".
absl::string_view TypeName(RedisReply::Type type);

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_REDIS_REPLY_H_
