// One mapping between absl::Status (used by every layer) and grpc::Status
// (used only at the RPC edge).
#ifndef OPENENCODER_SERVICES_COMMON_STATUS_H_
#define OPENENCODER_SERVICES_COMMON_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace openencoder::common {

// Maps code and message one to one (the numeric codes are the same by
// design). Payloads are not carried; the message must stand on its own.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for results of outgoing calls.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_STATUS_H_
