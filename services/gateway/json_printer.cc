#include "services/gateway/json_printer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <array>
#include <charconv>
#include <cmath>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/gateway/json_plan.h"
#include "services/gateway/proto_json.h"

namespace openencoder::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// What a byte becomes inside a JSON string: 0 stays as it is, 1 takes a
// \u00XX escape, any other value is the letter after a backslash.
constexpr std::array<char, 256> MakeEscapes() {
  std::array<char, 256> e{};
  for (int c = 0; c < 0x20; ++c) e[c] = 1;
  e['\b'] = 'b';
  e['\f'] = 'f';
  e['\n'] = 'n';
  e['\r'] = 'r';
  e['\t'] = 't';
  e['"'] = '"';
  e['\\'] = '\\';
  e['<'] = e['>'] = e['&'] = e[0x7f] = 1;  // safe inside HTML too
  return e;
}
constexpr std::array<char, 256> kEscapes = MakeEscapes();

void AppendString(absl::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const char e = kEscapes[c];
    if (e == 0) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    if (e == 1) {
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out->append(escaped, sizeof(escaped));
    } else {
      const char escaped[] = {'\\', e};
      out->append(escaped, sizeof(escaped));
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

template <class Float>
void AppendFloating(Float v, std::string* out) {
  if (std::isnan(v)) {
    out->append("\"NaN\"");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    char buffer[32];
    // Shortest text that reads back as the same value.
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
    out->append(buffer, result.ptr);
  }
}

void AppendValue(const Message& m, const Reflection& r, const FieldDescriptor& f, int index,
                 std::string* out);

void AppendWellKnown(const Message& m, std::string* out) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(m, &json, options).ok()) json = "null";
  out->append(json);
}

void AppendMessage(const Message& m, std::string* out) {
  std::unique_ptr<json_plan::TypePlan> unkept;
  const json_plan::TypePlan* kept = json_plan::PlanOf(*m.GetDescriptor());
  if (kept == nullptr) unkept = json_plan::UnkeptPlanOf(*m.GetDescriptor());
  const json_plan::TypePlan& plan = kept != nullptr ? *kept : *unkept;
  if (plan.well_known) {
    AppendWellKnown(m, out);
    return;
  }
  const Reflection& r = *m.GetReflection();
  out->push_back('{');
  bool first = true;
  for (const json_plan::FieldPlan& fp : plan.fields) {
    const FieldDescriptor* f = fp.field;
    int count = 0;
    if (fp.repeated) {
      count = r.FieldSize(m, f);
    } else if (fp.presence && !r.HasField(m, f)) {
      continue;  // unset message, oneof member or explicit-presence field
    }
    if (!first) out->push_back(',');
    first = false;
    out->append(fp.key);
    if (f->is_map()) {
      // Map entries: {"key": value}, keys always strings.
      const FieldDescriptor* key = f->message_type()->map_key();
      const FieldDescriptor* value = f->message_type()->map_value();
      out->push_back('{');
      for (int j = 0; j < count; ++j) {
        const Message& entry = r.GetRepeatedMessage(m, f, j);
        const Reflection& er = *entry.GetReflection();
        if (j > 0) out->push_back(',');
        std::string key_json;
        AppendValue(entry, er, *key, -1, &key_json);
        if (key_json.empty() || key_json.front() != '"')
          key_json = absl::StrCat("\"", key_json, "\"");
        out->append(key_json);
        out->push_back(':');
        AppendValue(entry, er, *value, -1, out);
      }
      out->push_back('}');
    } else if (fp.repeated) {
      out->push_back('[');
      for (int j = 0; j < count; ++j) {
        if (j > 0) out->push_back(',');
        AppendValue(m, r, *f, j, out);
      }
      out->push_back(']');
    } else {
      AppendValue(m, r, *f, -1, out);
    }
  }
  out->push_back('}');
}

