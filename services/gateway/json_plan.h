// How a message type prints as JSON, worked out once per type and shared by
// the two printers: of parsed messages (json_printer.h) and of wire bytes
// (wire_json.h). Internal to them; defined in json_printer.cc.
#ifndef OPENENCODER_SERVICES_GATEWAY_JSON_PLAN_H_
#define OPENENCODER_SERVICES_GATEWAY_JSON_PLAN_H_

#include <google/protobuf/descriptor.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace openencoder::gateway::json_plan {

// How one value of a field travels on the wire.
enum WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

struct TypePlan;

struct FieldPlan {
  const google::protobuf::FieldDescriptor* field = nullptr;
  std::string key;  // "\"jsonName\":"
  // The descriptor's answers, asked once (each FieldDescriptor::type() call
  // checks a once-flag for lazily built types).
  google::protobuf::FieldDescriptor::Type type = google::protobuf::FieldDescriptor::TYPE_INT32;
  WireType wire = kVarint;  // kLength: string, bytes, message (and packed numbers)
  bool repeated = false;
  bool presence = false;
  const google::protobuf::OneofDescriptor* oneof = nullptr;  // a real oneof only
  bool secret = false;                                       // proto_json.h IsSecretField
  bool gated = false;                                        // proto_json.h IsGatedField
  const TypePlan* message = nullptr;                         // message fields of a kept plan
  std::string default_json;            // what an absent singular field without presence prints
  std::vector<std::string> enum_json;  // "\"NAME\"" by number, for numbers 0..255
};

struct TypePlan {
  bool well_known = false;  // google.protobuf.*: protobuf's own printer knows its forms
  // No map, group or well-known type of its own and small field numbers:
  // wire_json.h reads it (nested types are checked as they come).
  bool wire_readable = true;
  std::vector<FieldPlan> fields;  // declaration order
  std::vector<int> by_number;     // field number -> index in `fields`, -1: none

  int IndexOf(uint64_t number) const { return number < by_number.size() ? by_number[number] : -1; }
};

// The plan of a compiled-in type, kept for the life of the process (plans
// of nested message types included); nullptr for a type of another pool,
// which may be freed and its address reused.
const TypePlan* PlanOf(const google::protobuf::Descriptor& type);

// A plan built now for a type of another pool (tests build some at run
// time), without plans of nested types.
std::unique_ptr<TypePlan> UnkeptPlanOf(const google::protobuf::Descriptor& type);

// An enum value as protobuf's JSON mapping prints it: "NAME", or the
// number when the enum does not name it.
void AppendEnum(const google::protobuf::FieldDescriptor& field, int number, std::string* out);

template <class Int>
void AppendInt(Int v, std::string* out) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  out->append(buffer, result.ptr);
}

// 64-bit integers are JSON strings.
template <class Int>
void AppendQuotedInt(Int v, std::string* out) {
  out->push_back('"');
  AppendInt(v, out);
  out->push_back('"');
}

}  // namespace openencoder::gateway::json_plan

#endif  // OPENENCODER_SERVICES_GATEWAY_JSON_PLAN_H_
