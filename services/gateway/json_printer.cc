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

template <class Int>
void AppendInt(Int v, std::string* out) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  out->append(buffer, result.ptr);
}

// How a message type prints, worked out once per type: its fields in
// declaration order, each with its `"jsonName":` ready to copy.
struct FieldPlan {
  const FieldDescriptor* field;
  std::string key;  // "\"jsonName\":"
};
struct MessagePlan {
  bool well_known = false;  // google.protobuf.*: the library prints it
  std::vector<FieldPlan> fields;
};

std::unique_ptr<MessagePlan> BuildPlan(const Descriptor& d) {
  auto plan = std::make_unique<MessagePlan>();
  plan->well_known = d.file()->package() == "google.protobuf";
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor* f = d.field(i);
    plan->fields.push_back({f, absl::StrCat("\"", f->json_name(), "\":")});
  }
  return plan;
}

// Plans of the compiled-in message types, which live as long as the
// process. Types from other pools (tests build some at run time) may be
// freed and their addresses reused, so they get a fresh plan each time.
const MessagePlan& PlanFor(const Descriptor& d, std::unique_ptr<MessagePlan>* uncached) {
  if (d.file()->pool() != DescriptorPool::generated_pool()) {
    *uncached = BuildPlan(d);
    return **uncached;
  }
  thread_local absl::flat_hash_map<const Descriptor*, const MessagePlan*> local;
  if (auto it = local.find(&d); it != local.end()) return *it->second;
  static absl::Mutex mu;
  static auto* plans = new absl::flat_hash_map<const Descriptor*, std::unique_ptr<MessagePlan>>();
  absl::MutexLock lock(&mu);
  std::unique_ptr<MessagePlan>& plan = (*plans)[&d];
  if (plan == nullptr) plan = BuildPlan(d);
  local[&d] = plan.get();
  return *plan;
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
  std::unique_ptr<MessagePlan> uncached;
  const MessagePlan& plan = PlanFor(*m.GetDescriptor(), &uncached);
  if (plan.well_known) {
    AppendWellKnown(m, out);
    return;
  }
  const Reflection& r = *m.GetReflection();
  out->push_back('{');
  bool first = true;
  for (const FieldPlan& fp : plan.fields) {
    const FieldDescriptor* f = fp.field;
    int count = 0;
    if (f->is_repeated()) {
      count = r.FieldSize(m, f);
    } else if (f->has_presence() && !r.HasField(m, f)) {
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
    } else if (f->is_repeated()) {
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
      AppendInt(rep ? r.GetRepeatedInt32(m, &f, index) : r.GetInt32(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_UINT32:
      AppendInt(rep ? r.GetRepeatedUInt32(m, &f, index) : r.GetUInt32(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      out->push_back('"');
      AppendInt(rep ? r.GetRepeatedInt64(m, &f, index) : r.GetInt64(m, &f), out);
      out->push_back('"');
      return;
    case FieldDescriptor::CPPTYPE_UINT64:
      out->push_back('"');
      AppendInt(rep ? r.GetRepeatedUInt64(m, &f, index) : r.GetUInt64(m, &f), out);
      out->push_back('"');
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
      const int number = rep ? r.GetRepeatedEnumValue(m, &f, index) : r.GetEnumValue(m, &f);
      const auto* value = f.enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        out->push_back('"');
        out->append(value->name());
        out->push_back('"');
      } else {
        AppendInt(number, out);
      }
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

void AppendMessageJson(const Message& message, std::string* out) { AppendMessage(message, out); }

void AppendJsonString(absl::string_view text, std::string* out) { AppendString(text, out); }

void AppendJsonFloat(float value, std::string* out) { AppendFloating(value, out); }

void AppendJsonDouble(double value, std::string* out) { AppendFloating(value, out); }

}  // namespace openencoder::gateway
