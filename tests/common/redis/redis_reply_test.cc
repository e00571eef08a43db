#include "services/common/redis/redis_reply.h"

#include <string>

#include "gtest/gtest.h"
#include "services/common/redis/hiredis_handle.h"

namespace openencoder::redis {
namespace {

using internal::ConvertReply;
using internal::ReplyPtr;

// Parses RESP bytes with hiredis' own reader, so the conversion is tested on
// exactly the structures the client receives from a socket.
RedisReply Parse(const std::string& resp) {
  redisReader* reader = redisReaderCreate();
  EXPECT_EQ(redisReaderFeed(reader, resp.data(), resp.size()), REDIS_OK);
  void* raw = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader, &raw), REDIS_OK);
  redisReaderFree(reader);
  EXPECT_NE(raw, nullptr) << "incomplete RESP: " << resp;
  if (raw == nullptr) return RedisReply::Error("incomplete");
  ReplyPtr reply(static_cast<redisReply*>(raw));
  return ConvertReply(*reply);
}

TEST(ConvertReplyTest, ScalarTypes) {
  EXPECT_EQ(Parse("$-1\r\n"), RedisReply::Nil());
  EXPECT_EQ(Parse(":-42\r\n"), RedisReply::Integer(-42));
  EXPECT_EQ(Parse("+OK\r\n"), RedisReply::Status("OK"));
  EXPECT_EQ(Parse("-ERR bad thing\r\n"), RedisReply::Error("ERR bad thing"));
  EXPECT_EQ(Parse("$5\r\nhello\r\n"), RedisReply::String("hello"));
  EXPECT_EQ(Parse("$0\r\n\r\n"), RedisReply::String(""));
}

TEST(ConvertReplyTest, BulkStringsAreBinarySafe) {
  const std::string value("a\0b\r\nc\xff", 7);
  const RedisReply reply = Parse("$7\r\n" + value + "\r\n");
  ASSERT_TRUE(reply.is_string());
  EXPECT_EQ(reply.str(), value);
  EXPECT_EQ(reply.str().size(), 7u);
}

TEST(ConvertReplyTest, NestedArraysWithNils) {
  const RedisReply reply = Parse("*4\r\n$1\r\na\r\n:1\r\n$-1\r\n*2\r\n+x\r\n-E y\r\n");
  EXPECT_EQ(reply, RedisReply::Array(
                       {RedisReply::String("a"), RedisReply::Integer(1), RedisReply::Nil(),
                        RedisReply::Array({RedisReply::Status("x"), RedisReply::Error("E y")})}));
  EXPECT_EQ(reply.DebugString(), "[\"a\", 1, nil, [x, (error) E y]]");
}

TEST(ConvertReplyTest, EmptyAndNilArrays) {
  EXPECT_EQ(Parse("*0\r\n"), RedisReply::Array({}));
  // RESP2 nil multi-bulk (e.g. BLPOP timeout) is a nil, not an empty array.
  EXPECT_TRUE(Parse("*-1\r\n").is_nil());
}

TEST(RedisReplyTest, AccessorsOfOtherTypesAreEmpty) {
  const RedisReply integer = RedisReply::Integer(7);
  EXPECT_TRUE(integer.is_integer());
  EXPECT_EQ(integer.str(), "");
  EXPECT_TRUE(integer.elements().empty());
  EXPECT_EQ(RedisReply::String("7").integer(), 0);
  EXPECT_TRUE(RedisReply().is_nil());
  EXPECT_NE(RedisReply::String("OK"), RedisReply::Status("OK"));
  EXPECT_EQ(TypeName(RedisReply::Type::kArray), "array");
}

}  // namespace
}  // namespace openencoder::redis
