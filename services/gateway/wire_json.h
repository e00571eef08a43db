// A backend's answer printed as JSON straight from its wire bytes, without
// parsing it into a message first.
//
// Why: on the search route (ten hits, ~5 KB of JSON) parsing the answer,
// walking it by reflection and freeing it again was the largest share of
// the gateway's own CPU per request. This reads the bytes once, in the
// field order of the type's declaration, and writes exactly what
// AppendMessageJson (json_printer.h) writes for the parsed message after
// ClearSecretFields and, unless `keep_gated`, ClearGatedFields
// (proto_json.h): a cleared field prints as absent would (its default, or
// nothing for a message).
//
// It declines (returns false, `out` left as it was) whatever it does not
// print itself, and the caller parses and uses the printer instead: map
// fields, google.protobuf.* types, a singular message field or two members
// of one oneof sent in pieces (merging is the parser's job), groups, types
// outside the compiled-in pool, and malformed bytes.
#ifndef OPENENCODER_SERVICES_GATEWAY_WIRE_JSON_H_
#define OPENENCODER_SERVICES_GATEWAY_WIRE_JSON_H_

#include <google/protobuf/descriptor.h>

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::gateway {

bool AppendWireJson(const google::protobuf::Descriptor& type, absl::string_view wire,
                    bool keep_gated, std::string* out);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_WIRE_JSON_H_
