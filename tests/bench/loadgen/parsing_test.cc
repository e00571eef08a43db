// Flag parsing helpers of oe_loadgen: method names and --metadata.
#include "bench/loadgen/metadata.h"
#include "bench/loadgen/method_resolver.h"
#include "gtest/gtest.h"

namespace openencoder::loadgen {
namespace {

TEST(ParseMethodNameTest, AcceptsSlashDotAndLeadingSlashForms) {
  for (const char* name : {"pkg.v1.Svc/Get", "/pkg.v1.Svc/Get", "pkg.v1.Svc.Get"}) {
    absl::StatusOr<MethodName> parsed = ParseMethodName(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(parsed->service, "pkg.v1.Svc") << name;
    EXPECT_EQ(parsed->method, "Get") << name;
  }
}

TEST(ParseMethodNameTest, RejectsNamesWithoutServiceOrMethod) {
  for (const char* name : {"", "Get", "pkg.Svc/", "/Get", "."}) {
    EXPECT_EQ(ParseMethodName(name).status().code(), absl::StatusCode::kInvalidArgument)
        << "'" << name << "'";
  }
}

TEST(ParseMetadataTest, SplitsPairsLowercasesKeysAndKeepsColonsInValues) {
  absl::StatusOr<Metadata> md = ParseMetadata("Authorization:Bearer a:b , x-tenant: 42");
  ASSERT_TRUE(md.ok()) << md.status();
  ASSERT_EQ(md->size(), 2u);
  EXPECT_EQ((*md)[0], (std::pair<std::string, std::string>{"authorization", "Bearer a:b"}));
  EXPECT_EQ((*md)[1], (std::pair<std::string, std::string>{"x-tenant", "42"}));
}

TEST(ParseMetadataTest, EmptyFlagMeansNoMetadata) {
  absl::StatusOr<Metadata> md = ParseMetadata("");
  ASSERT_TRUE(md.ok());
  EXPECT_TRUE(md->empty());
}

TEST(ParseMetadataTest, RejectsEntriesWithoutColonOrWithBadKeys) {
  for (const char* flag : {"novalue", "bad key:v", ":authority:x", "a:b,,c:d"}) {
    EXPECT_EQ(ParseMetadata(flag).status().code(), absl::StatusCode::kInvalidArgument) << flag;
  }
}

}  // namespace
}  // namespace openencoder::loadgen
