// Protobuf's JSON mapping written straight from reflection into a string.
//
// Why not google::protobuf::util::MessageToJsonString: in protobuf 3.21 it
// serialises the message to binary, then re-reads the bytes through a
// TypeResolver and an object-writer pipeline, allocating per field. On the
// gateway's hottest route (search, ten hits) that was the largest single
// cost of a request. This printer walks the message once.
//
// Output is what MessageToJsonString gives with
// always_print_primitive_fields = true (tests check both parse back to the
// same message): lowerCamel json names, fields in declaration order,
// singular scalars and repeated fields always present (zeros, "", []),
// unset message fields and oneof members left out, int64 kinds as strings,
// enums by name (the number when unknown), bytes as base64, NaN/Infinity as
// strings. google.protobuf.* messages (Timestamp, Duration, wrappers...) are
// handed to the library, which knows their special forms. Strings are
// escaped for JSON with <, > and & also escaped, so the text is safe inside
// HTML as well. Invalid UTF-8 is passed through as is (protobuf's own
// parser rejects it at the service, so it does not reach here).
//
// Thread-safe: the per-type print plans are built once under a lock.
#ifndef OPENENCODER_SERVICES_GATEWAY_JSON_PRINTER_H_
#define OPENENCODER_SERVICES_GATEWAY_JSON_PRINTER_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::gateway {

// Appends the JSON object for `message` to `out`.
void AppendMessageJson(const google::protobuf::Message& message, std::string* out);

// Appends `text` as a JSON string (quoted, escaped as above).
void AppendJsonString(absl::string_view text, std::string* out);

// Appends a float or double field's value as above (shortest text that reads
// back the same; NaN and the infinities as strings).
void AppendJsonFloat(float value, std::string* out);
void AppendJsonDouble(double value, std::string* out);

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_JSON_PRINTER_H_
