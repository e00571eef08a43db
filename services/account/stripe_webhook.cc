#include "services/account/stripe_webhook.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/signed_body.h"

namespace openencoder::account {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

const Value* Field(const Struct& s, const std::string& name) {
  auto it = s.fields().find(name);
  return it == s.fields().end() ? nullptr : &it->second;
}

std::string StringField(const Struct& s, const std::string& name) {
  const Value* v = Field(s, name);
  return v != nullptr && v->kind_case() == Value::kStringValue ? v->string_value() : "";
}

std::optional<int64_t> NumberField(const Struct& s, const std::string& name) {
  const Value* v = Field(s, name);
  if (v == nullptr || v->kind_case() != Value::kNumberValue) return std::nullopt;
  return static_cast<int64_t>(v->number_value());
}

const Struct* StructField(const Struct& s, const std::string& name) {
  const Value* v = Field(s, name);
  return v != nullptr && v->kind_case() == Value::kStructValue ? &v->struct_value() : nullptr;
}

}  // namespace

std::string StripeSignatureHeader(absl::string_view secret, absl::Time t,
                                  absl::string_view payload) {
  const std::string ts = absl::StrCat(absl::ToUnixSeconds(t));
  return absl::StrCat("t=", ts, ",v1=", common::SignTimestampedBody(secret, ts, payload));
}

absl::Status VerifyStripeSignature(absl::string_view secret, absl::string_view header,
                                   absl::string_view payload, absl::Time now,
                                   absl::Duration tolerance) {
  if (secret.empty()) {
    return absl::FailedPreconditionError("no billing webhook secret is configured");
  }
  if (header.empty()) return absl::InvalidArgumentError("no Stripe-Signature header");
  std::string timestamp;
  std::vector<std::string> signatures;
  for (absl::string_view item : absl::StrSplit(header, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(absl::StripAsciiWhitespace(item), absl::MaxSplits('=', 1));
    if (kv.first == "t") timestamp = std::string(kv.second);
    if (kv.first == "v1") signatures.emplace_back(kv.second);
  }
  int64_t seconds = 0;
  if (timestamp.empty() || !absl::SimpleAtoi(timestamp, &seconds)) {
    return absl::InvalidArgumentError("the signature header has no timestamp");
  }
  if (signatures.empty()) return absl::InvalidArgumentError("the signature header has no v1");
  if (absl::AbsDuration(now - absl::FromUnixSeconds(seconds)) > tolerance) {
    return absl::InvalidArgumentError("the signature's timestamp is outside the tolerance");
  }
  const std::string expected = common::SignTimestampedBody(secret, timestamp, payload);
  bool matched = false;
  // Every candidate is compared (no early exit), each in constant time.
  for (const std::string& given : signatures) {
    if (common::SameSignature(given, expected)) matched = true;
  }
  if (!matched) return absl::InvalidArgumentError("no signature matches the payload");
  return absl::OkStatus();
}

absl::StatusOr<BillingEvent> ParseBillingEvent(absl::string_view payload) {
  Struct root;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(std::string(payload), &root, options).ok()) {
    return absl::InvalidArgumentError("the body is not a JSON object");
  }
  BillingEvent e;
  e.id = StringField(root, "id");
  e.type = StringField(root, "type");
  if (e.id.empty() || e.type.empty()) {
    return absl::InvalidArgumentError("the event has no id or type");
  }
  if (std::optional<int64_t> created = NumberField(root, "created")) {
    e.created = absl::FromUnixSeconds(*created);
  }
  const Struct* data = StructField(root, "data");
  const Struct* object = data != nullptr ? StructField(*data, "object") : nullptr;
  if (object == nullptr) return e;
  e.client_reference_id = StringField(*object, "client_reference_id");
  e.customer = StringField(*object, "customer");
  e.status = StringField(*object, "status");
  const Value* cancel = Field(*object, "cancel_at_period_end");
  e.cancel_at_period_end =
      cancel != nullptr && cancel->kind_case() == Value::kBoolValue && cancel->bool_value();
  const std::string object_kind = StringField(*object, "object");
  e.subscription = object_kind == "subscription" ? StringField(*object, "id")
                                                 : StringField(*object, "subscription");
  std::optional<int64_t> period_end = NumberField(*object, "current_period_end");
  if (!period_end.has_value()) {
    // Newer API versions keep the period on the subscription's items.
    if (const Struct* items = StructField(*object, "items")) {
      const Value* list = Field(*items, "data");
      if (list != nullptr && list->kind_case() == Value::kListValue &&
          list->list_value().values_size() > 0 &&
          list->list_value().values(0).kind_case() == Value::kStructValue) {
        period_end = NumberField(list->list_value().values(0).struct_value(), "current_period_end");
      }
    }
  }
  if (period_end.has_value()) e.current_period_end = absl::FromUnixSeconds(*period_end);
  return e;
}

}  // namespace openencoder::account
