// AppendWireJson against the printer it stands in for: for every message
// type of every OpenEncoder service, filled at random, the JSON printed from
// the wire bytes equals AppendMessageJson of the parsed message (secret
// and, unless kept, gated fields cleared), or the bytes are declined and
// the output left alone.
#include "services/gateway/wire_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "openencoder/account/v1/account_service.pb.h"
#include "openencoder/assistant/v1/assistant_service.pb.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"
#include "openencoder/search/v1/search_service.pb.h"
#include "services/gateway/json_printer.h"
#include "services/gateway/proto_json.h"

namespace openencoder::gateway {
namespace {

namespace pb = google::protobuf;

// Sets every field of `m` at random (repeated ones 0-3 times, a random
// member of each oneof), down to `depth` levels of messages.
void Fill(pb::Message* m, std::mt19937_64& rng, int depth) {
  const pb::Descriptor* d = m->GetDescriptor();
  const pb::Reflection* r = m->GetReflection();
  auto coin = [&] { return rng() % 2 == 0; };
  auto text = [&] {
    static const char* kPieces[] = {"heart", " attack", "<mark>", "\"q\"", "\\",   "\t",
                                    "é",     "&",       "\x01",   "",      "E11.9"};
    std::string s;
    for (int i = static_cast<int>(rng() % 4); i > 0; --i) s += kPieces[rng() % 11];
    return s;
  };
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->real_containing_oneof() != nullptr && coin()) continue;
    if (f->has_presence() && !f->is_repeated() && coin()) continue;
    const int n = f->is_repeated() ? static_cast<int>(rng() % 4) : 1;
    for (int k = 0; k < n; ++k) {
      const bool rep = f->is_repeated();
      const int64_t big = static_cast<int64_t>(rng()) >> (rng() % 63);
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_INT32:
          rep ? r->AddInt32(m, f, static_cast<int32_t>(big)) : r->SetInt32(m, f, big);
          break;
        case pb::FieldDescriptor::CPPTYPE_UINT32:
          rep ? r->AddUInt32(m, f, static_cast<uint32_t>(big)) : r->SetUInt32(m, f, big);
          break;
        case pb::FieldDescriptor::CPPTYPE_INT64:
          rep ? r->AddInt64(m, f, big) : r->SetInt64(m, f, big);
          break;
        case pb::FieldDescriptor::CPPTYPE_UINT64:
          rep ? r->AddUInt64(m, f, rng()) : r->SetUInt64(m, f, rng());
          break;
        case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
          const double v = static_cast<double>(big) / 7.0;
          rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
          break;
        }
        case pb::FieldDescriptor::CPPTYPE_FLOAT: {
          const float v = static_cast<float>(big % 100000) / 3.0f;
          rep ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
          break;
        }
        case pb::FieldDescriptor::CPPTYPE_BOOL:
          rep ? r->AddBool(m, f, coin()) : r->SetBool(m, f, coin());
          break;
        case pb::FieldDescriptor::CPPTYPE_ENUM: {
          // Mostly known values, sometimes a number the enum does not name.
          const auto* e = f->enum_type();
          const int v =
              rng() % 5 == 0 ? 99 : e->value(static_cast<int>(rng() % e->value_count()))->number();
          rep ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
          break;
        }
        case pb::FieldDescriptor::CPPTYPE_STRING:
          rep ? r->AddString(m, f, text()) : r->SetString(m, f, text());
          break;
        case pb::FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth <= 0) break;
          Fill(rep ? r->AddMessage(m, f) : r->MutableMessage(m, f), rng, depth - 1);
          break;
      }
    }
  }
}

// What the route sends when it parses the answer (rpc_route.h AnswerOf).
std::string Printed(const pb::Message& m, bool keep_gated) {
  std::unique_ptr<pb::Message> copy(m.New());
  copy->CopyFrom(m);
  ClearSecretFields(copy.get());
  if (!keep_gated) ClearGatedFields(copy.get());
  std::string out;
  AppendMessageJson(*copy, &out);
  return out;
}

std::vector<const pb::Descriptor*> AllServiceTypes() {
  // The headers above link these files in; the pool finds them by name.
  std::vector<const pb::Descriptor*> types;
  for (const char* name :
       {"openencoder/account/v1/account_service.proto",
        "openencoder/assistant/v1/assistant_service.proto",
        "openencoder/catalogue/v1/catalogue_service.proto", "openencoder/catalogue/v1/codes.proto",
        "openencoder/jobs/v1/jobs_service.proto", "openencoder/search/v1/search_service.proto"}) {
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name;
    if (file == nullptr) continue;
    for (int i = 0; i < file->message_type_count(); ++i) types.push_back(file->message_type(i));
  }
  return types;
}

// Whether `d` or a type below it has a map or a google.protobuf.* field:
// the only types AppendWireJson may decline when the bytes are well formed.
bool MayBeDeclined(const pb::Descriptor* d, std::set<const pb::Descriptor*>* seen) {
  if (!seen->insert(d).second) return false;
  if (d->file()->package() == "google.protobuf") return true;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_map()) return true;
    if (f->message_type() != nullptr && MayBeDeclined(f->message_type(), seen)) return true;
  }
  return false;
}

