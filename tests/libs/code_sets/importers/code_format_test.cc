#include "libs/code_sets/model/code_format.h"

#include "gtest/gtest.h"
#include "libs/code_sets/model/icd10cm_chapters.h"

namespace openencoder::catalogue {
namespace {

TEST(CodeFormatTest, NormalizesCaseDotsAndBlanks) {
  for (const char* input : {"e119", "E11.9", " e11.9 ", "E119"}) {
    absl::StatusOr<std::string> code = NormalizeCode(CodeSystem::kIcd10Cm, input);
    ASSERT_TRUE(code.ok()) << input << ": " << code.status();
    EXPECT_EQ(*code, "E119");
  }
  EXPECT_EQ(*NormalizeCode(CodeSystem::kIcd10Cm, "t81.4xxa"), "T814XXA");
}

TEST(CodeFormatTest, RejectsInvalidCodesNamingThePattern) {
  absl::StatusOr<std::string> code = NormalizeCode(CodeSystem::kIcd10Cm, "11.9");
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(code.status().message().find("^[A-Z][0-9A-Z]"), std::string::npos);
  EXPECT_FALSE(NormalizeCode(CodeSystem::kIcd10Cm, "E11.91234").ok());
}

TEST(CodeFormatTest, FormatsDisplayCodes) {
  EXPECT_EQ(FormatDisplayCode(CodeSystem::kIcd10Cm, "E119"), "E11.9");
  EXPECT_EQ(FormatDisplayCode(CodeSystem::kIcd10Cm, "T814XXA"), "T81.4XXA");
  EXPECT_EQ(FormatDisplayCode(CodeSystem::kIcd10Cm, "E11"), "E11");
  EXPECT_EQ(FormatDisplayCode(CodeSystem::kIcd9Cm, "0010"), "001.0");
  EXPECT_EQ(FormatDisplayCode(CodeSystem::kIcd9Cm, "E8809"), "E880.9");
  EXPECT_EQ(FormatDisplayCode(CodeSystem::kIcd9CmProcedure, "0001"), "00.01");
  EXPECT_EQ(FormatDisplayCode(CodeSystem::kIcd10Pcs, "0016070"), "0016070");
}

TEST(CodeFormatTest, ValidatesEachSystem) {
  EXPECT_TRUE(IsValidCode(CodeSystem::kIcd10Pcs, "0016070"));
  EXPECT_FALSE(IsValidCode(CodeSystem::kIcd10Pcs, "0O16070"));  // letter O
  EXPECT_FALSE(IsValidCode(CodeSystem::kIcd10Pcs, "001607"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kHcpcs, "A0021"));
  EXPECT_FALSE(IsValidCode(CodeSystem::kHcpcs, "W0021"));
  EXPECT_FALSE(IsValidCode(CodeSystem::kHcpcs, "99213"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kCpt, "99213"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kCpt, "0159T"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kCpt, "3008F"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kCpt, "0001U"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kCpt, "0001M"));  // MAAA
  EXPECT_FALSE(IsValidCode(CodeSystem::kCpt, "0159X"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kIcd9Cm, "V0481"));
  EXPECT_TRUE(IsValidCode(CodeSystem::kIcd9Cm, "E8809"));
  EXPECT_FALSE(IsValidCode(CodeSystem::kIcd9Cm, "E88"));
}

TEST(Icd10CmChaptersTest, FindsChaptersIncludingEdgeRanges) {
  EXPECT_EQ(Icd10CmChapters().size(), 22u);
  EXPECT_EQ(FindIcd10CmChapter("A000")->number, 1);
  EXPECT_EQ(FindIcd10CmChapter("D49")->number, 2);
  EXPECT_EQ(FindIcd10CmChapter("D50")->number, 3);
  EXPECT_EQ(FindIcd10CmChapter("O9A1")->number, 15);
  EXPECT_EQ(FindIcd10CmChapter("T814XXA")->number, 19);
  EXPECT_EQ(FindIcd10CmChapter("U071")->number, 22);
  EXPECT_EQ(FindIcd10CmChapter("H60")->number, 8);
  EXPECT_EQ(FindIcd10CmChapter("QA00101")->number, 17);
  EXPECT_EQ(FindIcd10CmChapter("Q999")->number, 17);
  EXPECT_EQ(FindIcd10CmChapter("P97"), nullptr);
}

}  // namespace
}  // namespace openencoder::catalogue
