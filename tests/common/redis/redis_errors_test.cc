#include "services/common/redis/redis_errors.h"

#include "gtest/gtest.h"

namespace openencoder::redis {
namespace {

TEST(ErrorReplyToStatusTest, OrdinaryErrorsAreInternalAndKeepRedisText) {
  const absl::Status status =
      ErrorReplyToStatus("WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(),
            "Redis error: WRONGTYPE Operation against a key holding the wrong "
            "kind of value");
  EXPECT_EQ(ErrorReplyToStatus("ERR syntax error").code(), absl::StatusCode::kInternal);
}

TEST(ErrorReplyToStatusTest, TransientRedisStatesAreUnavailable) {
  EXPECT_EQ(ErrorReplyToStatus("LOADING Redis is loading the dataset").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReplyToStatus("BUSY Redis is busy running a script").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReplyToStatus("OOM command not allowed").code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReplyToStatus("WRONGPASS invalid username-password").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(ErrorReplyToStatusTest, DomainErrorsOnlyWhenAllowed) {
  const absl::Status domain = ErrorReplyToStatus("NOT_FOUND no such session", true);
  EXPECT_EQ(domain.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(domain.message(), "no such session");

  EXPECT_EQ(ErrorReplyToStatus("RESOURCE_EXHAUSTED quota", true).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReplyToStatus("ALREADY_EXISTS", true).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ErrorReplyToStatus("ALREADY_EXISTS", true).message(), "");

  // Outside Eval the same text is just an unexpected Redis error.
  EXPECT_EQ(ErrorReplyToStatus("NOT_FOUND no such session").code(), absl::StatusCode::kInternal);
}

TEST(ErrorReplyToStatusTest, ScriptsCannotClaimInfrastructureCodes) {
  EXPECT_EQ(ErrorReplyToStatus("UNAVAILABLE fake outage", true).code(),
            absl::StatusCode::kInternal);
  // A prefix of a code word is not the code word.
  EXPECT_EQ(ErrorReplyToStatus("NOT_FOUNDX x", true).code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace openencoder::redis
