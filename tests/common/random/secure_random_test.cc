// SecureRandomBytes: fills whatever size is asked, across refills, and no
// two values, threads or calls repeat.
#include "services/common/secure_random.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace openencoder::common {
namespace {

std::string Bytes(size_t n) {
  std::string s(n, '\0');
  SecureRandomBytes(s.data(), s.size());
  return s;
}

TEST(SecureRandomTest, ValuesDoNotRepeatAcrossManyRefills) {
  std::set<std::string> seen;
  // 16-byte values, well past one block (512 bytes) and one reseed (1 MiB).
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(seen.insert(Bytes(16)).second) << i;
}

TEST(SecureRandomTest, LongRequestsSpanBlocksAndLookUniform) {
  const std::string s = Bytes(1 << 16);
  std::vector<int> counts(256);
  for (unsigned char c : s) ++counts[c];
  // 256 expected per value; a stuck or zeroed block would be far outside.
  for (int v = 0; v < 256; ++v) {
    EXPECT_GT(counts[v], 150) << v;
    EXPECT_LT(counts[v], 380) << v;
  }
  // No 32-byte window repeats (a key reused for two blocks would).
  std::set<std::string> windows;
  for (size_t at = 0; at + 32 <= s.size(); at += 32) {
    EXPECT_TRUE(windows.insert(s.substr(at, 32)).second) << at;
  }
}

TEST(SecureRandomTest, ThreadsGetDifferentStreams) {
  std::string a, b;
  std::thread ta([&] { a = Bytes(64); });
  std::thread tb([&] { b = Bytes(64); });
  ta.join();
  tb.join();
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::string(64, '\0'));
}

TEST(SecureRandomTest, ZeroBytesIsANoOp) {
  unsigned char untouched = 0xab;
  SecureRandomBytes(&untouched, 0);
  EXPECT_EQ(untouched, 0xab);
}

}  // namespace
}  // namespace openencoder::common
