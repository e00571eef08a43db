#include "services/gateway/json_printer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace openencoder::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void AppendString(absl::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool plain =
        c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0x7f;
    if (plain) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(escaped, sizeof(escaped));
      }
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

bool IsWellKnown(const Descriptor& d) { return d.file()->package() == "google.protobuf"; }

void AppendValue(const Message& m, const FieldDescriptor& f, int index, std::string* out);

void AppendWellKnown(const Message& m, std::string* out) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(m, &json, options).ok()) json = "null";
  out->append(json);
}

void AppendMessage(const Message& m, std::string* out) {
  const Descriptor* d = m.GetDescriptor();
  if (IsWellKnown(*d)) {
    AppendWellKnown(m, out);
    return;
  }
  const Reflection* r = m.GetReflection();
  out->push_back('{');
  bool first = true;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    int count = 0;
    if (f->is_repeated()) {
      count = r->FieldSize(m, f);
    } else if (f->has_presence() && !r->HasField(m, f)) {
      continue;  // unset message, oneof member or explicit-presence field
    }
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(f->json_name());
    out->append("\":");
    if (f->is_map()) {
      // Map entries: {"key": value}, keys always strings.
      const FieldDescriptor* key = f->message_type()->map_key();
      const FieldDescriptor* value = f->message_type()->map_value();
      out->push_back('{');
      for (int j = 0; j < count; ++j) {
        const Message& entry = r->GetRepeatedMessage(m, f, j);
        if (j > 0) out->push_back(',');
        std::string key_json;
        AppendValue(entry, *key, -1, &key_json);
        if (key_json.empty() || key_json.front() != '"')
          key_json = absl::StrCat("\"", key_json, "\"");
        out->append(key_json);
        out->push_back(':');
        AppendValue(entry, *value, -1, out);
      }
      out->push_back('}');
    } else if (f->is_repeated()) {
      out->push_back('[');
      for (int j = 0; j < count; ++j) {
        if (j > 0) out->push_back(',');
        AppendValue(m, *f, j, out);
      }
      out->push_back(']');
    } else {
      AppendValue(m, *f, -1, out);
    }
  }
  out->push_back('}');
}

// One value of field `f` of `m`: element `index` of a repeated field, or the
// singular value when index < 0.
void AppendValue(const Message& m, const FieldDescriptor& f, int index, std::string* out) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(out, rep ? r->GetRepeatedInt32(m, &f, index) : r->GetInt32(m, &f));
      return;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, rep ? r->GetRepeatedUInt32(m, &f, index) : r->GetUInt32(m, &f));
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(out, "\"", rep ? r->GetRepeatedInt64(m, &f, index) : r->GetInt64(m, &f),
                      "\"");
      return;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(out, "\"", rep ? r->GetRepeatedUInt64(m, &f, index) : r->GetUInt64(m, &f),
                      "\"");
      return;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloating(rep ? r->GetRepeatedDouble(m, &f, index) : r->GetDouble(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloating(rep ? r->GetRepeatedFloat(m, &f, index) : r->GetFloat(m, &f), out);
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append((rep ? r->GetRepeatedBool(m, &f, index) : r->GetBool(m, &f)) ? "true" : "false");
      return;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = rep ? r->GetRepeatedEnumValue(m, &f, index) : r->GetEnumValue(m, &f);
      const auto* value = f.enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        absl::StrAppend(out, "\"", value->name(), "\"");
      } else {
        absl::StrAppend(out, number);
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s = rep ? r->GetRepeatedStringReference(m, &f, index, &scratch)
                                 : r->GetStringReference(m, &f, &scratch);
      if (f.type() == FieldDescriptor::TYPE_BYTES) {
        AppendString(absl::Base64Escape(s), out);
      } else {
        AppendString(s, out);
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      AppendMessage(rep ? r->GetRepeatedMessage(m, &f, index) : r->GetMessage(m, &f), out);
      return;
  }
}

}  // namespace

void AppendMessageJson(const Message& message, std::string* out) { AppendMessage(message, out); }

void AppendJsonString(absl::string_view text, std::string* out) { AppendString(text, out); }

}  // namespace openencoder::gateway
