#include "services/account/session_manager.h"

#include "services/account/session_tokens.h"

namespace openencoder::account {

absl::StatusOr<IssuedSession> SessionManager::Issue(const std::string& account_id, bool guest,
                                                    const ClientInfo& client, absl::Time now,
                                                    absl::Time deadline, int64_t epoch) {
  IssuedSession issued;
  issued.token = NewSessionToken();
  SessionRecord& s = issued.record;
  s.session_id = NewRandomId();
  s.token_hash = TokenHash(issued.token);
  s.account_id = account_id;
  s.guest = guest;
  s.epoch = epoch;
  s.created_at = now;
  s.last_seen_at = now;
  s.expires_at = now + (guest ? guest_lifetime_ : lifetime_);
  s.idle_timeout = guest ? guest_lifetime_ : idle_;
  // Bounded so that a client cannot store arbitrary amounts per session.
  s.client_address = client.address.substr(0, 64);
  s.user_agent = client.user_agent.substr(0, 256);
  absl::Status stored = store_->Create(s, now, deadline);
  if (!stored.ok()) return stored;
  return issued;
}

namespace {

absl::Status CheckTokenShape(absl::string_view token) {
  if (token.empty()) {
    return absl::UnauthenticatedError("no session token; sign in or start a guest session");
  }
  if (!LooksLikeSessionToken(token)) {
    return absl::UnauthenticatedError("the session token is malformed; sign in again");
  }
  return absl::OkStatus();
}

absl::StatusOr<SessionRecord> Touched(SessionStore* store, const std::string& token_hash,
                                      absl::Time now, absl::Time deadline, bool check_epoch) {
  absl::StatusOr<SessionRecord> s = store->Touch(token_hash, now, deadline, check_epoch);
  if (absl::IsNotFound(s.status())) {
    return absl::UnauthenticatedError("the session has expired or was ended; sign in again");
  }
  return s;
}

}  // namespace

absl::StatusOr<SessionRecord> SessionManager::Resolve(absl::string_view token, absl::Time now,
                                                      absl::Time deadline, bool check_epoch) {
  if (absl::Status shape = CheckTokenShape(token); !shape.ok()) return shape;
  return Touched(store_, TokenHash(token), now, deadline, check_epoch);
}

absl::StatusOr<SessionRecord> SessionManager::ResolveForMeter(absl::string_view token,
                                                              absl::Time now, absl::Time deadline) {
  if (absl::Status shape = CheckTokenShape(token); !shape.ok()) return shape;
  const std::string token_hash = TokenHash(token);
  if (cache_ != nullptr) {
    if (std::optional<SessionRecord> cached = cache_->Find(token_hash, now)) return *cached;
  }
  absl::StatusOr<SessionRecord> s = Touched(store_, token_hash, now, deadline, false);
  if (s.ok() && cache_ != nullptr) cache_->Put(*s, now, cache_refresh_);
  return s;
}

std::optional<SessionRecord> SessionManager::CachedForMeter(absl::string_view token,
                                                            absl::Time now) {
  if (cache_ == nullptr || !CheckTokenShape(token).ok()) return std::nullopt;
  return cache_->Find(TokenHash(token), now);
}

void SessionManager::Forget(absl::string_view token) {
  if (cache_ != nullptr && LooksLikeSessionToken(token)) cache_->Erase(TokenHash(token));
}

}  // namespace openencoder::account
