// Protocol Buffers wire format written by hand, for responses assembled from
// parts serialised in advance: SearchJobs copies each posting's bytes, kept
// from indexing time, instead of copying, serialising and destroying message
// objects on every call (search_index.cc). Fields are written as proto3's
// own serialiser does: zero numbers and empty strings are left out.
#ifndef OPENENCODER_SERVICES_JOBS_WIRE_WRITER_H_
#define OPENENCODER_SERVICES_JOBS_WIRE_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace openencoder::jobs::wire {

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

// A singular string field (left out when empty).
inline void AppendStringField(std::string& out, uint32_t field, absl::string_view text) {
  if (!text.empty()) AppendMessageField(out, field, text);
}

}  // namespace openencoder::jobs::wire

#endif  // OPENENCODER_SERVICES_JOBS_WIRE_WRITER_H_
