// absl::Time <-> google.protobuf.Timestamp, and the millisecond form Redis
// keeps (Lua compares plain numbers).
#ifndef OPENENCODER_SERVICES_COMMON_TIME_PROTO_H_
#define OPENENCODER_SERVICES_COMMON_TIME_PROTO_H_

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>

#include "absl/time/time.h"

namespace openencoder::common {

inline absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

inline void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts) {
  const int64_t nanos = absl::ToUnixNanos(t);
  ts->set_seconds(nanos / 1'000'000'000);
  ts->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
}

inline int64_t ToMillis(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000 + ts.nanos() / 1'000'000;
}

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_TIME_PROTO_H_
