#include "services/gateway/status_mapping.h"

#include <gtest/gtest.h>

namespace openencoder::gateway {
namespace {

TEST(StatusMappingTest, EachClientErrorGetsItsHttpStatus) {
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::OUT_OF_RANGE), 400);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::FAILED_PRECONDITION), 409);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::DEADLINE_EXCEEDED), 503);
  EXPECT_EQ(HttpStatusFor(grpc::StatusCode::INTERNAL), 500);
}

TEST(StatusMappingTest, ClientErrorsKeepTheServicesMessage) {
  HttpError e = MapGrpcError(grpc::StatusCode::NOT_FOUND, "No code E11.99; nearest: E11.9",
                             "catalogue", std::nullopt);
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.status, "NOT_FOUND");
  EXPECT_EQ(e.message, "No code E11.99; nearest: E11.9");
  EXPECT_FALSE(e.retry_after_seconds.has_value());
}

TEST(StatusMappingTest, ResourceExhaustedRoundsTheTrailerUpToWholeSeconds) {
  HttpError e = MapGrpcError(grpc::StatusCode::RESOURCE_EXHAUSTED, "slow down", "account", 6500);
  EXPECT_EQ(e.http_status, 429);
  ASSERT_TRUE(e.retry_after_seconds.has_value());
  EXPECT_EQ(*e.retry_after_seconds, 7);
}

TEST(StatusMappingTest, ResourceExhaustedFallsBackToTheMessageThenToADefault) {
  HttpError from_message =
      MapGrpcError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                   "Too many attempts; try again in 42 seconds", "account", std::nullopt);
  EXPECT_EQ(from_message.retry_after_seconds.value_or(-1), 42);
  HttpError bare =
      MapGrpcError(grpc::StatusCode::RESOURCE_EXHAUSTED, "no hint", "account", std::nullopt);
  EXPECT_GT(bare.retry_after_seconds.value_or(0), 0);
}

TEST(StatusMappingTest, UnavailableNamesTheServiceAndHidesTheTransportText) {
  HttpError e = MapGrpcError(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses",
                             "search", std::nullopt);
  EXPECT_EQ(e.http_status, 503);
  EXPECT_NE(e.message.find("search service"), std::string::npos);
  EXPECT_EQ(e.message.find("connect to all"), std::string::npos);
  EXPECT_TRUE(e.retry_after_seconds.has_value());
}

TEST(StatusMappingTest, InternalErrorsDoNotLeakTheirMessage) {
  HttpError e = MapGrpcError(grpc::StatusCode::INTERNAL, "redis key oe:{a:1} corrupt", "account",
                             std::nullopt);
  EXPECT_EQ(e.http_status, 500);
  EXPECT_EQ(e.message.find("redis"), std::string::npos);
}

TEST(StatusMappingTest, ErrorResponseIsJsonWithRequestIdAndRetryAfterHeader) {
  HttpError e =
      MapGrpcError(grpc::StatusCode::RESOURCE_EXHAUSTED, "a \"quoted\" reason", "account", 1000);
  HttpResponse r = ErrorResponse(e, "req-1");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.HeaderValue("Retry-After"), "1");
  EXPECT_EQ(r.content_type, kJsonContentType);
  EXPECT_EQ(r.body,
            "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"a "
            "\\\"quoted\\\" reason\",\"requestId\":\"req-1\"}}");
}

}  // namespace
}  // namespace openencoder::gateway
