// Where view counts and feature-use counters live. Each call is one atomic
// step on one account's keys (one Redis Cluster slot).
//
// Errors common to every method: UNAVAILABLE when the store cannot be reached
// in time (for ConsumeView/CountUse: the view may or may not have been
// counted; a retry with the same request id counts it at most once);
// UNAUTHENTICATED when the account no longer exists.
#ifndef OPENENCODER_SERVICES_ACCOUNT_METER_STORE_H_
#define OPENENCODER_SERVICES_ACCOUNT_METER_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/account/account_types.h"
#include "services/account/time_windows.h"

namespace openencoder::account {

struct ViewOutcome {
  bool allowed = false;
  bool already_viewed = false;  // the code was opened before in this window
  bool replayed = false;        // the request id was seen before
  int64_t used = 0;             // distinct codes opened in the window
  int64_t limit = 0;            // PlanLimits::kUnlimited for no cap
  Plan plan = Plan::PLAN_UNSPECIFIED;
};

struct UseOutcome {
  bool allowed = false;
  int64_t used = 0;
  int64_t limit = 0;
  Plan plan = Plan::PLAN_UNSPECIFIED;
};

class MeterStore {
 public:
  virtual ~MeterStore() = default;

  // Opens `code` for the session's account in `window`, reading the
  // account's plan and applying `limits` to it, all in one atomic step;
  // remembers `request_id`, bound to the session and the code, with its
  // outcome until the window ends (the same id with another code is a new
  // view). The session may be a copy from an earlier SessionStore::Touch
  // (epoch check left to this call): this call proves it is still alive,
  // UNAUTHENTICATED when it is no longer in the account's session index
  // (ended or revoked) or a password change has revoked it. A free account
  // without a verified email gets the guest's limit.
  virtual absl::StatusOr<ViewOutcome> ConsumeView(const SessionRecord& session,
                                                  const Window& window, const std::string& code,
                                                  const std::string& request_id,
                                                  const PlanLimits& limits,
                                                  absl::Time deadline) = 0;
  // ConsumeView without blocking the caller: `done` gets the outcome,
  // possibly on another thread (the Redis store sends concurrent calls in
  // one pipeline). RESOURCE_EXHAUSTED, with a retry-after, when too many wait.
  // This default answers inline.
  using ViewCallback = std::function<void(absl::StatusOr<ViewOutcome>)>;
  virtual void ConsumeViewAsync(const SessionRecord& session, const Window& window,
                                const std::string& code, const std::string& request_id,
                                const PlanLimits& limits, absl::Time deadline, ViewCallback done) {
    done(ConsumeView(session, window, code, request_id, limits, deadline));
  }
  // The meter without changing it (`allowed` is whether one more new code
  // would be allowed).
  virtual absl::StatusOr<ViewOutcome> PeekViews(const std::string& account_id, const Window& window,
                                                const PlanLimits& limits, absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<std::string>> ViewedCodes(const std::string& account_id,
                                                               const Window& window,
                                                               absl::Time deadline) = 0;
  // Adds codes to the account's opened set (a set union: repeating it
  // changes nothing, which is what makes the guest carry-over crash-safe).
  virtual absl::Status AddViewedCodes(const std::string& account_id, const Window& window,
                                      const std::vector<std::string>& codes,
                                      absl::Time deadline) = 0;
  // Counts one use of `feature` in `window` unless the limit is reached; a
  // non-empty `request_id` already counted is not counted again.
  virtual absl::StatusOr<UseOutcome> CountUse(const std::string& account_id,
                                              const std::string& feature, const Window& window,
                                              const std::string& request_id,
                                              const PlanLimits& limits, absl::Time deadline) = 0;
};

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_METER_STORE_H_
