#include "services/gateway/wire_json.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "services/gateway/json_plan.h"
#include "services/gateway/json_printer.h"

namespace openencoder::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

using json_plan::AppendEnum;
using json_plan::AppendInt;
using json_plan::AppendQuotedInt;
using json_plan::FieldPlan;
using json_plan::kFixed32;
using json_plan::kFixed64;
using json_plan::kLength;
using json_plan::kVarint;
using json_plan::TypePlan;
using json_plan::WireType;

bool ReadVarint(const char*& p, const char* end, uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = v;
      return true;
    }
  }
  return false;  // truncated or longer than ten bytes
}

// One value of a field as it came: a number (varint or fixed bits) or the
// bytes of a length-delimited one.
struct Value {
  int field = 0;  // index in the plan
  WireType wire = kVarint;
  uint64_t bits = 0;
  absl::string_view bytes;
};

int32_t ZigZag32(uint64_t v) {
  const auto u = static_cast<uint32_t>(v);
  return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}
int64_t ZigZag64(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

// A scalar (number, bool or enum) from its wire bits, as the printer
// writes the parsed field.
void AppendScalar(const FieldPlan& w, uint64_t bits, std::string* out) {
  const FieldDescriptor& f = *w.field;
  switch (w.type) {
    case FieldDescriptor::TYPE_INT32:
      AppendInt(static_cast<int32_t>(bits), out);
      return;
    case FieldDescriptor::TYPE_SINT32:
      AppendInt(ZigZag32(bits), out);
      return;
    case FieldDescriptor::TYPE_SFIXED32:
      AppendInt(static_cast<int32_t>(static_cast<uint32_t>(bits)), out);
      return;
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
      AppendInt(static_cast<uint32_t>(bits), out);
      return;
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SFIXED64:
      AppendQuotedInt(static_cast<int64_t>(bits), out);
      return;
    case FieldDescriptor::TYPE_SINT64:
      AppendQuotedInt(ZigZag64(bits), out);
      return;
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64:
      AppendQuotedInt(bits, out);
      return;
    case FieldDescriptor::TYPE_FLOAT: {
      float v;
      const auto u = static_cast<uint32_t>(bits);
      std::memcpy(&v, &u, sizeof v);
      AppendJsonFloat(v, out);
      return;
    }
    case FieldDescriptor::TYPE_DOUBLE: {
      double v;
      std::memcpy(&v, &bits, sizeof v);
      AppendJsonDouble(v, out);
      return;
    }
    case FieldDescriptor::TYPE_BOOL:
      out->append(bits != 0 ? "true" : "false");
      return;
    case FieldDescriptor::TYPE_ENUM: {
      const auto number = static_cast<int32_t>(bits);
      if (number >= 0 && static_cast<size_t>(number) < w.enum_json.size() &&
          !w.enum_json[number].empty()) {
        out->append(w.enum_json[number]);
      } else {
        AppendEnum(f, number, out);
      }
      return;
    }
    default:
      return;  // not a scalar
  }
}

class Printer {
 public:
  Printer(bool keep_gated, std::string* out) : keep_gated_(keep_gated), out_(out) {}

  bool Message(const TypePlan& plan, absl::string_view wire, int depth) {
    if (!plan.wire_readable || depth > 64) return false;
    // This message's values go on the end of the one list every level
    // shares (no allocation per message), and come off again at the end.
    const size_t base = values_.size();
    const bool ok = Fields(plan, wire, depth, base);
    values_.resize(base);
    return ok;
  }

 private:
  bool Fields(const TypePlan& plan, absl::string_view wire, int depth, const size_t base) {
    if (!Collect(plan, wire, &values_)) return false;
    // Declaration order; a field's values keep their wire order. Senders
    // write in field-number order, so usually there is nothing to sort.
    auto by_field = [](const Value& a, const Value& b) { return a.field < b.field; };
    if (!std::is_sorted(values_.begin() + base, values_.end(), by_field)) {
      std::stable_sort(values_.begin() + base, values_.end(), by_field);
    }
    const std::vector<Value>& values = values_;  // by index only: nested messages append
    out_->push_back('{');
    bool first = true;
    size_t at = base;
    absl::flat_hash_map<const google::protobuf::OneofDescriptor*, int> oneofs_sent;
    for (size_t i = 0; i < plan.fields.size(); ++i) {
      const FieldPlan& w = plan.fields[i];
      const size_t begin = at;
      while (at < values.size() && values[at].field == static_cast<int>(i)) ++at;
      const bool cleared = w.secret || (w.gated && !keep_gated_);
      const size_t count = cleared ? 0 : at - begin;
      if (!w.repeated && count == 0 && w.presence) continue;
      if (!w.repeated && count > 0) {
        if (const auto* oneof = w.oneof) {
          if (++oneofs_sent[oneof] > 1) return false;  // the parser keeps the last one
        }
        if (w.message != nullptr && count > 1) return false;  // pieces to merge
      }
      if (!first) out_->push_back(',');
      first = false;
      out_->append(w.key);
      if (w.repeated) {
        out_->push_back('[');
        bool first_item = true;
        for (size_t v = begin; v < begin + count; ++v) {
          if (!Items(w, Value(values[v]), depth, &first_item)) return false;
        }
        out_->push_back(']');
      } else if (count == 0) {
        out_->append(w.default_json);
      } else if (!One(w, Value(values[at - 1]), depth)) {  // the last one sent wins
        return false;
      }
    }
    out_->push_back('}');
    return true;
  }

  // The values of every known field of one message, in wire order.
  static bool Collect(const TypePlan& plan, absl::string_view wire, std::vector<Value>* values) {
    const char* p = wire.data();
    const char* const end = p + wire.size();
    while (p < end) {
      uint64_t tag;
      if (!ReadVarint(p, end, &tag)) return false;
      const uint64_t number = tag >> 3;
      const auto wire_type = static_cast<WireType>(tag & 7);
      Value v;
      v.wire = wire_type;
      switch (wire_type) {
        case kVarint:
          if (!ReadVarint(p, end, &v.bits)) return false;
          break;
        case kFixed64:
          if (end - p < 8) return false;
          std::memcpy(&v.bits, p, 8);  // little-endian, as x86 and the wire
          p += 8;
          break;
        case kFixed32: {
          if (end - p < 4) return false;
          uint32_t u;
          std::memcpy(&u, p, 4);
          v.bits = u;
          p += 4;
          break;
        }
        case kLength: {
          uint64_t size;
          if (!ReadVarint(p, end, &size) || size > static_cast<uint64_t>(end - p)) return false;
          v.bytes = absl::string_view(p, size);
          p += size;
          break;
        }
        default:
          return false;  // groups, or not a wire type
      }
      const int index = plan.IndexOf(number);
      if (index < 0) continue;  // unknown: the printer ignores it too
      const FieldPlan& w = plan.fields[index];
      // A repeated number may also come packed; anything else must match.
      const bool packed = wire_type == kLength && w.wire != kLength && w.repeated;
      if (wire_type != w.wire && !packed) return false;
      v.field = index;
      values->push_back(v);
    }
    return true;
  }

  // The value of a singular field.
  bool One(const FieldPlan& w, const Value& v, int depth) {
    if (w.wire != kLength) {
      AppendScalar(w, v.bits, out_);
      return true;
    }
    if (w.message != nullptr) return Message(*w.message, v.bytes, depth + 1);
    if (w.type == FieldDescriptor::TYPE_BYTES) {
      AppendJsonString(absl::Base64Escape(v.bytes), out_);
    } else {
      AppendJsonString(v.bytes, out_);
    }
    return true;
  }

  // The elements one wire value of a repeated field holds (several when packed).
  bool Items(const FieldPlan& w, const Value& v, int depth, bool* first) {
    const bool packed = v.wire == kLength && w.wire != kLength;
    if (!packed) {
      if (!*first) out_->push_back(',');
      *first = false;
      return One(w, v, depth);
    }
    const char* p = v.bytes.data();
    const char* const end = p + v.bytes.size();
    while (p < end) {
      uint64_t bits = 0;
      if (w.wire == kVarint) {
        if (!ReadVarint(p, end, &bits)) return false;
      } else {
        const int size = w.wire == kFixed64 ? 8 : 4;
        if (end - p < size) return false;
        std::memcpy(&bits, p, size);
        p += size;
      }
      if (!*first) out_->push_back(',');
      *first = false;
      AppendScalar(w, bits, out_);
    }
    return true;
  }

  const bool keep_gated_;
  std::string* const out_;
  std::vector<Value> values_;
};

}  // namespace

bool AppendWireJson(const Descriptor& type, absl::string_view wire, bool keep_gated,
                    std::string* out) {
  const TypePlan* plan = json_plan::PlanOf(type);
  if (plan == nullptr) return false;
  const size_t size = out->size();
  if (Printer(keep_gated, out).Message(*plan, wire, 0)) return true;
  out->resize(size);
  return false;
}

}  // namespace openencoder::gateway
