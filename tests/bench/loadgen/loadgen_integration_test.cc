// Drives the load generator library against a real in-process server over
// loopback: reflection lookup, text requests, load runs, error counting,
// the interleaved health baseline and the reports.
#include <string>

#include "absl/time/time.h"
#include "bench/loadgen/benchmark.h"
#include "bench/loadgen/load_runner.h"
#include "bench/loadgen/method_resolver.h"
#include "bench/loadgen/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loadgen_echo.pb.h"
#include "tests/bench/loadgen/echo_server.h"

namespace openencoder::loadgen {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kEcho[] = "openencoder.loadgen.testing.EchoService/Echo";
// Short runs keep the suite light on the shared two-core machine; nothing
// below asserts on speed.
constexpr absl::Duration kShortRun = absl::Milliseconds(300);

class LoadgenIntegrationTest : public ::testing::Test {
 protected:
  absl::StatusOr<ReflectedMethod> Resolve(absl::string_view name) {
    return ReflectedMethod::Resolve(channel_, name, absl::Seconds(5));
  }

  CallSpec EchoSpec(absl::string_view request_text) {
    absl::StatusOr<ReflectedMethod> method = Resolve(kEcho);
    EXPECT_TRUE(method.ok()) << method.status();
    absl::StatusOr<std::string> bytes = method->SerializeRequest(request_text);
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    return CallSpec{method->path(), *bytes, absl::Seconds(5), {}};
  }

  testing::EchoServer server_;
  std::shared_ptr<grpc::Channel> channel_ = server_.Channel();
};

TEST_F(LoadgenIntegrationTest, ResolvesMethodByReflectionAndParsesTextRequest) {
  absl::StatusOr<ReflectedMethod> method = Resolve(kEcho);
  ASSERT_TRUE(method.ok()) << method.status();
  EXPECT_EQ(method->path(), "/openencoder.loadgen.testing.EchoService/Echo");
  EXPECT_EQ(method->descriptor().input_type()->full_name(),
            "openencoder.loadgen.testing.EchoRequest");
  EXPECT_FALSE(method->server_streaming());

  absl::StatusOr<std::string> bytes = method->SerializeRequest("text: 'hello' fail_with: 5");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  testing::EchoRequest decoded;
  ASSERT_TRUE(decoded.ParseFromString(*bytes));
  EXPECT_EQ(decoded.text(), "hello");
  EXPECT_EQ(decoded.fail_with(), 5);
}

TEST_F(LoadgenIntegrationTest, AcceptsSlashPrefixedAndDottedMethodNames) {
  for (const char* name : {"/openencoder.loadgen.testing.EchoService/Echo",
                           "openencoder.loadgen.testing.EchoService.Echo"}) {
    absl::StatusOr<ReflectedMethod> method = Resolve(name);
    ASSERT_TRUE(method.ok()) << name << ": " << method.status();
    EXPECT_EQ(method->path(), "/openencoder.loadgen.testing.EchoService/Echo");
  }
}

TEST_F(LoadgenIntegrationTest, HealthCheckResolvesAlthoughReflectionOmitsIt) {
  // The default health service is not generated code, so only the built-in
  // descriptor can describe it.
  absl::StatusOr<ReflectedMethod> method = Resolve("grpc.health.v1.Health/Check");
  ASSERT_TRUE(method.ok()) << method.status();
  EXPECT_EQ(method->path(), kHealthCheckPath);
  absl::StatusOr<std::string> bytes = method->SerializeRequest("service: ''");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, "");

  absl::StatusOr<RunStats> stats = RunLoad(
      channel_, CallSpec{method->path(), *bytes, absl::Seconds(5), {}}, 2, absl::Milliseconds(100));
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_GT(stats->calls, 0);
  EXPECT_EQ(stats->ok(), stats->calls);
}

