#include "services/account/metering.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/account/session_tokens.h"
#include "services/account/time_windows.h"

namespace openencoder::account {

std::string RateKey(absl::string_view session_id, absl::string_view scope,
                    absl::string_view request_id) {
  return TokenHash(
      absl::StrCat(session_id.size(), ":", session_id, scope.size(), ":", scope, request_id));
}

bool IsValidMeterToken(absl::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '_' ||
           c == '-';
  });
}

QuotaView Metering::ToQuota(const ViewOutcome& v, const Window& window) const {
  QuotaView q;
  q.plan = v.plan;
  q.unlimited = v.limit < 0;
  q.used = v.used;
  q.limit = v.limit;
  q.remaining = q.unlimited ? -1 : std::max<int64_t>(0, v.limit - v.used);
  q.window_end = window.end;
  const int64_t free = config_->views_per_month.free;
  if (v.plan == Plan::PLAN_FREE && v.limit != free) {
    // The store gave a free account the guest's allowance: its email is not
    // verified yet.
    q.upgrade_hint = free < 0 ? "Confirm your email address for unlimited views"
                              : absl::StrCat("Confirm your email address to get ",
                                             std::max<int64_t>(0, free - v.limit), " more views");
  } else if (v.plan == Plan::PLAN_GUEST) {
    q.upgrade_hint = free < 0 ? "Register a free account for unlimited views"
                              : absl::StrCat("Register a free account to get ",
                                             std::max<int64_t>(0, free - v.limit), " more views");
  } else if (!q.unlimited) {
    q.upgrade_hint = "Upgrade to Pro for unlimited views";
  }
  return q;
}

namespace {

absl::Status CheckViewRequest(const std::string& code, const std::string& request_id) {
  if (!IsValidMeterToken(code)) {
    return absl::InvalidArgumentError(
        "code is required: 1 to 64 characters of letters, digits and : . _ -, e.g. ICD10CM:E119");
  }
  if (!IsValidMeterToken(request_id)) {
    return absl::InvalidArgumentError(
        "request_id is required: 1 to 64 characters of letters, digits and : . _ -, unique per "
        "page open and reused on retry");
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<SessionRecord> Metering::CachedSession(absl::string_view token) {
  return sessions_->CachedForMeter(token, absl::Now());
}

void Metering::ConsumeViewAsync(const SessionRecord& session, absl::string_view token,
                                const std::string& code, const std::string& request_id,
                                absl::Time deadline, DecisionCallback done) {
  if (absl::Status valid = CheckViewRequest(code, request_id); !valid.ok()) {
    done(valid);
    return;
  }
  const Window month = MonthWindow(absl::Now());
  meter_->ConsumeViewAsync(session, month, code, request_id, config_->views_per_month, deadline,
                           [this, token = std::string(token), month, done = std::move(done)](
                               absl::StatusOr<ViewOutcome> v) { done(Decide(token, month, v)); });
}

absl::StatusOr<ViewDecision> Metering::Decide(absl::string_view token, const Window& month,
                                              const absl::StatusOr<ViewOutcome>& v) {
  // The script refused the session: the in-process copy must not keep it.
  if (absl::IsUnauthenticated(v.status())) sessions_->Forget(token);
  if (!v.ok()) return v.status();
  return ViewDecision{v->allowed, v->already_viewed, v->replayed, ToQuota(*v, month)};
}

absl::StatusOr<ViewDecision> Metering::ConsumeView(absl::string_view token, const std::string& code,
                                                   const std::string& request_id,
                                                   absl::Time deadline) {
  if (absl::Status valid = CheckViewRequest(code, request_id); !valid.ok()) return valid;
  const absl::Time now = absl::Now();
  // The metering script itself checks that the session is still in the
  // account's index and of its epoch (same slot as the account), so the
  // session may come from the in-process copy: usually one Redis round trip
  // per view instead of two.
  absl::StatusOr<SessionRecord> session = sessions_->ResolveForMeter(token, now, deadline);
  if (!session.ok()) return session.status();
  const Window month = MonthWindow(now);
  return Decide(
      token, month,
      meter_->ConsumeView(*session, month, code, request_id, config_->views_per_month, deadline));
}

absl::StatusOr<QuotaView> Metering::GetQuota(absl::string_view token, absl::Time deadline) {
  const absl::Time now = absl::Now();
  absl::StatusOr<SessionRecord> session = sessions_->Resolve(token, now, deadline);
  if (!session.ok()) return session.status();
  const Window month = MonthWindow(now);
  absl::StatusOr<ViewOutcome> v =
      meter_->PeekViews(session->account_id, month, config_->views_per_month, deadline);
  if (!v.ok()) return v.status();
  return ToQuota(*v, month);
}

absl::StatusOr<RateDecision> Metering::CheckRate(absl::string_view token,
                                                 const std::string& feature,
                                                 const std::string& request_id,
                                                 absl::string_view scope, absl::Time deadline) {
  auto limits = config_->feature_limits_per_day.find(feature);
  if (limits == config_->feature_limits_per_day.end()) {
    std::vector<std::string> known;
    for (const auto& [name, unused] : config_->feature_limits_per_day) known.push_back(name);
    std::sort(known.begin(), known.end());
    return absl::InvalidArgumentError(
        absl::StrCat("unknown feature; known features: ", absl::StrJoin(known, ", ")));
  }
  if (!request_id.empty() && !IsValidMeterToken(request_id)) {
    return absl::InvalidArgumentError(
        "request_id must be 1 to 64 characters of letters, digits and : . _ -");
  }
  const absl::Time now = absl::Now();
  absl::StatusOr<SessionRecord> session = sessions_->Resolve(token, now, deadline);
  if (!session.ok()) return session.status();
  const Window day = DayWindow(now);
  // A request id only counts once within what it was sent for: this session
  // and this scope (the assistant's conversation and question). Replaying
  // an id with another question is a new use.
  const std::string bound =
      request_id.empty() ? std::string() : RateKey(session->session_id, scope, request_id);
  absl::StatusOr<UseOutcome> u =
      meter_->CountUse(session->account_id, feature, day, bound, limits->second, deadline);
  if (!u.ok()) return u.status();
  RateDecision r;
  r.allowed = u->allowed;
  r.limit = u->limit;
  r.remaining = u->limit < 0 ? -1 : std::max<int64_t>(0, u->limit - u->used);
  r.retry_after = u->allowed ? absl::ZeroDuration() : day.end - now;
  r.window = absl::Hours(24);
  return r;
}

}  // namespace openencoder::account