TEST(WireJsonTest, EveryServiceTypeFilledAtRandomPrintsAsTheParsedMessage) {
  std::mt19937_64 rng(20261205);
  int printed = 0, declined = 0;
  for (const pb::Descriptor* d : AllServiceTypes()) {
    const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(d);
    for (int round = 0; round < 40; ++round) {
      std::unique_ptr<pb::Message> m(prototype->New());
      Fill(m.get(), rng, 3);
      const std::string wire = m->SerializeAsString();
      for (bool keep_gated : {false, true}) {
        std::string out = "prefix";
        if (AppendWireJson(*d, wire, keep_gated, &out)) {
          ++printed;
          ASSERT_EQ(out, "prefix" + Printed(*m, keep_gated)) << d->full_name() << "\n"
                                                             << m->DebugString();
        } else {
          ++declined;
          ASSERT_EQ(out, "prefix") << d->full_name();
          std::set<const pb::Descriptor*> seen;
          ASSERT_TRUE(MayBeDeclined(d, &seen)) << d->full_name() << " was declined";
        }
      }
    }
  }
  EXPECT_GT(printed, 0);
  EXPECT_GT(declined, 0);  // Timestamps and Durations go to the printer
}

TEST(WireJsonTest, TheSearchAnswerIsPrintedFromTheWire) {
  search::v1::SearchResponse r;
  search::v1::SearchHit* h = r.add_hits();
  h->set_code("I213");
  h->set_title("ST elevation (STEMI) myocardial infarction");
  h->set_plain_language("a heart attack");  // gated: only the code page shows it
  h->add_highlights()->set_begin(6);
  r.set_total_count(3);
  std::string out;
  ASSERT_TRUE(AppendWireJson(*r.GetDescriptor(), r.SerializeAsString(), false, &out));
  EXPECT_EQ(out, Printed(r, false));
  EXPECT_FALSE(absl::StrContains(out, "a heart attack")) << out;
  out.clear();
  ASSERT_TRUE(AppendWireJson(*r.GetDescriptor(), r.SerializeAsString(), true, &out));
  EXPECT_TRUE(absl::StrContains(out, "a heart attack")) << out;
}

TEST(WireJsonTest, FieldsInAnyWireOrderUnpackedNumbersAndUnknownFieldsPrintAsParsed) {
  search::v1::SearchResponse a, b;
  a.add_hits()->set_code("A");
  a.set_total_count(7);
  b.add_hits()->set_code("B");
  // Later fields first, a repeated field split in two, an unknown field.
  std::string wire = b.SerializeAsString();
  std::string unknown("\xf8\x3e\x05", 3);  // field 999, varint 5
  wire = a.SerializeAsString() + unknown + wire;
  search::v1::SearchResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  std::string out;
  ASSERT_TRUE(AppendWireJson(*parsed.GetDescriptor(), wire, false, &out));
  EXPECT_EQ(out, Printed(parsed, false));

  // A packed repeated enum sent unpacked, then packed (both valid forms).
  const std::string systems("\x08\x01\x08\x02\x0a\x02\x03\x63", 8);  // 1, 2, [3, 99]
  search::v1::SearchFilters filters;
  ASSERT_TRUE(filters.ParseFromString(systems));
  ASSERT_EQ(filters.systems_size(), 4);
  out.clear();
  ASSERT_TRUE(AppendWireJson(*filters.GetDescriptor(), systems, false, &out));
  EXPECT_EQ(out, Printed(filters, false));
}

TEST(WireJsonTest, SecretFieldsNeverLeaveTheGateway) {
  account::v1::SessionToken t;
  t.set_token("the-secret-token");
  std::string out;
  ASSERT_TRUE(AppendWireJson(*t.GetDescriptor(), t.SerializeAsString(), true, &out));
  EXPECT_FALSE(absl::StrContains(out, "the-secret-token")) << out;
  EXPECT_EQ(out, Printed(t, true));
}

TEST(WireJsonTest, MalformedBytesAndMessagesSentInPiecesAreDeclined) {
  const pb::Descriptor& d = *search::v1::SearchResponse::descriptor();
  for (std::string bad : {std::string("\x0a\x05\x01", 3), std::string("\x80", 1),
                          std::string("\x0b", 1) /* group start */}) {
    std::string out = "kept";
    EXPECT_FALSE(AppendWireJson(d, bad, false, &out));
    EXPECT_EQ(out, "kept");
  }
  // A singular message field sent twice is merged by the parser: declined.
  search::v1::SearchHit hit;
  const pb::FieldDescriptor* singular = nullptr;
  for (int i = 0; i < hit.GetDescriptor()->field_count(); ++i) {
    const pb::FieldDescriptor* f = hit.GetDescriptor()->field(i);
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !f->is_repeated()) singular = f;
  }
  if (singular != nullptr) {
    search::v1::SearchHit piece;
    piece.GetReflection()->MutableMessage(&piece, singular);
    const std::string twice = piece.SerializeAsString() + piece.SerializeAsString();
    std::string out;
    EXPECT_FALSE(AppendWireJson(*hit.GetDescriptor(), twice, false, &out));
  }
}

}  // namespace
}  // namespace openencoder::gateway