TEST_F(LoadgenIntegrationTest, UnknownMethodIsNotFoundAndListsKnownOnes) {
  absl::StatusOr<ReflectedMethod> method = Resolve("openencoder.loadgen.testing.EchoService/Shout");
  ASSERT_EQ(method.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(method.status().message(), AllOf(HasSubstr("Shout"), HasSubstr("Echo")));
}

TEST_F(LoadgenIntegrationTest, UnknownServiceIsNotFound) {
  absl::StatusOr<ReflectedMethod> method = Resolve("no.such.Service/Call");
  ASSERT_EQ(method.status().code(), absl::StatusCode::kNotFound) << method.status();
  EXPECT_THAT(method.status().message(), HasSubstr("no.such.Service"));
}

TEST_F(LoadgenIntegrationTest, MalformedMethodNameIsInvalidArgument) {
  EXPECT_EQ(Resolve("Echo").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LoadgenIntegrationTest, ClientStreamingMethodIsRefused) {
  EXPECT_EQ(Resolve("openencoder.loadgen.testing.EchoService/Collect").status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(LoadgenIntegrationTest, BadTextRequestIsInvalidArgumentNamingTheField) {
  absl::StatusOr<ReflectedMethod> method = Resolve(kEcho);
  ASSERT_TRUE(method.ok()) << method.status();

  absl::StatusOr<std::string> unknown_field = method->SerializeRequest("txet: 'hello'");
  ASSERT_EQ(unknown_field.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown_field.status().message(), AllOf(HasSubstr("txet"), HasSubstr("EchoRequest")));

  absl::StatusOr<std::string> wrong_type = method->SerializeRequest("fail_with: 'five'");
  EXPECT_EQ(wrong_type.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LoadgenIntegrationTest, RunLoadCompletesCallsThatAllSucceed) {
  absl::StatusOr<RunStats> stats = RunLoad(channel_, EchoSpec("text: 'x'"), 4, kShortRun);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_GT(stats->calls, 0);
  EXPECT_EQ(stats->ok(), stats->calls);
  EXPECT_EQ(stats->errors(), 0);
  EXPECT_EQ(stats->latency.count(), stats->calls);
  EXPECT_EQ(server_.Answered(grpc::StatusCode::OK), stats->calls);
  EXPECT_GT(stats->Qps(), 0);
}

TEST_F(LoadgenIntegrationTest, RunLoadCountsErrorsByStatusCodeLikeTheServer) {
  // Every third call fails with NOT_FOUND (5).
  absl::StatusOr<RunStats> stats =
      RunLoad(channel_, EchoSpec("text: 'x' fail_with: 5 fail_every: 3"), 3, kShortRun);
  ASSERT_TRUE(stats.ok()) << stats.status();

  int64_t not_found = server_.Answered(grpc::StatusCode::NOT_FOUND);
  int64_t ok = server_.Answered(grpc::StatusCode::OK);
  ASSERT_GT(not_found, 0);
  ASSERT_GT(ok, 0);
  EXPECT_EQ(stats->by_code.at(absl::StatusCode::kNotFound), not_found);
  EXPECT_EQ(stats->ok(), ok);
  EXPECT_EQ(stats->calls, ok + not_found);
  EXPECT_EQ(stats->errors(), not_found);
  EXPECT_EQ(stats->by_code.size(), 2u);
}

TEST_F(LoadgenIntegrationTest, PercentilesAreOrdered) {
  absl::StatusOr<RunStats> stats = RunLoad(channel_, EchoSpec("text: 'x'"), 2, kShortRun);
  ASSERT_TRUE(stats.ok()) << stats.status();
  const LatencyHistogram& h = stats->latency;
  ASSERT_GT(h.count(), 0);
  EXPECT_LE(h.min(), h.Percentile(50));
  EXPECT_LE(h.Percentile(50), h.Percentile(90));
  EXPECT_LE(h.Percentile(90), h.Percentile(99));
  EXPECT_LE(h.Percentile(99), h.Percentile(99.9));
  EXPECT_LE(h.Percentile(99.9), h.max());
  EXPECT_GT(h.Percentile(50), absl::ZeroDuration());
}

TEST_F(LoadgenIntegrationTest, SendsMetadataWithEveryCall) {
  CallSpec spec = EchoSpec("text: 'x'");
  spec.metadata = {{"x-loadgen-test", "tenant-7"}};
  ASSERT_TRUE(RunLoad(channel_, spec, 1, absl::Milliseconds(50)).ok());
  EXPECT_EQ(server_.LastTestHeader(), "tenant-7");
}

TEST_F(LoadgenIntegrationTest, RejectsNonsensicalRunParameters) {
  CallSpec spec = EchoSpec("text: 'x'");
  EXPECT_EQ(RunLoad(channel_, spec, 0, kShortRun).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunLoad(channel_, spec, 1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(LoadgenIntegrationTest, BenchmarkInterleavesHealthBaselineAndReports) {
  BenchmarkConfig config;
  config.target = server_.address();
  config.method = kEcho;
  config.request_text = "text: 'x' fail_with: 9 fail_every: 4";
  config.concurrency = 2;
  config.duration = absl::Milliseconds(400);
  config.warmup = absl::Milliseconds(100);
  config.rounds = 2;
  absl::StatusOr<BenchmarkResult> result = RunBenchmark(channel_, config);
  ASSERT_TRUE(result.ok()) << result.status();

  EXPECT_EQ(result->path, "/openencoder.loadgen.testing.EchoService/Echo");
  EXPECT_GT(result->target.calls, 0);
  EXPECT_GT(result->target.by_code.at(absl::StatusCode::kFailedPrecondition), 0);
  ASSERT_TRUE(result->baseline.has_value());
  EXPECT_GT(result->baseline->calls, 0);
  EXPECT_EQ(result->baseline->ok(), result->baseline->calls);
  ASSERT_TRUE(result->QpsRatio().has_value());
  EXPECT_GT(*result->QpsRatio(), 0);
  ASSERT_TRUE(result->P99Ratio().has_value());

  std::string text = FormatText(*result);
  EXPECT_THAT(text, AllOf(HasSubstr("target"), HasSubstr("health"),
                          HasSubstr("ratio target/health"), HasSubstr("FAILED_PRECONDITION=")));
  std::string json = FormatJson(*result);
  EXPECT_THAT(json, AllOf(HasSubstr("\"baseline\":{"), HasSubstr("\"ratio\":{"),
                          HasSubstr("\"FAILED_PRECONDITION\":"), HasSubstr("\"p999\":"),
                          Not(HasSubstr("\n"))));
}

TEST_F(LoadgenIntegrationTest, BenchmarkWithoutBaselineRunsOnlyTheTarget) {
  BenchmarkConfig config;
  config.target = server_.address();
  config.method = kEcho;
  config.duration = absl::Milliseconds(200);
  config.warmup = absl::ZeroDuration();
  config.health_baseline = false;
  absl::StatusOr<BenchmarkResult> result = RunBenchmark(channel_, config);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->baseline.has_value());
  EXPECT_FALSE(result->QpsRatio().has_value());
  EXPECT_THAT(FormatJson(*result),
              AllOf(Not(HasSubstr("\"ratio\"")), Not(HasSubstr("\"baseline\""))));
}

TEST_F(LoadgenIntegrationTest, BenchmarkReportsBadRequestBeforeAnyLoad) {
  BenchmarkConfig config;
  config.target = server_.address();
  config.method = kEcho;
  config.request_text = "text: ";
  absl::StatusOr<BenchmarkResult> result = RunBenchmark(channel_, config);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(server_.Answered(grpc::StatusCode::OK), 0);
}

TEST_F(LoadgenIntegrationTest, BenchmarkRefusesServerStreamingForNow) {
  BenchmarkConfig config;
  config.target = server_.address();
  config.method = "grpc.health.v1.Health/Watch";
  absl::StatusOr<BenchmarkResult> result = RunBenchmark(channel_, config);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(result.status().message(), HasSubstr("server-streaming"));
}

}  // namespace
}  // namespace openencoder::loadgen
