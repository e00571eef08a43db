// Protocol Buffers wire format written by hand, for hot responses assembled
// without message objects: jobs' SearchJobs copies each posting's bytes, kept
// from indexing time (services/jobs/search_index.cc); search's Search writes
// the SearchResponse straight from the engine's answer
// (services/search/request_mapping.cc). Fields are written as proto3's own
// serialiser does: zero numbers and empty strings are left out; a caller
// writes fields in number order.
#ifndef OPENENCODER_SERVICES_COMMON_WIRE_WRITER_H_
#define OPENENCODER_SERVICES_COMMON_WIRE_WRITER_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::common::wire {

inline void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// An int64 or enum field (negative numbers take ten bytes, as in protobuf).
inline void AppendInt64Field(std::string& out, uint32_t field, int64_t value) {
  if (value == 0) return;
  AppendVarint(out, uint64_t{field} << 3);  // wire type 0: varint
  AppendVarint(out, static_cast<uint64_t>(value));
}

// A length-delimited field that is always written: an embedded message or
// one element of a repeated bytes field.
inline void AppendMessageField(std::string& out, uint32_t field, absl::string_view bytes) {
  AppendVarint(out, uint64_t{field} << 3 | 2);  // wire type 2: length-delimited
  AppendVarint(out, bytes.size());
  out.append(bytes.data(), bytes.size());
}

// A double field, written as fixed64; protobuf leaves out only a double
// whose bits are all zero (so -0.0 is written).
inline void AppendDoubleField(std::string& out, uint32_t field, double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (bits == 0) return;
  AppendVarint(out, uint64_t{field} << 3 | 1);  // wire type 1: fixed64
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(bits >> (8 * i));
  out.append(bytes, 8);
}

// A singular string field (left out when empty).
inline void AppendStringField(std::string& out, uint32_t field, absl::string_view text) {
  if (!text.empty()) AppendMessageField(out, field, text);
}

}  // namespace openencoder::common::wire

#endif  // OPENENCODER_SERVICES_COMMON_WIRE_WRITER_H_
