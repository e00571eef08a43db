#include "services/common/redis/cluster_protocol.h"

#include "gtest/gtest.h"
#include "services/common/redis/key_slot.h"

namespace openencoder::redis::internal {
namespace {

RedisReply Node(const std::string& ip, int port) {
  return RedisReply::Array(
      {RedisReply::String(ip), RedisReply::Integer(port), RedisReply::String("id")});
}

RedisReply Range(int first, int last, RedisReply primary, std::vector<RedisReply> replicas = {}) {
  std::vector<RedisReply> fields = {RedisReply::Integer(first), RedisReply::Integer(last),
                                    std::move(primary)};
  for (RedisReply& replica : replicas) fields.push_back(std::move(replica));
  return RedisReply::Array(std::move(fields));
}

TEST(ParseClusterSlotsTest, MapsEverySlotToItsPrimaryAndListsReplicas) {
  const RedisReply reply = RedisReply::Array({
      Range(0, 5460, Node("10.0.0.1", 7000), {Node("10.0.0.4", 7003)}),
      Range(5461, 10922, Node("10.0.0.2", 7001), {Node("10.0.0.5", 7004)}),
      Range(10923, 16383, Node("10.0.0.3", 7002)),
      Range(16000, 16000, Node("10.0.0.1", 7000)),  // A slot moved back.
  });
  absl::StatusOr<SlotMap> map = ParseClusterSlots(reply, "seed");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(map->primaries.size(), 3u);
  EXPECT_EQ(map->nodes.size(), 5u);
  EXPECT_EQ(map->Owner(0), (RedisEndpoint{"10.0.0.1", 7000}));
  EXPECT_EQ(map->Owner(5461), (RedisEndpoint{"10.0.0.2", 7001}));
  EXPECT_EQ(map->Owner(16383), (RedisEndpoint{"10.0.0.3", 7002}));
  EXPECT_EQ(map->Owner(16000), (RedisEndpoint{"10.0.0.1", 7000}));
}

TEST(ParseClusterSlotsTest, UncoveredSlotsHaveNoOwner) {
  absl::StatusOr<SlotMap> map =
      ParseClusterSlots(RedisReply::Array({Range(0, 99, Node("h", 1))}), "seed");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_TRUE(map->Owner(99).has_value());
  EXPECT_FALSE(map->Owner(100).has_value());
  EXPECT_FALSE(map->Owner(kClusterSlots).has_value());
}

TEST(ParseClusterSlotsTest, EmptyIpMeansTheNodeAsked) {
  absl::StatusOr<SlotMap> map =
      ParseClusterSlots(RedisReply::Array({Range(0, 16383, Node("", 7000))}), "127.0.0.1");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(map->Owner(42), (RedisEndpoint{"127.0.0.1", 7000}));
}

TEST(ParseClusterSlotsTest, RejectsMalformedReplies) {
  EXPECT_FALSE(ParseClusterSlots(RedisReply::Status("OK"), "h").ok());
  EXPECT_FALSE(
      ParseClusterSlots(
          RedisReply::Array({RedisReply::Array({RedisReply::Integer(0), RedisReply::Integer(1)})}),
          "h")
          .ok());
  EXPECT_FALSE(
      ParseClusterSlots(RedisReply::Array({Range(0, kClusterSlots, Node("h", 1))}), "h").ok());
  EXPECT_FALSE(
      ParseClusterSlots(RedisReply::Array({Range(0, 1, RedisReply::String("h:1"))}), "h").ok());
}

TEST(ParseRedirectTest, ReadsMovedAndAsk) {
  std::optional<Redirect> moved = ParseRedirect("MOVED 3999 127.0.0.1:6381", "seed");
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->kind, Redirect::Kind::kMoved);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->target, (RedisEndpoint{"127.0.0.1", 6381}));

  std::optional<Redirect> ask = ParseRedirect("ASK 1 [::1]:7000", "seed");
  ASSERT_TRUE(ask.has_value());
  EXPECT_EQ(ask->kind, Redirect::Kind::kAsk);
  EXPECT_EQ(ask->target, (RedisEndpoint{"::1", 7000}));

  // An empty host means the host we asked.
  std::optional<Redirect> same_host = ParseRedirect("MOVED 5 :7001", "10.1.1.1");
  ASSERT_TRUE(same_host.has_value());
  EXPECT_EQ(same_host->target, (RedisEndpoint{"10.1.1.1", 7001}));
}

TEST(ParseRedirectTest, IgnoresOtherErrors) {
  EXPECT_FALSE(ParseRedirect("ERR unknown command", "h").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED x 1.2.3.4:5", "h").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED 20000 1.2.3.4:5", "h").has_value());
  EXPECT_FALSE(ParseRedirect("ASK 1 nohostport", "h").has_value());
  EXPECT_FALSE(ParseRedirect("CLUSTERDOWN The cluster is down", "h").has_value());
}

}  // namespace
}  // namespace openencoder::redis::internal
