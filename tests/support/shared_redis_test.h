// A test suite whose tests share one real redis-server: started before the
// suite's first test (on the main thread: the server dies with the thread
// that started it), stopped after its last.
#ifndef OPENENCODER_TESTS_SUPPORT_SHARED_REDIS_TEST_H_
#define OPENENCODER_TESTS_SUPPORT_SHARED_REDIS_TEST_H_

#include <memory>

#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace openencoder::test_support {

class SharedRedisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  static void TearDownTestSuite() { server_.reset(); }

  // Fails the test when the suite's server did not start.
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static inline std::unique_ptr<RedisServer> server_;
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_SHARED_REDIS_TEST_H_