// One value of field `f` of `m` (whose reflection is `r`): element `index`
// of a repeated field, or the singular value when index < 0.
void AppendValue(const Message& m, const Reflection& r, const FieldDescriptor& f, int index,
                 std::string* out) {
  const bool rep = index >= 0;
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      json_plan::AppendInt(rep ? r.GetRepeatedInt32(m, &f, index) : r.GetInt32(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_UINT32:
      json_plan::AppendInt(rep ? r.GetRepeatedUInt32(m, &f, index) : r.GetUInt32(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      json_plan::AppendQuotedInt(rep ? r.GetRepeatedInt64(m, &f, index) : r.GetInt64(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_UINT64:
      json_plan::AppendQuotedInt(rep ? r.GetRepeatedUInt64(m, &f, index) : r.GetUInt64(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloating(rep ? r.GetRepeatedDouble(m, &f, index) : r.GetDouble(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloating(rep ? r.GetRepeatedFloat(m, &f, index) : r.GetFloat(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append((rep ? r.GetRepeatedBool(m, &f, index) : r.GetBool(m, &f)) ? "true" : "false");
      return;
    case FieldDescriptor::CPPTYPE_ENUM: {
      json_plan::AppendEnum(f, rep ? r.GetRepeatedEnumValue(m, &f, index) : r.GetEnumValue(m, &f),
                            out);
      return;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s = rep ? r.GetRepeatedStringReference(m, &f, index, &scratch)
                                 : r.GetStringReference(m, &f, &scratch);
      if (f.type() == FieldDescriptor::TYPE_BYTES) {
        AppendString(absl::Base64Escape(s), out);
      } else {
        AppendString(s, out);
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      AppendMessage(rep ? r.GetRepeatedMessage(m, &f, index) : r.GetMessage(m, &f), out);
      return;
  }
}

}  // namespace

namespace json_plan {
namespace {

WireType WireOf(const FieldDescriptor& f) {
  switch (f.type()) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return kFixed64;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return kFixed32;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
    case FieldDescriptor::TYPE_GROUP:
      return kLength;
    default:
      return kVarint;
  }
}

// The default of a singular field without presence, as the printer writes
// it when the field was never set.
void AppendDefault(const FieldDescriptor& f, std::string* out) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      AppendInt(f.default_value_int32(), out);
      return;
    case FieldDescriptor::CPPTYPE_UINT32:
      AppendInt(f.default_value_uint32(), out);
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      AppendQuotedInt(f.default_value_int64(), out);
      return;
    case FieldDescriptor::CPPTYPE_UINT64:
      AppendQuotedInt(f.default_value_uint64(), out);
      return;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloating(f.default_value_float(), out);
      return;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloating(f.default_value_double(), out);
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append(f.default_value_bool() ? "true" : "false");
      return;
    case FieldDescriptor::CPPTYPE_ENUM:
      AppendEnum(f, f.default_value_enum()->number(), out);
      return;
    case FieldDescriptor::CPPTYPE_STRING:
      AppendString(f.type() == FieldDescriptor::TYPE_BYTES
                       ? absl::Base64Escape(f.default_value_string())
                       : f.default_value_string(),
                   out);
      return;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return;  // has presence: never printed absent
  }
}

// A type with a field number above this is not wire-readable (ours stay far
// below; the number table costs 4 bytes per number).
constexpr int kMaxFieldNumber = 4096;

// `nested` (for message fields) gives the plans of nested types, or null.
template <class Nested>
void BuildInto(const Descriptor& d, TypePlan* plan, Nested nested) {
  plan->well_known = d.file()->package() == "google.protobuf";
  plan->wire_readable = !plan->well_known;
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor* f = d.field(i);
    FieldPlan w;
    w.field = f;
    w.key = absl::StrCat("\"", f->json_name(), "\":");
    w.type = f->type();
    w.wire = WireOf(*f);
    w.repeated = f->is_repeated();
    w.presence = f->has_presence();
    w.oneof = f->real_containing_oneof();
    w.secret = IsSecretField(*f);
    w.gated = IsGatedField(*f);
    if (!w.repeated && !w.presence) AppendDefault(*f, &w.default_json);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      const google::protobuf::EnumDescriptor* e = f->enum_type();
      for (int v = 0; v < e->value_count(); ++v) {
        const int number = e->value(v)->number();
        if (number < 0 || number >= 256) continue;
        if (w.enum_json.size() <= static_cast<size_t>(number)) w.enum_json.resize(number + 1);
        // The first name of a number, as FindValueByNumber gives it.
        if (w.enum_json[number].empty()) {
          w.enum_json[number] = absl::StrCat("\"", e->value(v)->name(), "\"");
        }
      }
    }
    if (f->is_map() || f->type() == FieldDescriptor::TYPE_GROUP) plan->wire_readable = false;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) w.message = nested(*f->message_type());
    if (f->number() > kMaxFieldNumber) {
      plan->wire_readable = false;
    } else {
      if (plan->by_number.size() <= static_cast<size_t>(f->number())) {
        plan->by_number.resize(f->number() + 1, -1);
      }
      plan->by_number[f->number()] = i;
    }
    plan->fields.push_back(std::move(w));
  }
}

class KeptPlans {
 public:
  const TypePlan* For(const Descriptor& d) {
    thread_local absl::flat_hash_map<const Descriptor*, const TypePlan*> local;
    if (auto it = local.find(&d); it != local.end()) return it->second;
    absl::MutexLock lock(&mu_);
    const TypePlan* plan = BuildLocked(d);
    local[&d] = plan;
    return plan;
  }

 private:
  const TypePlan* BuildLocked(const Descriptor& d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto [it, inserted] = plans_.try_emplace(&d);
    if (!inserted) return it->second.get();  // built, or being built (a recursive type)
    it->second = std::make_unique<TypePlan>();
    TypePlan* plan = it->second.get();
    BuildInto(d, plan, [this](const Descriptor& nested) ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return BuildLocked(nested);  // still under mu_
    });
    return plan;
  }

  absl::Mutex mu_;
  // Never freed: plans point at each other.
  absl::flat_hash_map<const Descriptor*, std::unique_ptr<TypePlan>> plans_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

const TypePlan* PlanOf(const Descriptor& type) {
  if (type.file()->pool() != DescriptorPool::generated_pool()) return nullptr;
  static KeptPlans* const plans = new KeptPlans();
  return plans->For(type);
}

std::unique_ptr<TypePlan> UnkeptPlanOf(const Descriptor& type) {
  auto plan = std::make_unique<TypePlan>();
  BuildInto(type, plan.get(), [](const Descriptor&) -> const TypePlan* { return nullptr; });
  return plan;
}

void AppendEnum(const FieldDescriptor& field, int number, std::string* out) {
  if (const auto* value = field.enum_type()->FindValueByNumber(number)) {
    out->push_back('"');
    out->append(value->name());
    out->push_back('"');
  } else {
    AppendInt(number, out);
  }
}

}  // namespace json_plan

void AppendMessageJson(const Message& message, std::string* out) { AppendMessage(message, out); }

void AppendJsonString(absl::string_view text, std::string* out) { AppendString(text, out); }

void AppendJsonFloat(float value, std::string* out) { AppendFloating(value, out); }

void AppendJsonDouble(double value, std::string* out) { AppendFloating(value, out); }

}  // namespace openencoder::gateway
