#include "services/common/redis/lua_script.h"

#include <string>

#include "gtest/gtest.h"
#include "services/common/redis/sha1.h"

namespace openencoder::redis {
namespace {

TEST(Sha1Test, MatchesFips180TestVectors) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Sha1Hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Sha1Test, HandlesEveryLengthAroundTheBlockBoundary) {
  // Lengths 55..65 exercise one- and two-block padding; all digests differ
  // and have the expected shape.
  std::string previous;
  for (size_t length = 55; length <= 65; ++length) {
    const std::string digest = Sha1Hex(std::string(length, 'x'));
    EXPECT_EQ(digest.size(), 40u);
    EXPECT_NE(digest, previous);
    previous = digest;
  }
}

TEST(LuaScriptTest, KeepsSourceAndItsSha1) {
  const LuaScript script("return 1");
  EXPECT_EQ(script.source(), "return 1");
  // `echo -n 'return 1' | sha1sum`
  EXPECT_EQ(script.sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

}  // namespace
}  // namespace openencoder::redis
