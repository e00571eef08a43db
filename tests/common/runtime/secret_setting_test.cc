#include "services/common/secret_setting.h"

#include <stdlib.h>

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace openencoder::common {
namespace {

using ::testing::HasSubstr;

constexpr char kName[] = "OE_TEST_SECRET";

class SecretSettingTest : public ::testing::Test {
 protected:
  void SetUp() override { Clear(); }
  void TearDown() override { Clear(); }
  static void Clear() {
    unsetenv("OE_TEST_SECRET");
    unsetenv("OE_TEST_SECRET_FILE");
  }
  static std::string WriteFile(const std::string& text) {
    const std::string path = ::testing::TempDir() + "/oe-test-secret";
    std::ofstream(path) << text;
    return path;
  }
};

TEST_F(SecretSettingTest, UnsetIsEmpty) {
  absl::StatusOr<std::string> secret = SecretSetting(kName, kMinSecretBytes);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "");
}

TEST_F(SecretSettingTest, ReadsTheEnvironmentOrAMountedFile) {
  const std::string value(40, 'k');
  setenv(kName, value.c_str(), 1);
  EXPECT_EQ(*SecretSetting(kName, kMinSecretBytes), value);
  unsetenv(kName);
  setenv("OE_TEST_SECRET_FILE", WriteFile(value + "\n").c_str(), 1);
  EXPECT_EQ(*SecretSetting(kName, kMinSecretBytes), value) << "one trailing newline dropped";
}

TEST_F(SecretSettingTest, RefusesAShortSecretSayingHowLongAndHowToMakeOne) {
  setenv(kName, "short-secret", 1);
  absl::StatusOr<std::string> secret = SecretSetting(kName, kMinSecretBytes);
  EXPECT_EQ(secret.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(secret.status().message(), HasSubstr("OE_TEST_SECRET is 12 bytes"));
  EXPECT_THAT(secret.status().message(), HasSubstr("at least 32"));
  EXPECT_THAT(secret.status().message(), HasSubstr("/dev/urandom"));
}

TEST_F(SecretSettingTest, RefusesBothFormsAndAnUnreadableFile) {
  setenv(kName, std::string(40, 'k').c_str(), 1);
  setenv("OE_TEST_SECRET_FILE", WriteFile(std::string(40, 'f')).c_str(), 1);
  EXPECT_EQ(SecretSetting(kName, 1).status().code(), absl::StatusCode::kInvalidArgument);
  unsetenv(kName);
  setenv("OE_TEST_SECRET_FILE", "/nonexistent/secret", 1);
  absl::StatusOr<std::string> secret = SecretSetting(kName, 1);
  EXPECT_EQ(secret.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(secret.status().message(), HasSubstr("/nonexistent/secret"));
}

}  // namespace
}  // namespace openencoder::common
