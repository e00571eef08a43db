#include "services/gateway/openapi.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/log.h"
#include "services/gateway/csrf.h"
#include "services/gateway/proto_json.h"
#include "services/gateway/router.h"

namespace openencoder::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

std::string Q(absl::string_view s) { return absl::StrCat("\"", common::JsonEscape(s), "\""); }

std::string Ref(const Descriptor& d) {
  return absl::StrCat("{\"$ref\":\"#/components/schemas/", d.full_name(), "\"}");
}

bool IsWellKnown(const Descriptor& d) {
  return d.full_name() == "google.protobuf.Timestamp" ||
         d.full_name() == "google.protobuf.Duration";
}

class SchemaSet {
 public:
  // The schema of one value of `f` (not the repeated wrapper).
  std::string ValueSchema(const FieldDescriptor& f) {
    switch (f.type()) {
      case FieldDescriptor::TYPE_STRING:
        return "{\"type\":\"string\"}";
      case FieldDescriptor::TYPE_BYTES:
        return "{\"type\":\"string\",\"format\":\"byte\"}";
      case FieldDescriptor::TYPE_BOOL:
        return "{\"type\":\"boolean\"}";
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
        return "{\"type\":\"number\"}";
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_FIXED64:
      case FieldDescriptor::TYPE_SFIXED64:
        return "{\"type\":\"string\",\"format\":\"int64\"}";
      case FieldDescriptor::TYPE_ENUM: {
        std::vector<std::string> names;
        for (int i = 0; i < f.enum_type()->value_count(); ++i) {
          names.push_back(Q(f.enum_type()->value(i)->name()));
        }
        return absl::StrCat("{\"type\":\"string\",\"enum\":[", absl::StrJoin(names, ","), "]}");
      }
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP: {
        const Descriptor& m = *f.message_type();
        if (m.full_name() == "google.protobuf.Timestamp") {
          return "{\"type\":\"string\",\"format\":\"date-time\"}";
        }
        if (m.full_name() == "google.protobuf.Duration") {
          return "{\"type\":\"string\",\"description\":\"seconds with an s suffix, e.g. "
                 "\\\"1.5s\\\"\"}";
        }
        Add(m);
        return Ref(m);
      }
      default:
        return "{\"type\":\"integer\",\"format\":\"int32\"}";
    }
  }

  std::string FieldSchema(const FieldDescriptor& f) {
    if (f.is_map()) {
      return absl::StrCat("{\"type\":\"object\",\"additionalProperties\":",
                          ValueSchema(*f.message_type()->map_value()), "}");
    }
    if (f.is_repeated()) return absl::StrCat("{\"type\":\"array\",\"items\":", ValueSchema(f), "}");
    return ValueSchema(f);
  }

  void Add(const Descriptor& d) {
    if (IsWellKnown(d) || schemas_.count(d.full_name()) > 0) return;
    schemas_[d.full_name()] = "";  // placeholder against recursion
    std::vector<std::string> props;
    for (int i = 0; i < d.field_count(); ++i) {
      const FieldDescriptor& f = *d.field(i);
      if (IsGatewayOwnedField(f) || IsSecretField(f)) continue;
      props.push_back(absl::StrCat(Q(f.json_name()), ":", FieldSchema(f)));
    }
    schemas_[d.full_name()] =
        absl::StrCat("{\"type\":\"object\",\"properties\":{", absl::StrJoin(props, ","), "}}");
  }

  std::string Json() const {
    std::vector<std::string> parts;
    for (const auto& [name, schema] : schemas_) parts.push_back(absl::StrCat(Q(name), ":", schema));
    return absl::StrJoin(parts, ",");
  }

 private:
  std::map<std::string, std::string> schemas_;
};

// Query parameters of a GET/DELETE route: the request's fields minus path
// and gateway-owned ones; one level of nested messages as "filters.states".
std::vector<std::string> QueryParameters(const Descriptor& d, const std::set<std::string>& path,
                                         SchemaSet& schemas) {
  std::vector<std::string> out;
  auto param = [&](const std::string& name, const FieldDescriptor& f) {
    out.push_back(absl::StrCat("{\"name\":", Q(name), ",\"in\":\"query\",\"required\":false",
                               f.is_repeated() ? ",\"explode\":true" : "",
                               ",\"schema\":", schemas.FieldSchema(f), "}"));
  };
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor& f = *d.field(i);
    if (IsGatewayOwnedField(f) || path.count(f.name()) > 0) continue;
    if (f.type() == FieldDescriptor::TYPE_MESSAGE && !f.is_repeated() &&
        !IsWellKnown(*f.message_type())) {
      const Descriptor& inner = *f.message_type();
      for (int j = 0; j < inner.field_count(); ++j) {
        const FieldDescriptor& g = *inner.field(j);
        if (g.type() == FieldDescriptor::TYPE_MESSAGE && !IsWellKnown(*g.message_type())) continue;
        param(absl::StrCat(f.name(), ".", g.name()), g);
      }
      continue;
    }
    if (f.type() == FieldDescriptor::TYPE_MESSAGE && f.is_repeated()) continue;
    param(f.name(), f);
  }
  return out;
}

