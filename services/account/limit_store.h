// Fixed-window counters for abuse limits that are not per account: failed
// logins per email and per address, guest sessions and registrations per
// address. Buckets are opaque names such as "login:e:<email-hash>".
//
// Errors: UNAVAILABLE when the store cannot be reached in time.
#ifndef OPENENCODER_SERVICES_ACCOUNT_LIMIT_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_LIMIT_STORE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace openencoder::account {

struct CounterState {
  int64_t count = 0;
  absl::Duration resets_in;  // zero when the counter does not exist
};

class LimitStore {
 public:
  virtual ~LimitStore() = default;

  virtual absl::StatusOr<CounterState> Get(const std::string& bucket, absl::Time deadline) = 0;
  // Adds one; the first increment starts a window of `window`.
  virtual absl::StatusOr<CounterState> Increment(const std::string& bucket, absl::Duration window,
                                                 absl::Time deadline) = 0;
  virtual absl::Status Reset(const std::string& bucket, absl::Time deadline) = 0;
  // Takes one back (never below zero; the window is kept): for an attempt
  // that was counted before it turned out to be a success.
  virtual absl::Status Decrement(const std::string& bucket, absl::Time deadline) = 0;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_LIMIT_STORE_H_
