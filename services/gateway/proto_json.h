// Requests and responses travel as protobuf's own JSON mapping (lowerCamel
// names, enums by name, int64 as strings, Timestamps as RFC 3339), so no
// field is copied by hand and a proto change reaches the web API as is.
#ifndef OPENENCODER_SERVICES_GATEWAY_PROTO_JSON_H_
#define OPENENCODER_SERVICES_GATEWAY_PROTO_JSON_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/gateway/http_types.h"

namespace openencoder::gateway {

// Parses a JSON request body into `message` (an empty body is {}).
// INVALID_ARGUMENT with the parser's reason on malformed JSON or unknown fields.
absl::Status ParseJsonBody(absl::string_view body, google::protobuf::Message* message);

// Serialises with every field present (zeros and empty lists included), so a
// page script never has to guess defaults.
std::string ToJson(const google::protobuf::Message& message);

// Sets fields from query or path parameters. A name is a field's proto name
// or JSON name, dotted for nested messages ("filters.systems"); repeated
// fields take every occurrence; enums take the full value name, the name
// without the enum's prefix ("ICD10CM" for CODE_SYSTEM_ICD10CM), or a number;
// bools take true/false/1/0. INVALID_ARGUMENT names the bad parameter.
// Gateway-owned fields (see IsGatewayOwnedField) are refused as unknown.
absl::Status SetFieldsFromParams(const Params& params, google::protobuf::Message* message);

// Fields the gateway fills itself and clients may never set: the session
// token (it lives in the HttpOnly cookie), client address, user agent and
// request id. Also never documented in the OpenAPI document.
bool IsGatewayOwnedField(const google::protobuf::FieldDescriptor& field);

// Fields that must never leave the gateway in a response (the session
// token inside SessionToken).
bool IsSecretField(const google::protobuf::FieldDescriptor& field);

// Values for the gateway-owned top-level fields of a request.
struct GatewayFields {
  std::string session_token;
  std::string client_address;
  std::string user_agent;
  std::string request_id;
  std::string device_id;
};

// Overwrites every gateway-owned top-level string field `message` has with
// the gateway's value (whatever the client sent is discarded).
void SetGatewayFields(const GatewayFields& values, google::protobuf::Message* message);

// Clears every secret field anywhere in `message`.
void ClearSecretFields(google::protobuf::Message* message);

// What is public: a code, its official titles and its system (search
// engines and the teaser show them). What a code page gates (OpenEncoder's
// plain-language text and lay terms; notes, NCCI, MUE, crosswalks and fees
// live only in the page itself) reaches a browser only through the metered
// page route. True for the gated fields that other messages (search hits,
// lookups, browse and change lists) carry.
bool IsGatedField(const google::protobuf::FieldDescriptor& field);
// Clears every gated field anywhere in `message`.
void ClearGatedFields(google::protobuf::Message* message);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_PROTO_JSON_H_
