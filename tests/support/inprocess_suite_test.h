// A test suite whose tests share one real redis-server and the in-process
// services over it (inprocess_services.h): started before the suite's first
// test, on the main thread (the Redis child dies with the thread that
// started it), stopped after its last.
//
// Example:
//   class MyTest : public test_support::InProcessSuiteTest {
//    protected:
//     static void SetUpTestSuite() {
//       StartSuite([](test_support::InProcessOptions& options) {
//         options.account.emplace();
//         options.catalogue.emplace();
//       });
//     }
//     void SetUp() override { ASSERT_NE(suite_, nullptr); ... }
//   };
#ifndef OPENENCODER_TESTS_SUPPORT_INPROCESS_SUITE_TEST_H_
#define OPENENCODER_TESTS_SUPPORT_INPROCESS_SUITE_TEST_H_

#include <memory>

#include "absl/functional/function_ref.h"
#include "gtest/gtest.h"
#include "tests/support/inprocess_services.h"
#include "tests/support/redis_server.h"
#include "tests/support/redis_users.h"

namespace openencoder::test_support {

class InProcessSuiteTest : public ::testing::Test {
 protected:
  // Starts Redis, then the services `configure` asks for, connected to it as
  // the account service's Redis user. A failure leaves suite_ null.
  static void StartSuite(absl::FunctionRef<void(InProcessOptions&)> configure) {
    absl::StatusOr<std::unique_ptr<RedisServer>> redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    InProcessOptions options;
    options.redis = RedisOptionsAs(*redis_, "account");
    configure(options);
    absl::StatusOr<std::unique_ptr<InProcessServices>> suite =
        InProcessServices::Start(std::move(options));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
  }
  static void TearDownTestSuite() {
    suite_.reset();
    redis_.reset();
  }

  static inline std::unique_ptr<RedisServer> redis_;
  static inline std::unique_ptr<InProcessServices> suite_;
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_INPROCESS_SUITE_TEST_H_
