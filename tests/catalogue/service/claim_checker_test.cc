#include "services/catalogue/claim_checker.h"

#include "gtest/gtest.h"
#include "tests/catalogue/service/demo_snapshot.h"

namespace openencoder::catalogue {
namespace {

class ClaimCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(snapshot_, nullptr); }

  pb::CheckClaimResponse Check(
      std::initializer_list<std::tuple<const char*, int, std::vector<std::string>>> lines) {
    pb::CheckClaimRequest request;
    for (const auto& [code, units, modifiers] : lines) {
      pb::ClaimLine* line = request.add_lines();
      line->set_code(code);
      line->set_units(units);
      for (const std::string& m : modifiers) line->add_modifiers(m);
    }
    pb::CheckClaimResponse response;
    absl::Status status = CheckClaim(*snapshot_, request, absl::CivilDay(2026, 1, 15), &response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }
  const std::shared_ptr<const CatalogueSnapshot> snapshot_ = DemoSnapshot();
};

TEST_F(ClaimCheckerTest, IndicatorZeroConflictIsNeverBypassed) {
  auto r = Check({{"99214", 1, {}}, {"99213", 1, {"59"}}});
  ASSERT_EQ(r.ncci_conflicts_size(), 1);
  EXPECT_FALSE(r.ncci_conflicts(0).bypassable());
  EXPECT_FALSE(r.ncci_conflicts(0).bypassed());
  EXPECT_FALSE(r.clean());
  EXPECT_NE(r.ncci_conflicts(0).explanation().find("[DEMO]"), std::string::npos);
  EXPECT_NE(r.ncci_conflicts(0).explanation().find("no modifier"), std::string::npos);
}

TEST_F(ClaimCheckerTest, IndicatorOneConflictIsBypassedByXsOn59) {
  auto without = Check({{"20610", 1, {}}, {"99213", 1, {}}});
  ASSERT_EQ(without.ncci_conflicts_size(), 1);
  EXPECT_TRUE(without.ncci_conflicts(0).bypassable());
  EXPECT_FALSE(without.ncci_conflicts(0).bypassed());
  EXPECT_FALSE(without.clean());
  for (const char* m : {"59", "XE", "XS", "XP", "XU", "25"}) {
    auto with = Check({{"20610", 1, {}}, {"99213", 1, {m}}});
    ASSERT_EQ(with.ncci_conflicts_size(), 1) << m;
    EXPECT_TRUE(with.ncci_conflicts(0).bypassed()) << m;
    EXPECT_TRUE(with.clean()) << m;
  }
}

TEST_F(ClaimCheckerTest, ModifierTwentyFiveOnlyCountsOnAnEvaluationAndManagementLine) {
  // 71046/71045 has indicator 1 and neither is an E/M code.
  auto r = Check({{"71046", 1, {}}, {"71045", 1, {"25"}}});
  ASSERT_EQ(r.ncci_conflicts_size(), 1);
  EXPECT_FALSE(r.ncci_conflicts(0).bypassed());
}

TEST_F(ClaimCheckerTest, DeletedAndVoidEditsDoNotApply) {
  EXPECT_TRUE(Check({{"97530", 1, {}}, {"97110", 1, {}}}).ncci_conflicts().empty());
  EXPECT_TRUE(Check({{"97155", 1, {}}, {"97153", 1, {}}}).ncci_conflicts().empty());
}

TEST_F(ClaimCheckerTest, MueExceededIsExplained) {
  const MueEdit* mue = snapshot_->FindMue("99213");
  ASSERT_NE(mue, nullptr);
  auto r = Check({{"99213", mue->units + 1, {}}});
  ASSERT_EQ(r.mue_violations_size(), 1);
  EXPECT_EQ(r.mue_violations(0).units_billed(), mue->units + 1);
  EXPECT_NE(r.mue_violations(0).explanation().find("exceed its MUE"), std::string::npos);
  EXPECT_TRUE(r.mue_violations(0).mue().demo());
  EXPECT_FALSE(r.clean());
  EXPECT_TRUE(Check({{"99213", mue->units, {}}}).mue_violations().empty());
}

TEST_F(ClaimCheckerTest, RejectsBadLinesPrecisely) {
  pb::CheckClaimResponse response;
  pb::CheckClaimRequest empty;
  EXPECT_EQ(CheckClaim(*snapshot_, empty, absl::CivilDay(2026, 1, 1), &response).code(),
            absl::StatusCode::kInvalidArgument);
  pb::CheckClaimRequest bad;
  bad.add_lines()->set_code("99213");
  bad.mutable_lines(0)->set_units(0);
  absl::Status s = CheckClaim(*snapshot_, bad, absl::CivilDay(2026, 1, 1), &response);
  EXPECT_NE(s.message().find("line 1: units"), std::string::npos) << s;
}

TEST_F(ClaimCheckerTest, UnknownCodesAreListedNotErrors) {
  auto r = Check({{"99999", 1, {}}});
  ASSERT_EQ(r.unknown_codes_size(), 1);
  EXPECT_EQ(r.unknown_codes(0), "99999");
}

}  // namespace
}  // namespace openencoder::catalogue
