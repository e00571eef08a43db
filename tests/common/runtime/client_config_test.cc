#include <gtest/gtest.h>

#include "services/common/client.h"
#include "services/common/request_id.h"

namespace openencoder::common {
namespace {

TEST(ChannelTarget, ListOfIpv4ReplicasBecomesOneIpv4Target) {
  EXPECT_EQ(ChannelTarget("127.0.0.1:5001, 127.0.0.1:5002"), "ipv4:127.0.0.1:5001,127.0.0.1:5002");
}

TEST(ChannelTarget, Ipv6ListAndHostNames) {
  EXPECT_EQ(ChannelTarget("[::1]:5001,[::1]:5002"), "ipv6:[::1]:5001,[::1]:5002");
  EXPECT_EQ(ChannelTarget("catalogue:50051"), "dns:///catalogue:50051");
  EXPECT_EQ(ChannelTarget("dns:///catalogue.openencoder.svc:50051"),
            "dns:///catalogue.openencoder.svc:50051");
}

TEST(ServiceConfig, RetriesOnlyTheIdempotentMethodsOnUnavailable) {
  ChannelOptions options;
  options.idempotent_methods = {"openencoder.search.v1.SearchService",
                                "openencoder.account.v1.AccountService/GetQuota"};
  std::string json = ServiceConfigJson(options);
  EXPECT_NE(json.find("\"round_robin\""), std::string::npos);
  EXPECT_NE(json.find("{\"service\":\"openencoder.search.v1.SearchService\"}"), std::string::npos);
  EXPECT_NE(json.find("\"method\":\"GetQuota\""), std::string::npos);
  EXPECT_NE(json.find("\"retryableStatusCodes\":[\"UNAVAILABLE\"]"), std::string::npos);
  EXPECT_NE(json.find("\"healthCheckConfig\""), std::string::npos);
}

TEST(ServiceConfig, NoMethodConfigWithoutIdempotentMethods) {
  EXPECT_EQ(ServiceConfigJson({}).find("retryPolicy"), std::string::npos);
}

TEST(ServiceConfig, CallsWaitForAReadyReplicaUnlessTurnedOff) {
  ChannelOptions options;
  options.idempotent_methods = {"openencoder.search.v1.SearchService"};
  std::string json = ServiceConfigJson(options);
  // Once in the idempotent methods' entry, once in the default entry.
  size_t first = json.find("\"waitForReady\":true");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(json.find("\"waitForReady\":true", first + 1), std::string::npos);
  EXPECT_NE(json.find("\"name\":[{}]"), std::string::npos);
  options.wait_for_ready = false;
  EXPECT_EQ(ServiceConfigJson(options).find("waitForReady"), std::string::npos);
}

TEST(RequestId, AcceptsSafeIdsAndRejectsInjection) {
  EXPECT_TRUE(IsAcceptableRequestId("abc-123_X.y"));
  EXPECT_FALSE(IsAcceptableRequestId(""));
  EXPECT_FALSE(IsAcceptableRequestId("a\"b"));
  EXPECT_FALSE(IsAcceptableRequestId("a b"));
  EXPECT_FALSE(IsAcceptableRequestId(std::string(65, 'a')));
  std::string id = NewRequestId();
  EXPECT_EQ(id.size(), 32u);
  EXPECT_NE(id, NewRequestId());
}

TEST(ClientContext, AlwaysHasADeadline) {
  auto before = std::chrono::system_clock::now();
  auto context = MakeClientContext(absl::Milliseconds(300));
  EXPECT_GT(context->deadline(), before);
  EXPECT_LE(context->deadline(), before + std::chrono::seconds(2));
}

}  // namespace
}  // namespace openencoder::common
