#include "gtest/gtest.h"
#include "libs/code_sets/importers/fee_calculator.h"
#include "libs/code_sets/importers/fee_schedule_importer.h"
#include "tests/libs/code_sets/importers/test_files.h"

namespace openencoder::catalogue {
namespace {

Edition Mpfs() { return {CodeSystem::kCpt, "mpfs", "MPFS", {}, ""}; }

TEST(FeeCalculatorTest, AppliesTheFormulaPerSetting) {
  RvuRow rvu;
  rvu.code = "99999";
  rvu.work_rvu = 2.0;
  rvu.non_facility_pe_rvu = 1.0;
  rvu.facility_pe_rvu = 0.5;
  rvu.mp_rvu = 0.1;
  Gpci gpci{"00000", "ZZ", "01", "TESTVILLE", 1.0, 1.2, 0.5};
  auto nf = ComputeMedicareFee(rvu, gpci, PlaceOfService::kNonFacility, 30.0, 2024);
  ASSERT_TRUE(nf.ok());
  // (2.0 x 1.0 + 1.0 x 1.2 + 0.1 x 0.5) x 30 = 97.50
  EXPECT_DOUBLE_EQ(nf->amount, 97.50);
  EXPECT_NE(nf->formula.find("CY2024 non-facility"), std::string::npos);
  EXPECT_NE(nf->formula.find("TESTVILLE"), std::string::npos);
  auto f = ComputeMedicareFee(rvu, gpci, PlaceOfService::kFacility, 30.0, 2024);
  ASSERT_TRUE(f.ok());
  // (2.0 + 0.5 x 1.2 + 0.05) x 30 = 79.50
  EXPECT_DOUBLE_EQ(f->amount, 79.50);
  EXPECT_EQ(ComputeMedicareFee(rvu, gpci, PlaceOfService::kFacility, 0, 2024).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RvuImporterTest, RejectsBadNumbersAndDuplicates) {
  std::string path =
      testing::WriteTempFile("rvu.csv",
                             "\"hcpcs\",\"mod\",\"status_code\",\"work_rvu\",\"non_fac_pe_rvu\","
                             "\"facility_pe_rvu\",\"mp_rvu\",\"conv_factor\"\n"
                             "\"99999\",\"\",\"A\",1.3,1.33,0.56,0.1,33.2875\n"
                             "\"99999\",\"26\",\"A\",1.3,,0.56,0.1,33.2875\n"
                             "\"99999\",\"\",\"A\",1.3,1.33,0.56,0.1,33.2875\n"
                             "\"99998\",\"\",\"A\",abc,1,1,1,33.2875\n"
                             "\"9999\",\"\",\"A\",1,1,1,1,33.2875\n");
  auto result = ImportRvuCsv(path, Mpfs());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_DOUBLE_EQ(result->rows[1].non_facility_pe_rvu, 0.0);  // Blank is 0.
  EXPECT_DOUBLE_EQ(result->conversion_factor, 33.2875);
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{4, 5, 6}));
}

TEST(GpciImporterTest, MissingColumnRejectsFile) {
  auto result = ImportGpciCsv(testing::WriteTempFile("gpci.csv", "mac,state\n1,AL\n"), Mpfs());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->localities.empty());
  ASSERT_EQ(testing::RejectedLines(result->report), (std::vector<int64_t>{1}));
}

}  // namespace
}  // namespace openencoder::catalogue
