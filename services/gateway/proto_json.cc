#include "services/gateway/proto_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "services/gateway/json_printer.h"

namespace openencoder::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const FieldDescriptor* FindField(const Descriptor& d, absl::string_view name) {
  std::string n(name);
  const FieldDescriptor* f = d.FindFieldByName(n);
  if (f == nullptr) f = d.FindFieldByCamelcaseName(n);
  if (f == nullptr) {
    for (int i = 0; i < d.field_count(); ++i) {
      if (d.field(i)->json_name() == n) return d.field(i);
    }
  }
  return f;
}

const EnumValueDescriptor* FindEnumValue(const EnumDescriptor& e, absl::string_view text) {
  std::string upper = absl::AsciiStrToUpper(text);
  if (const EnumValueDescriptor* v = e.FindValueByName(upper)) return v;
  int number = 0;
  if (absl::SimpleAtoi(text, &number)) return e.FindValueByNumber(number);
  // "ICD10CM" for CODE_SYSTEM_ICD10CM: the value whose name ends in _ICD10CM.
  const EnumValueDescriptor* match = nullptr;
  for (int i = 0; i < e.value_count(); ++i) {
    if (absl::EndsWith(e.value(i)->name(), absl::StrCat("_", upper))) {
      if (match != nullptr) return nullptr;  // ambiguous
      match = e.value(i);
    }
  }
  return match;
}

absl::Status BadParam(absl::string_view name, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("parameter '", name, "': ", why));
}

absl::Status SetScalar(Message* m, const FieldDescriptor* f, absl::string_view name,
                       absl::string_view text) {
  const Reflection* r = m->GetReflection();
  bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v(text);
      rep ? r->AddString(m, f, v) : r->SetString(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(text, &v)) return BadParam(name, "expected a whole number");
      rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(text, &v)) return BadParam(name, "expected a whole number");
      rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(text, &v)) return BadParam(name, "expected a whole number");
      rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(text, &v)) return BadParam(name, "expected a whole number");
      rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return BadParam(name, "expected a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        rep ? r->AddFloat(m, f, static_cast<float>(v)) : r->SetFloat(m, f, static_cast<float>(v));
      } else {
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(text, &v)) return BadParam(name, "expected true or false");
      rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* v = FindEnumValue(*f->enum_type(), text);
      if (v == nullptr) return BadParam(name, absl::StrCat("unknown value '", text, "'"));
      rep ? r->AddEnum(m, f, v) : r->SetEnum(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  // A message given as one parameter (a Timestamp, say): its JSON form.
  Message* target = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
  std::string json = absl::StrCat("\"", text, "\"");
  if (!google::protobuf::util::JsonStringToMessage(json, target).ok()) {
    return BadParam(name, "not a valid value");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsGatewayOwnedField(const FieldDescriptor& field) {
  if (field.type() != FieldDescriptor::TYPE_STRING || field.is_repeated()) return false;
  const std::string& n = field.name();
  return n == "session_token" || n == "guest_session_token" || n == "client_address" ||
         n == "user_agent" || n == "request_id" || n == "device_id" || n == "operator_token";
}

bool IsSecretField(const FieldDescriptor& field) {
  return field.full_name() == "openencoder.account.v1.SessionToken.token";
}

absl::Status ParseJsonBody(absl::string_view body, Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field is the client's bug: say so
  absl::string_view text = absl::StripAsciiWhitespace(body);
  if (text.empty()) text = "{}";
  auto status = google::protobuf::util::JsonStringToMessage(std::string(text), message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "The request body is not valid JSON for this request: ", std::string(status.message())));
  }
  return absl::OkStatus();
}

std::string ToJson(const Message& message) {
  // Room for what this thread printed lately: a search answer (~5 KB)
  // otherwise grows the string three times, copying it each time.
  thread_local size_t room = 1024;
  std::string out;
  out.reserve(room);
  AppendMessageJson(message, &out);
  room = std::clamp(out.size() + out.size() / 4, room / 2, size_t{64} << 10);
  return out;
}

