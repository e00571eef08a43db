// The provider's signature scheme and event shape (services/account/stripe_webhook.h).
#include "services/account/stripe_webhook.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace openencoder::account {
namespace {

constexpr char kSecret[] = "whsec_test_secret_for_vectors_1234";
constexpr char kBody[] = R"({"id":"evt_1","type":"checkout.session.completed"})";
// HMAC-SHA256(kSecret, "1700000000." + kBody), computed with Python's hmac
// module: an independent implementation of the same scheme.
constexpr char kVector[] = "e3ac229d70e9800ffd964ace77bb30e780563957397b9273eaaebfae65eaa465";
const absl::Time kT = absl::FromUnixSeconds(1700000000);
const absl::Duration kTolerance = absl::Seconds(300);

TEST(StripeSignatureTest, SignsLikeAnIndependentHmacImplementation) {
  EXPECT_EQ(StripeSignatureHeader(kSecret, kT, kBody), absl::StrCat("t=1700000000,v1=", kVector));
  EXPECT_TRUE(VerifyStripeSignature(kSecret, absl::StrCat("t=1700000000,v1=", kVector), kBody,
                                    kT + absl::Seconds(299), kTolerance)
                  .ok());
}

TEST(StripeSignatureTest, RefusesWrongSecretTamperedBodyAndMissingParts) {
  const std::string header = StripeSignatureHeader(kSecret, kT, kBody);
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyStripeSignature("whsec_other_secret_000000000000", header, kBody, kT, kTolerance)));
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyStripeSignature(kSecret, header, std::string(kBody) + " ", kT, kTolerance)));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyStripeSignature(kSecret, "", kBody, kT, kTolerance)));
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyStripeSignature(kSecret, absl::StrCat("v1=", kVector), kBody, kT, kTolerance)));
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyStripeSignature(kSecret, "t=1700000000", kBody, kT, kTolerance)));
  // v0 is another (test-mode) scheme, never accepted in place of v1.
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyStripeSignature(
      kSecret, absl::StrCat("t=1700000000,v0=", kVector), kBody, kT, kTolerance)));
  EXPECT_TRUE(absl::IsFailedPrecondition(VerifyStripeSignature("", header, kBody, kT, kTolerance)));
}

TEST(StripeSignatureTest, RefusesTimestampsOutsideTheToleranceEitherWay) {
  const std::string header = StripeSignatureHeader(kSecret, kT, kBody);
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyStripeSignature(kSecret, header, kBody, kT + absl::Seconds(301), kTolerance)));
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyStripeSignature(kSecret, header, kBody, kT - absl::Seconds(301), kTolerance)));
}

TEST(StripeSignatureTest, AnyOfSeveralV1ValuesMayMatchDuringSecretRotation) {
  const std::string header =
      absl::StrCat("t=1700000000, v1=", std::string(64, '0'), ",v1=", kVector, ",v0=abc");
  EXPECT_TRUE(VerifyStripeSignature(kSecret, header, kBody, kT, kTolerance).ok());
}

TEST(BillingEventTest, ReadsSubscriptionFieldsOldAndNewApiShapes) {
  auto old_shape = ParseBillingEvent(
      R"({"id":"evt_2","type":"customer.subscription.updated","created":1700000100,
          "data":{"object":{"object":"subscription","id":"sub_9","customer":"cus_9",
          "status":"active","cancel_at_period_end":true,"current_period_end":1700600000}}})");
  ASSERT_TRUE(old_shape.ok()) << old_shape.status();
  EXPECT_EQ(old_shape->subscription, "sub_9");
  EXPECT_EQ(old_shape->customer, "cus_9");
  EXPECT_TRUE(old_shape->cancel_at_period_end);
  EXPECT_EQ(old_shape->created, absl::FromUnixSeconds(1700000100));
  ASSERT_TRUE(old_shape->current_period_end.has_value());
  EXPECT_EQ(*old_shape->current_period_end, absl::FromUnixSeconds(1700600000));
  // Since API version 2025-03-31 the period is on the subscription's items.
  auto new_shape = ParseBillingEvent(
      R"({"id":"evt_3","type":"customer.subscription.updated","created":1,
          "data":{"object":{"object":"subscription","id":"sub_9","customer":"cus_9",
          "status":"past_due","items":{"data":[{"current_period_end":1700700000}]}}}})");
  ASSERT_TRUE(new_shape.ok()) << new_shape.status();
  ASSERT_TRUE(new_shape->current_period_end.has_value());
  EXPECT_EQ(*new_shape->current_period_end, absl::FromUnixSeconds(1700700000));
  EXPECT_FALSE(new_shape->cancel_at_period_end);
}

TEST(BillingEventTest, RefusesWhatIsNotAnEvent) {
  EXPECT_TRUE(absl::IsInvalidArgument(ParseBillingEvent("not json").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseBillingEvent(R"({"type":"x"})").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseBillingEvent("[1,2]").status()));
}

}  // namespace
}  // namespace openencoder::account
