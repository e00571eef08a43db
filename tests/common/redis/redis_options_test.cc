#include "services/common/redis/redis_options.h"

#include <stdlib.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace openencoder::redis {
namespace {

class RedisOptionsEnvTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearEnv(); }
  void TearDown() override { ClearEnv(); }
  static void ClearEnv() {
    unsetenv("OE_REDIS_ADDR");
    unsetenv("OE_REDIS_PASSWORD");
    unsetenv("OE_REDIS_DB");
    unsetenv("OE_REDIS_USER");
    unsetenv("OE_REDIS_PASSWORD_FILE");
  }
};

TEST_F(RedisOptionsEnvTest, DefaultsToLocalRedis) {
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "127.0.0.1");
  EXPECT_EQ(options->port, 6379);
  EXPECT_FALSE(options->password.has_value());
  EXPECT_EQ(options->db, 0);
  EXPECT_GE(options->pool_size, 1);
  EXPECT_EQ(options->Address(), "127.0.0.1:6379");
}

TEST_F(RedisOptionsEnvTest, ReadsAddressPasswordAndDb) {
  setenv("OE_REDIS_ADDR", "redis.internal:7000", 1);
  setenv("OE_REDIS_PASSWORD", "s3cret", 1);
  setenv("OE_REDIS_DB", "3", 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "redis.internal");
  EXPECT_EQ(options->port, 7000);
  EXPECT_EQ(options->password, "s3cret");
  EXPECT_EQ(options->db, 3);
}

TEST_F(RedisOptionsEnvTest, ReadsUserAndPasswordFileDroppingTheTrailingNewline) {
  const std::string file = ::testing::TempDir() + "/redis-password";
  {
    std::ofstream out(file);
    out << "a long secret with spaces\n";
  }
  setenv("OE_REDIS_USER", "jobs", 1);
  setenv("OE_REDIS_PASSWORD_FILE", file.c_str(), 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->user, "jobs");
  EXPECT_FALSE(options->password.has_value());
  absl::StatusOr<std::optional<std::string>> password = options->CurrentPassword();
  ASSERT_TRUE(password.ok()) << password.status();
  EXPECT_EQ(*password, "a long secret with spaces");

  // Rotation: the file is read again each time (on every reconnect).
  {
    std::ofstream out(file);
    out << "the next secret";
  }
  EXPECT_EQ(*options->CurrentPassword(), "the next secret");
}

TEST_F(RedisOptionsEnvTest, RefusesAMissingPasswordFileAtStartNamingIt) {
  setenv("OE_REDIS_USER", "jobs", 1);
  setenv("OE_REDIS_PASSWORD_FILE", "/nonexistent/redis-password", 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(options.status().message().find("/nonexistent/redis-password"), std::string::npos)
      << options.status();
}

TEST_F(RedisOptionsEnvTest, RefusesAUserWithoutPasswordAndTwoPasswords) {
  setenv("OE_REDIS_USER", "jobs", 1);
  EXPECT_EQ(RedisOptions::FromEnvironment().status().code(), absl::StatusCode::kInvalidArgument);
  setenv("OE_REDIS_PASSWORD", "inline", 1);
  setenv("OE_REDIS_PASSWORD_FILE", "/etc/hostname", 1);
  EXPECT_EQ(RedisOptions::FromEnvironment().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisOptionsEnvTest, AcceptsBracketedIpv6) {
  setenv("OE_REDIS_ADDR", "[::1]:6380", 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "::1");
  EXPECT_EQ(options->port, 6380);
  EXPECT_EQ(options->Address(), "[::1]:6380");
}

TEST_F(RedisOptionsEnvTest, RejectsMalformedValuesNamingTheVariable) {
  for (const char* addr : {"localhost", "host:", ":6379", "host:port", "host:70000", "[::1:6379"}) {
    setenv("OE_REDIS_ADDR", addr, 1);
    absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << addr;
  }
  unsetenv("OE_REDIS_ADDR");
  setenv("OE_REDIS_DB", "-1", 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(options.status().message().find("OE_REDIS_DB"), absl::string_view::npos);
}

TEST(RedisOptionsTest, ValidateRejectsOutOfRangeFields) {
  EXPECT_TRUE(RedisOptions().Validate().ok());
  RedisOptions no_pool;
  no_pool.pool_size = 0;
  EXPECT_EQ(no_pool.Validate().code(), absl::StatusCode::kInvalidArgument);
  RedisOptions zero_timeout;
  zero_timeout.command_timeout = absl::ZeroDuration();
  EXPECT_EQ(zero_timeout.Validate().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace openencoder::redis

namespace openencoder::redis {
namespace {

class RedisClusterOptionsEnvTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearEnv(); }
  void TearDown() override { ClearEnv(); }
  static void ClearEnv() {
    unsetenv("OE_REDIS_ADDR");
    unsetenv("OE_REDIS_CLUSTER");
    unsetenv("OE_REDIS_DB");
  }
};

TEST_F(RedisClusterOptionsEnvTest, SingleNodeIsTheDefault) {
  setenv("OE_REDIS_ADDR", "10.0.0.1:7000", 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_FALSE(options->cluster);
  EXPECT_TRUE(options->cluster_seeds.empty());
}

TEST_F(RedisClusterOptionsEnvTest, SeveralAddressesTurnOnClusterMode) {
  setenv("OE_REDIS_ADDR", "10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002", 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_TRUE(options->cluster);
  EXPECT_EQ(options->Address(), "10.0.0.1:7000");
  ASSERT_EQ(options->Seeds().size(), 3u);
  EXPECT_EQ(options->Seeds()[1], (RedisEndpoint{"10.0.0.2", 7001}));
  EXPECT_EQ(options->Seeds()[2].ToString(), "[::1]:7002");
}

TEST_F(RedisClusterOptionsEnvTest, ClusterFlagWorksWithOneSeed) {
  setenv("OE_REDIS_ADDR", "10.0.0.1:7000", 1);
  setenv("OE_REDIS_CLUSTER", "1", 1);
  absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_TRUE(options->cluster);
  EXPECT_EQ(options->Seeds(), (std::vector<RedisEndpoint>{{"10.0.0.1", 7000}}));
}

TEST_F(RedisClusterOptionsEnvTest, RejectsContradictionsAndBadSeeds) {
  setenv("OE_REDIS_ADDR", "a:1,b:2", 1);
  setenv("OE_REDIS_CLUSTER", "0", 1);
  EXPECT_EQ(RedisOptions::FromEnvironment().status().code(), absl::StatusCode::kInvalidArgument);
  unsetenv("OE_REDIS_CLUSTER");
  setenv("OE_REDIS_ADDR", "a:1,b", 1);
  EXPECT_EQ(RedisOptions::FromEnvironment().status().code(), absl::StatusCode::kInvalidArgument);
  setenv("OE_REDIS_ADDR", "a:1,b:2", 1);
  setenv("OE_REDIS_DB", "2", 1);
  absl::StatusOr<RedisOptions> db = RedisOptions::FromEnvironment();
  EXPECT_EQ(db.status().code(), absl::StatusCode::kInvalidArgument);
  unsetenv("OE_REDIS_DB");
  setenv("OE_REDIS_CLUSTER", "maybe", 1);
  EXPECT_EQ(RedisOptions::FromEnvironment().status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace openencoder::redis
