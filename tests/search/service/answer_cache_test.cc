#include "services/search/answer_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace openencoder::search {
namespace {

std::shared_ptr<const void> NewIndex() { return std::make_shared<int>(0); }

TEST(AnswerCacheTest, AnswersOnlyForTheIndexItWasComputedOn) {
  AnswerCache cache(1 << 20);
  auto index = NewIndex();
  std::string answer;
  EXPECT_FALSE(cache.Get("q", index, &answer));
  cache.Put("q", index, "bytes");
  ASSERT_TRUE(cache.Get("q", index, &answer));
  EXPECT_EQ(answer, "bytes");

  auto next = NewIndex();
  EXPECT_FALSE(cache.Get("q", next, &answer)) << "an answer of the old index";
  EXPECT_EQ(cache.bytes(), 0u) << "the stale entry is dropped on sight";
}

TEST(AnswerCacheTest, AFreedIndexAtTheSameAddressIsNotTheSameIndex) {
  AnswerCache cache(1 << 20);
  auto index = NewIndex();
  cache.Put("q", index, "old");
  index.reset();
  auto reborn = NewIndex();  // may well reuse the freed block
  std::string answer;
  EXPECT_FALSE(cache.Get("q", reborn, &answer));
}

TEST(AnswerCacheTest, EvictsTheLeastRecentlyUsedWithinTheBudget) {
  // 16 shards of 1 KiB: entries of ~300 bytes, three per shard at most.
  AnswerCache cache(16 * 1024);
  auto index = NewIndex();
  const std::string big(300, 'x');
  for (int i = 0; i < 200; ++i) cache.Put("q" + std::to_string(i), index, big);
  EXPECT_LE(cache.bytes(), 16u * 1024u);
  std::string answer;
  EXPECT_TRUE(cache.Get("q199", index, &answer)) << "the newest stays";
  EXPECT_FALSE(cache.Get("q0", index, &answer)) << "the oldest went";
}

TEST(AnswerCacheTest, ReplacesAnEntryAndSkipsOversizedOnes) {
  AnswerCache cache(16 * 1024);
  auto index = NewIndex();
  cache.Put("q", index, "one");
  cache.Put("q", index, "two");
  std::string answer;
  ASSERT_TRUE(cache.Get("q", index, &answer));
  EXPECT_EQ(answer, "two");
  cache.Put("huge", index, std::string(4096, 'x'));  // over a shard's 1 KiB
  EXPECT_FALSE(cache.Get("huge", index, &answer));
}

TEST(AnswerCacheTest, ZeroBytesIsOff) {
  AnswerCache cache(0);
  EXPECT_FALSE(cache.enabled());
  auto index = NewIndex();
  cache.Put("q", index, "bytes");
  std::string answer;
  EXPECT_FALSE(cache.Get("q", index, &answer));
}

}  // namespace
}  // namespace openencoder::search
