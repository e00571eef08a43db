// How many code pages someone may still open, and per-plan feature rate
// limits. Per request: resolve the session (its own slot; for ConsumeView
// usually from the in-process SessionCache), then one atomic script on the
// account's keys (one slot), which also proves the session still alive.
//
// Never grants when the store cannot be asked: store failures come back as
// UNAVAILABLE. Thread-safe; everything passed in must outlive the object.
#ifndef OPENENCODER_SERVICES_ACCOUNT_METERING_H_
#define OPENENCODER_SERVICES_ACCOUNT_METERING_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/account/account_config.h"
#include "services/account/meter_store.h"
#include "services/account/session_manager.h"

namespace openencoder::account {

struct QuotaView {
  Plan plan = Plan::PLAN_UNSPECIFIED;
  bool unlimited = false;
  int64_t used = 0;
  int64_t limit = 0;      // -1 when unlimited
  int64_t remaining = 0;  // -1 when unlimited
  absl::Time window_end;
  std::string upgrade_hint;  // empty when nothing would lift the limit
};

struct ViewDecision {
  bool allowed = false;
  bool already_viewed = false;
  bool replayed = false;
  QuotaView quota;
};

struct RateDecision {
  bool allowed = false;
  int64_t remaining = 0;       // -1 when unlimited
  int64_t limit = 0;           // -1 when unlimited
  absl::Duration retry_after;  // zero when allowed
  absl::Duration window;
};

class Metering {
 public:
  Metering(const AccountConfig* config, SessionManager* sessions, MeterStore* meter)
      : config_(config), sessions_(sessions), meter_(meter) {}

  // INVALID_ARGUMENT (code or request id missing or malformed),
  // UNAUTHENTICATED, UNAVAILABLE.
  absl::StatusOr<ViewDecision> ConsumeView(absl::string_view token, const std::string& code,
                                           const std::string& request_id, absl::Time deadline);
  // The non-blocking path for the common case. CachedSession: the session
  // of `token` from the in-process copy (no store call), nullopt when the
  // copy holds none; then the caller uses the blocking ConsumeView. With a
  // session from it, ConsumeViewAsync decides as ConsumeView does and hands
  // the decision to `done`, possibly on another thread.
  using DecisionCallback = std::function<void(absl::StatusOr<ViewDecision>)>;
  std::optional<SessionRecord> CachedSession(absl::string_view token);
  void ConsumeViewAsync(const SessionRecord& session, absl::string_view token,
                        const std::string& code, const std::string& request_id, absl::Time deadline,
                        DecisionCallback done);
  absl::StatusOr<QuotaView> GetQuota(absl::string_view token, absl::Time deadline);
  // A view's request id counts once for this session and `code`; the same
  // id with another code is a new view.
  // INVALID_ARGUMENT (unknown feature), UNAUTHENTICATED, UNAVAILABLE.
  // A non-empty `request_id` counts once within (session, `scope`): a retry
  // of the same question is free, the same id with another scope is a use.
  absl::StatusOr<RateDecision> CheckRate(absl::string_view token, const std::string& feature,
                                         const std::string& request_id, absl::string_view scope,
                                         absl::Time deadline);

 private:
  QuotaView ToQuota(const ViewOutcome& v, const Window& window) const;
  // The decision for the meter's outcome `v`; forgets the session's copy
  // when the meter refused it.
  absl::StatusOr<ViewDecision> Decide(absl::string_view token, const Window& month,
                                      const absl::StatusOr<ViewOutcome>& v);

  const AccountConfig* config_;
  SessionManager* sessions_;
  MeterStore* meter_;
};

// The stored form of a feature-use request id: a hash of the session id,
// the scope and the id, unambiguous however long the scope is.
std::string RateKey(absl::string_view session_id, absl::string_view scope,
                    absl::string_view request_id);

// Codes and request ids: 1..64 characters of [A-Za-z0-9:._-].
bool IsValidMeterToken(absl::string_view text);

}  // namespace openencoder::account

#endif  // OPENENCODER_SERVICES_ACCOUNT_METERING_H_
