// The gateway's JSON printer against protobuf's own JSON mapping: same text
// where the two agree byte for byte (no floats, no characters protobuf
// escapes differently), and the same message when parsed back otherwise.
#include "services/gateway/json_printer.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "openencoder/account/v1/account_service.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "openencoder/search/v1/search_service.pb.h"

namespace openencoder::gateway {
namespace {

std::string Printed(const google::protobuf::Message& m) {
  std::string out;
  AppendMessageJson(m, &out);
  return out;
}

std::string Library(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &out, options).ok());
  return out;
}

template <class M>
void ExpectParsesBackEqual(const M& m) {
  M back;
  const std::string json = Printed(m);
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok()) << json;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(m, back)) << json << "\nvs\n"
                                                                           << back.DebugString();
}

search::v1::SearchResponse SampleSearch() {
  search::v1::SearchResponse r;
  for (int i = 0; i < 3; ++i) {
    search::v1::SearchHit* h = r.add_hits();
    h->set_system(catalogue::v1::CODE_SYSTEM_ICD10CM);
    h->set_code("I213");
    h->set_display_code("I21.3");
    h->set_title("ST elevation (STEMI) myocardial infarction of unspecified site");
    h->set_snippet("acute <mark>myocardial infarction</mark> \"quoted\" \\ tab\there");
    h->add_highlights()->set_begin(6);
    h->mutable_highlights(0)->set_end(27);
    h->set_billable(i % 2 == 0);
    search::v1::MatchReason* reason = h->add_reasons();
    reason->set_kind(search::v1::MATCH_KIND_SYNONYM);
    reason->set_detail("heart attack -> myocardial infarction");
  }
  r.set_total_count(1234567890123LL);
  search::v1::SystemFacet* facet = r.add_facets();
  facet->set_system(catalogue::v1::CODE_SYSTEM_ICD10CM);
  facet->set_count(3);
  r.set_snapshot_id("snap-1");
  return r;
}

TEST(JsonPrinterTest, SameTextAsProtobufWithoutFloats) {
  search::v1::SearchResponse r = SampleSearch();
  for (auto& h : *r.mutable_hits()) h.mutable_snippet()->assign("plain text");
  EXPECT_EQ(Printed(r), Library(r));
}

TEST(JsonPrinterTest, DefaultsArePrintedAndUnsetMessagesAndOneofsLeftOut) {
  catalogue::v1::GetCodePageResponse page;
  page.mutable_meter()->set_plan("guest");
  EXPECT_EQ(Printed(page), Library(page));
  EXPECT_NE(Printed(page).find("\"viewsRemaining\":0"), std::string::npos);
  EXPECT_EQ(Printed(page).find("teaser"), std::string::npos);
  EXPECT_EQ(Printed(search::v1::SearchResponse()), Library(search::v1::SearchResponse()));
}

TEST(JsonPrinterTest, EscapesStringsAndParsesBackEqual) {
  search::v1::SearchResponse r = SampleSearch();
  using std::string_literals::operator""s;
  r.mutable_hits(0)->set_title("nul\0 and \x1f \xc3\xa9 </script>&"s);
  const std::string json = Printed(r);
  EXPECT_EQ(json.find("</script>"), std::string::npos) << "must be safe inside HTML";
  EXPECT_NE(json.find("\\u0000"), std::string::npos);
  EXPECT_NE(json.find("\\u001f"), std::string::npos);
  ExpectParsesBackEqual(r);
}

TEST(JsonPrinterTest, FloatingPointRoundTrips) {
  search::v1::SearchResponse r = SampleSearch();
  const double values[] = {0.1, 1.0 / 3, 12.5, 1e21, -2.5e-300, 0};
  for (size_t i = 0; i < 3; ++i) r.mutable_hits(i)->set_score(values[i]);
  ExpectParsesBackEqual(r);
  for (size_t i = 3; i < 6; ++i) {
    r.mutable_hits(0)->set_score(values[i]);
    ExpectParsesBackEqual(r);
  }
  r.mutable_hits(0)->set_score(std::numeric_limits<double>::infinity());
  EXPECT_NE(Printed(r).find("\"score\":\"Infinity\""), std::string::npos);
  r.mutable_hits(0)->set_score(std::nan(""));
  EXPECT_NE(Printed(r).find("\"score\":\"NaN\""), std::string::npos);
}

TEST(JsonPrinterTest, WellKnownTypesUseTheirJsonForms) {
  account::v1::Account a;
  a.set_account_id("42");
  a.set_plan(account::v1::PLAN_FREE);
  a.add_roles(account::v1::ROLE_CODER);
  a.mutable_created_at()->set_seconds(1764000000);
  // Key order may differ here (protobuf puts some message fields last);
  // JSON objects are unordered, so compare what the text means.
  ExpectParsesBackEqual(a);
  EXPECT_NE(Printed(a).find("\"createdAt\":\"2025-"), std::string::npos) << Printed(a);
}

TEST(JsonPrinterTest, UnknownEnumNumberIsPrintedAsANumber) {
  search::v1::SystemFacet f;
  f.set_system(static_cast<catalogue::v1::CodeSystem>(999));
  EXPECT_EQ(Printed(f), Library(f));
}

// A type built at run time (its pool may be freed and an address reused, so
// its plan is never kept) prints like a compiled-in one, twice.
TEST(JsonPrinterTest, TypesOfOtherPoolsPrintLikeProtobuf) {
  google::protobuf::FileDescriptorProto file;
  file.set_name("runtime.proto");
  file.set_syntax("proto3");
  google::protobuf::DescriptorProto* type = file.add_message_type();
  type->set_name("Runtime");
  auto add = [&](const char* name, int number, google::protobuf::FieldDescriptorProto::Type t) {
    google::protobuf::FieldDescriptorProto* f = type->add_field();
    f->set_name(name);
    f->set_number(number);
    f->set_type(t);
    f->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
  };
  add("display_code", 1, google::protobuf::FieldDescriptorProto::TYPE_STRING);
  add("total_count", 2, google::protobuf::FieldDescriptorProto::TYPE_INT64);
  add("billable", 3, google::protobuf::FieldDescriptorProto::TYPE_BOOL);
  google::protobuf::DescriptorPool pool;
  const google::protobuf::FileDescriptor* built = pool.BuildFile(file);
  ASSERT_NE(built, nullptr);
  google::protobuf::DynamicMessageFactory factory(&pool);
  std::unique_ptr<google::protobuf::Message> m(factory.GetPrototype(built->message_type(0))->New());
  m->GetReflection()->SetString(m.get(), built->message_type(0)->field(0), "E11.9");
  m->GetReflection()->SetInt64(m.get(), built->message_type(0)->field(1), 42);
  EXPECT_EQ(Printed(*m), R"({"displayCode":"E11.9","totalCount":"42","billable":false})");
  EXPECT_EQ(Printed(*m), Library(*m));
}

}  // namespace
}  // namespace openencoder::gateway
