#include <memory>

#include "gtest/gtest.h"
#include "services/catalogue/quota_client.h"

namespace openencoder::catalogue {
namespace {

class CountingQuota : public QuotaClient {
 public:
  explicit CountingQuota(ViewAnswer answer) : answer_(answer) {}
  void ConsumeView(const ViewRequest&, ViewCallback done) override {
    ++calls;
    done(answer_);
  }
  int calls = 0;

 private:
  ViewAnswer answer_;
};

absl::StatusOr<ViewAnswer> Ask(QuotaClient& q, const std::string& token) {
  absl::StatusOr<ViewAnswer> out = absl::UnknownError("not called");
  q.ConsumeView({token, "ICD10CM:E119", "r1"}, [&](absl::StatusOr<ViewAnswer> a) { out = a; });
  return out;
}

TEST(CachingQuotaClientTest, UnlimitedAnswersAreReusedWithinTheTtl) {
  ViewAnswer unlimited;
  unlimited.allowed = unlimited.unlimited = true;
  auto inner = std::make_unique<CountingQuota>(unlimited);
  CountingQuota* counter = inner.get();
  CachingQuotaClient cache(std::move(inner), absl::Hours(1));
  ASSERT_TRUE(Ask(cache, "paid").ok());
  ASSERT_TRUE(Ask(cache, "paid").ok());
  EXPECT_EQ(counter->calls, 1);
  ASSERT_TRUE(Ask(cache, "other").ok());
  EXPECT_EQ(counter->calls, 2);
}

TEST(CachingQuotaClientTest, LimitedAnswersAreNeverCached) {
  ViewAnswer limited;
  limited.allowed = true;
  limited.views_remaining = 3;
  auto inner = std::make_unique<CountingQuota>(limited);
  CountingQuota* counter = inner.get();
  CachingQuotaClient cache(std::move(inner), absl::Hours(1));
  EXPECT_TRUE(Ask(cache, "free").ok());
  EXPECT_TRUE(Ask(cache, "free").ok());
  EXPECT_EQ(counter->calls, 2);
}

TEST(CachingQuotaClientTest, ExpiredEntriesAskAgain) {
  ViewAnswer unlimited;
  unlimited.allowed = unlimited.unlimited = true;
  auto inner = std::make_unique<CountingQuota>(unlimited);
  CountingQuota* counter = inner.get();
  CachingQuotaClient cache(std::move(inner), absl::ZeroDuration());
  EXPECT_TRUE(Ask(cache, "paid").ok());
  EXPECT_TRUE(Ask(cache, "paid").ok());
  EXPECT_EQ(counter->calls, 2);
}

}  // namespace
}  // namespace openencoder::catalogue