// Schemas a hand-written response schema names by $ref
// ("#/components/schemas/openencoder.account.v1.ValidateSessionResponse")
// are added from the generated descriptor pool, so the document never
// points at a schema it does not define. Names that are not messages are
// left for the validator test to catch.
void AddReferencedSchemas(absl::string_view json, SchemaSet& schemas) {
  static constexpr absl::string_view kPrefix = "#/components/schemas/";
  for (size_t at = json.find(kPrefix); at != absl::string_view::npos;
       at = json.find(kPrefix, at + kPrefix.size())) {
    const size_t start = at + kPrefix.size();
    const size_t end = json.find('"', start);
    if (end == absl::string_view::npos) break;
    const std::string name(json.substr(start, end - start));
    const Descriptor* d =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(name);
    if (d != nullptr) schemas.Add(*d);
  }
}

std::string ReasonFor(int status) {
  switch (status) {
    case 400:
      return "The request is malformed; the message says what to fix.";
    case 401:
      return "No valid session: sign in.";
    case 403:
      return "Not allowed, or the CSRF check failed.";
    case 404:
      return "No such resource.";
    case 409:
      return "The resource's state conflicts with the request.";
    case 429:
      return "Too many requests; see Retry-After.";
    case 503:
      return "A service behind the gateway is not answering; see Retry-After.";
    default:
      return "Error.";
  }
}

}  // namespace

std::string BuildOpenApiDocument(const std::vector<RouteSpec>& routes, absl::string_view version) {
  SchemaSet schemas;
  // path -> method -> operation
  std::map<std::string, std::map<std::string, std::string>> paths;
  for (const RouteSpec& r : routes) {
    std::vector<std::string> params;
    std::set<std::string> path_names;
    for (const std::string& name : PathParamNames(r.path)) {
      path_names.insert(name);
      params.push_back(absl::StrCat("{\"name\":", Q(name),
                                    ",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":"
                                    "\"string\"}}"));
    }
    bool has_body = r.method == "POST" || r.method == "PUT" || r.method == "PATCH";
    if (!has_body && r.request != nullptr) {
      for (std::string& p : QueryParameters(*r.request, path_names, schemas)) {
        params.push_back(std::move(p));
      }
    }
    // Every write the gateway CSRF-checks (gateway.cc) says so here, DELETE
    // included; exempt routes (signed server-to-server posts) say that.
    const bool csrf_checked = !IsSafeMethod(r.method) && !r.csrf_exempt;
    if (csrf_checked) {
      params.push_back(
          "{\"name\":\"X-CSRF-Token\",\"in\":\"header\",\"required\":true,\"description\":"
          "\"the value of the oe_csrf cookie\",\"schema\":{\"type\":\"string\"}}");
    }
    std::string op =
        absl::StrCat("{\"tags\":[", Q(r.tag), "],\"summary\":", Q(r.summary),
                     ",\"operationId\":", Q(absl::StrCat(absl::AsciiStrToLower(r.method), r.path)));
    if (!params.empty()) absl::StrAppend(&op, ",\"parameters\":[", absl::StrJoin(params, ","), "]");
    if (r.csrf_exempt) absl::StrAppend(&op, ",\"x-csrf-exempt\":true");
    if (has_body && r.request != nullptr) {
      schemas.Add(*r.request);
      absl::StrAppend(&op,
                      ",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":"
                      "{\"schema\":",
                      Ref(*r.request), "}}}");
    }
    std::string ok_schema = "{\"type\":\"object\"}";
    if (r.response != nullptr) {
      schemas.Add(*r.response);
      ok_schema = Ref(*r.response);
    } else if (!r.response_schema.empty()) {
      ok_schema = r.response_schema;
      AddReferencedSchemas(ok_schema, schemas);
    }
    absl::StrAppend(
        &op, ",\"responses\":{\"200\":{\"description\":\"OK\",\"content\":{",
        r.path == "/openapi.json" || r.path.rfind("/api/", 0) == 0 || r.path == "/healthz"
            ? "\"application/json\""
            : "\"text/html\"",
        ":{\"schema\":", ok_schema, "}}}");
    for (int e : r.errors) {
      absl::StrAppend(&op, ",\"", e, "\":{\"description\":", Q(ReasonFor(e)),
                      ",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/"
                      "schemas/Error\"}}}}");
    }
    absl::StrAppend(&op, "}}");
    paths[r.path][absl::AsciiStrToLower(r.method)] = std::move(op);
  }
  std::vector<std::string> path_json;
  for (const auto& [path, ops] : paths) {
    std::vector<std::string> o;
    for (const auto& [method, op] : ops) o.push_back(absl::StrCat(Q(method), ":", op));
    path_json.push_back(absl::StrCat(Q(path), ":{", absl::StrJoin(o, ","), "}"));
  }
  return absl::StrCat(
      "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"OpenEncoder gateway\",\"version\":", Q(version),
      ",\"description\":\"REST/JSON over the OpenEncoder gRPC services. Sessions live in the "
      "HttpOnly oe_session cookie; state-changing requests need X-CSRF-Token equal to the "
      "oe_csrf cookie. Errors are {error:{code,status,message,requestId}}.\"},"
      "\"paths\":{",
      absl::StrJoin(path_json, ","),
      "},\"components\":{\"securitySchemes\":{\"session\":{\"type\":\"apiKey\",\"in\":\"cookie\","
      "\"name\":\"oe_session\"}},\"schemas\":{\"Error\":{\"type\":\"object\",\"properties\":{"
      "\"error\":{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"integer\"},"
      "\"status\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},\"requestId\":{"
      "\"type\":\"string\"}}}}}",
      schemas.Json().empty() ? "" : ",", schemas.Json(), "}},\"security\":[{},{\"session\":[]}]}");
}

}  // namespace openencoder::gateway
