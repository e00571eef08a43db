#include "services/catalogue/code_resolver.h"

#include "gtest/gtest.h"
#include "tests/catalogue/service/demo_snapshot.h"

namespace openencoder::catalogue {
namespace {

class CodeResolverTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(snapshot_, nullptr); }
  absl::StatusOr<const CodeEntry*> Resolve(CodeSystem s, absl::string_view in) {
    return ResolveCode(*snapshot_, s, in);
  }
  const std::shared_ptr<const CatalogueSnapshot> snapshot_ = DemoSnapshot();
};

TEST_F(CodeResolverTest, ForgivingInputFindsTheSameCode) {
  for (absl::string_view in : {"e119", "E11.9", " e11.9 ", "E119"}) {
    auto e = Resolve(CodeSystem::kUnspecified, in);
    ASSERT_TRUE(e.ok()) << in << ": " << e.status();
    EXPECT_EQ((*e)->record.code, "E119") << in;
  }
  auto i201 = Resolve(CodeSystem::kIcd10Cm, "I201");
  ASSERT_TRUE(i201.ok()) << i201.status();
  EXPECT_EQ((*i201)->record.display_code, "I20.1");
}

TEST_F(CodeResolverTest, UnknownWellFormedCodeNamesTheNearestCodes) {
  auto e = Resolve(CodeSystem::kIcd10Cm, "E11.99");
  ASSERT_EQ(e.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(e.status().message().find("nearest codes: E11.9"), std::string::npos) << e.status();
}

TEST_F(CodeResolverTest, MalformedCodeSaysWhatACodeOfTheSystemLooksLike) {
  auto pcs = Resolve(CodeSystem::kIcd10Pcs, "0DTJ4Z");
  ASSERT_EQ(pcs.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(pcs.status().message().find("exactly 7"), std::string::npos) << pcs.status();
  auto hcpcs = Resolve(CodeSystem::kHcpcs, "J11");
  EXPECT_NE(hcpcs.status().message().find("A to V followed by 4 digits"), std::string::npos)
      << hcpcs.status();
  auto cpt = Resolve(CodeSystem::kCpt, "9921");
  EXPECT_NE(cpt.status().message().find("5 digits"), std::string::npos) << cpt.status();
  auto cm = Resolve(CodeSystem::kIcd10Cm, "11.9");
  EXPECT_NE(cm.status().message().find("ICD-10-CM codes are"), std::string::npos) << cm.status();
  auto any = Resolve(CodeSystem::kUnspecified, "!!");
  EXPECT_EQ(any.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CodeResolverTest, UndottedCodesPreferHcpcsAndCpt) {
  auto j = Resolve(CodeSystem::kUnspecified, "j1100");
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ((*j)->record.system, CodeSystem::kHcpcs);
  auto cpt = Resolve(CodeSystem::kUnspecified, "0370t");
  ASSERT_TRUE(cpt.ok()) << cpt.status();
  EXPECT_EQ((*cpt)->record.system, CodeSystem::kCpt);
}

}  // namespace
}  // namespace openencoder::catalogue
