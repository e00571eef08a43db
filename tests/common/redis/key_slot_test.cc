#include "services/common/redis/key_slot.h"

#include "gtest/gtest.h"

namespace openencoder::redis {
namespace {

TEST(Crc16Test, MatchesXmodemCheckValue) {
  // The standard check input of CRC16/XMODEM, also quoted by the Redis
  // Cluster specification.
  EXPECT_EQ(Crc16("123456789"), 0x31C3);
  EXPECT_EQ(Crc16(""), 0);
}

TEST(KeySlotTest, MatchesValuesPublishedByRedis) {
  // From the CLUSTER KEYSLOT documentation and the cluster tutorial.
  EXPECT_EQ(KeySlot("somekey"), 11058);
  EXPECT_EQ(KeySlot("foo{hash_tag}"), 2515);
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("123456789"), 0x31C3);
}

TEST(KeySlotTest, KeysSharingAHashTagShareASlot) {
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("oe:{a:123}:views:2026-11"), KeySlot("oe:{a:123}:sessions"));
}

TEST(KeySlotTest, HashTagRulesFollowTheSpec) {
  EXPECT_EQ(HashTag("plain"), "plain");
  EXPECT_EQ(HashTag("a{b}c"), "b");
  // Only the first '{' and the first '}' after it count.
  EXPECT_EQ(HashTag("foo{bar}{zap}"), "bar");
  EXPECT_EQ(HashTag("foo{{bar}}zap"), "{bar");
  // Empty or unclosed tags hash the whole key.
  EXPECT_EQ(HashTag("foo{}{bar}"), "foo{}{bar}");
  EXPECT_EQ(HashTag("foo{bar"), "foo{bar");
  EXPECT_EQ(KeySlot("foo{}{bar}"), Crc16("foo{}{bar}") % kClusterSlots);
}

TEST(KeySlotTest, SlotsAreInRangeForKeysWithoutTags) {
  for (const char* key : {"a", "oe:x", "\xff\xfe", "a much longer key name"}) {
    const int slot = KeySlot(key);
    EXPECT_GE(slot, 0) << key;
    EXPECT_LT(slot, kClusterSlots) << key;
    EXPECT_EQ(slot, Crc16(key) % kClusterSlots) << key;
  }
}

}  // namespace
}  // namespace openencoder::redis