absl::Status SetFieldsFromParams(const Params& params, Message* message) {
  for (const auto& [name, value] : params) {
    Message* m = message;
    const FieldDescriptor* f = nullptr;
    std::vector<absl::string_view> parts = absl::StrSplit(name, '.');
    for (size_t i = 0; i < parts.size(); ++i) {
      f = FindField(*m->GetDescriptor(), parts[i]);
      if (f == nullptr || IsGatewayOwnedField(*f)) return BadParam(name, "unknown parameter");
      if (i + 1 < parts.size()) {
        if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
          return BadParam(name, "unknown parameter");
        }
        m = m->GetReflection()->MutableMessage(m, f);
      }
    }
    if (f->is_map()) return BadParam(name, "not settable from a URL");
    absl::Status s = SetScalar(m, f, name, value);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

void SetGatewayFields(const GatewayFields& values, Message* message) {
  const Descriptor* d = message->GetDescriptor();
  const Reflection* r = message->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!IsGatewayOwnedField(*f)) continue;
    const std::string& n = f->name();
    if (n == "session_token" || n == "guest_session_token") {
      r->SetString(message, f, values.session_token);
    } else if (n == "client_address") {
      r->SetString(message, f, values.client_address);
    } else if (n == "user_agent") {
      r->SetString(message, f, values.user_agent);
    } else if (n == "request_id") {
      r->SetString(message, f, values.request_id);
    } else if (n == "device_id") {
      r->SetString(message, f, values.device_id);
    } else {
      r->ClearField(message, f);  // operator_token: never from a browser
    }
  }
}

namespace {

using FieldPred = bool (*)(const FieldDescriptor&);

// What to clear in messages of one type, worked out once per type from its
// descriptor: the fields that match, and the message fields under which
// one matches (at any depth). Walking every set field of every message
// with ListFields and comparing full names was 8 % of the search route's
// CPU; most types have nothing to clear and their plans are empty.
struct ClearPlan {
  std::vector<const FieldDescriptor*> clear;
  std::vector<std::pair<const FieldDescriptor*, const ClearPlan*>> descend;
  bool empty() const { return clear.empty() && descend.empty(); }
};

class ClearPlans {
 public:
  const ClearPlan& For(const Descriptor* d, FieldPred pred) {
    {
      absl::ReaderMutexLock lock(&mu_);
      if (auto it = plans_.find(std::make_pair(d, pred)); it != plans_.end()) return *it->second;
    }
    absl::MutexLock lock(&mu_);
    return *BuildLocked(d, pred);
  }

 private:
  const ClearPlan* BuildLocked(const Descriptor* d, FieldPred pred)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto [it, added] = plans_.try_emplace(std::make_pair(d, pred));
    if (!added) return it->second.get();  // built, or being built (a recursive type)
    it->second = std::make_unique<ClearPlan>();
    ClearPlan* plan = it->second.get();
    building_.insert(std::make_pair(d, pred));
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (pred(*f)) {
        plan->clear.push_back(f);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const ClearPlan* sub = BuildLocked(f->message_type(), pred);
        // A type still being built (a recursive one) may yet get fields to clear.
        if (!sub->empty() || building_.contains(std::make_pair(f->message_type(), pred))) {
          plan->descend.emplace_back(f, sub);
        }
      }
    }
    building_.erase(std::make_pair(d, pred));
    return plan;
  }

  absl::Mutex mu_;
  // Plans are never freed: their addresses are held by other plans.
  absl::flat_hash_map<std::pair<const Descriptor*, FieldPred>, std::unique_ptr<ClearPlan>> plans_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::pair<const Descriptor*, FieldPred>> building_ ABSL_GUARDED_BY(mu_);
};

void ApplyPlan(Message* message, const ClearPlan& plan) {
  const Reflection* r = message->GetReflection();
  for (const FieldDescriptor* f : plan.clear) r->ClearField(message, f);
  for (const auto& [f, sub] : plan.descend) {
    if (f->is_repeated()) {
      const int n = r->FieldSize(*message, f);
      for (int i = 0; i < n; ++i) ApplyPlan(r->MutableRepeatedMessage(message, f, i), *sub);
    } else if (r->HasField(*message, f)) {
      ApplyPlan(r->MutableMessage(message, f), *sub);
    }
  }
}

void ClearFieldsWhere(Message* message, FieldPred pred) {
  static ClearPlans* const plans = new ClearPlans();
  ApplyPlan(message, plans->For(message->GetDescriptor(), pred));
}

}  // namespace

void ClearSecretFields(Message* message) { ClearFieldsWhere(message, IsSecretField); }

bool IsGatedField(const FieldDescriptor& field) {
  const std::string& n = field.full_name();
  return n == "openencoder.catalogue.v1.CodeSummary.plain_language" ||
         n == "openencoder.catalogue.v1.CodeSummary.lay_terms" ||
         n == "openencoder.search.v1.SearchHit.plain_language";
}

void ClearGatedFields(Message* message) { ClearFieldsWhere(message, IsGatedField); }

}  // namespace openencoder::gateway
