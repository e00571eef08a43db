#include "services/common/redis/command_keys.h"

#include <vector>

#include "gtest/gtest.h"

namespace openencoder::redis {
namespace {

std::optional<absl::string_view> KeyOf(std::vector<absl::string_view> args) {
  return RoutingKey(args);
}

TEST(RoutingKeyTest, MostCommandsAreRoutedByTheirFirstArgument) {
  EXPECT_EQ(KeyOf({"GET", "k"}), "k");
  EXPECT_EQ(KeyOf({"set", "k", "v", "NX"}), "k");
  EXPECT_EQ(KeyOf({"ZADD", "z", "NX", "1", "m"}), "z");
  EXPECT_EQ(KeyOf({"DEL", "a", "b"}), "a");
  EXPECT_EQ(KeyOf({"BLPOP", "list", "0.1"}), "list");
}

TEST(RoutingKeyTest, KeylessCommandsHaveNone) {
  EXPECT_FALSE(KeyOf({"PING"}).has_value());
  EXPECT_FALSE(KeyOf({"FLUSHALL"}).has_value());
  EXPECT_FALSE(KeyOf({"SCRIPT", "FLUSH"}).has_value());
  EXPECT_FALSE(KeyOf({"config", "get", "maxmemory"}).has_value());
  EXPECT_FALSE(KeyOf({"WAIT", "1", "100"}).has_value());
  EXPECT_FALSE(KeyOf({"CLUSTER", "SLOTS"}).has_value());
  EXPECT_FALSE(KeyOf({}).has_value());
}

TEST(RoutingKeyTest, ScriptsAreRoutedByTheirFirstKey) {
  EXPECT_EQ(KeyOf({"EVALSHA", "abc", "2", "k1", "k2", "arg"}), "k1");
  EXPECT_EQ(KeyOf({"EVAL", "return 1", "1", "k"}), "k");
  EXPECT_FALSE(KeyOf({"EVAL", "return 1", "0", "arg"}).has_value());
  EXPECT_FALSE(KeyOf({"EVAL", "return 1", "x"}).has_value());
}

TEST(RoutingKeyTest, StreamsAndSubcommandsFindTheirKey) {
  EXPECT_EQ(KeyOf({"XREAD", "COUNT", "5", "STREAMS", "s", "0"}), "s");
  EXPECT_EQ(KeyOf({"XREADGROUP", "GROUP", "g", "c", "streams", "s", ">"}), "s");
  EXPECT_FALSE(KeyOf({"XREAD", "COUNT", "5"}).has_value());
  EXPECT_EQ(KeyOf({"OBJECT", "ENCODING", "k"}), "k");
  EXPECT_EQ(KeyOf({"XINFO", "STREAM", "s"}), "s");
}

}  // namespace
}  // namespace openencoder::redis
