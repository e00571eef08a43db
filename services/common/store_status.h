// What a store call's error means to the caller of a service: a passed
// deadline and a dead connection both mean "the store did not answer",
// which the APIs promise as UNAVAILABLE. One definition for every store.
#ifndef OPENENCODER_SERVICES_COMMON_STORE_STATUS_H_
#define OPENENCODER_SERVICES_COMMON_STORE_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace openencoder::common {

// UNAVAILABLE "the <store> did not answer in time: ..." for
// DEADLINE_EXCEEDED; every other status as it is.
inline absl::Status StoreStatus(absl::Status status, absl::string_view store) {
  if (absl::IsDeadlineExceeded(status)) {
    return absl::UnavailableError(
        absl::StrCat("the ", store, " did not answer in time: ", status.message()));
  }
  return status;
}

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_STORE_STATUS_H_
