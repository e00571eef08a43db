// Every Redis key name of the account service, in one place (layout in
// docs/ENGINEERING.md and services/account/README.md). Per-account keys share
// the hash tag {a:<id>} so one script touches one Redis Cluster slot.
#ifndef OPENENCODER_SERVICES_ACCOUNT_REDIS_KEYS_H_
#define OPENENCODER_SERVICES_ACCOUNT_REDIS_KEYS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/redis/account_key.h"

namespace openencoder::account::keys {

inline std::string Account(absl::string_view id) { return redis::AccountKey(id, ":account"); }
inline std::string Sessions(absl::string_view id) { return redis::AccountKey(id, ":sessions"); }
inline std::string Views(absl::string_view id, absl::string_view month) {
  return redis::AccountKey(id, ":views:", month);
}
inline std::string ViewRequests(absl::string_view id, absl::string_view month) {
  return redis::AccountKey(id, ":viewreq:", month);
}
inline std::string Uses(absl::string_view id, absl::string_view feature, absl::string_view day) {
  return redis::AccountKey(id, ":use:", feature, ":", day);
}
inline std::string UseRequests(absl::string_view id, absl::string_view feature,
                               absl::string_view day) {
  return redis::AccountKey(id, ":usereq:", feature, ":", day);
}
// A pending email verification: value = the email it was sent to; the key
// expires with the token. Only the token's hash is in the name.
inline std::string Verification(absl::string_view id, absl::string_view token_hash) {
  return redis::AccountKey(id, ":verify:", token_hash);
}
// A pending password reset: value = "<email>|<session epoch>" it was issued
// for; the key expires with the token. Only the token's hash is in the name.
inline std::string PasswordReset(absl::string_view id, absl::string_view token_hash) {
  return redis::AccountKey(id, ":reset:", token_hash);
}
// The account's pending verification and reset tokens, as "v:<token hash>"
// and "r:<token hash>" (so deleting the account finds those keys: they hold
// the email address). Used entries stay until the set expires; harmless.
inline std::string TokenIndex(absl::string_view id) { return redis::AccountKey(id, ":tokens"); }
// The account service's mail outbox: a sorted set of mail ids by due time,
// and one hash per mail. Not per account, so they carry their own tag.
// Erasures owed to other services by deleted accounts (erasure_outbox.h):
// sorted set of entry ids by due time, and one hash per entry.
inline std::string ErasureOutbox() { return "oe:{acct-erase}:outbox"; }
inline std::string Erasure(absl::string_view entry_id) {
  return absl::StrCat("oe:{acct-erase}:e:", entry_id);
}
inline std::string MailOutbox() { return "oe:{acct-mail}:outbox"; }
inline std::string Mail(absl::string_view mail_id) {
  return absl::StrCat("oe:{acct-mail}:m:", mail_id);
}
inline std::string Session(absl::string_view token_hash) {
  return absl::StrCat("oe:{s:", token_hash, "}");
}
inline std::string Email(absl::string_view email_hash) {
  return absl::StrCat("oe:{e:", email_hash, "}");
}
// The account's subscription as the payment provider last reported it (a
// hash: customer, subscription, status, cancel_at_period_end, period_end_ms,
// payment_failed_ms, event_ms).
inline std::string Billing(absl::string_view id) { return redis::AccountKey(id, ":billing"); }
// The provider's customer id -> our account id (subscription events name
// only the customer).
inline std::string BillingCustomer(absl::string_view customer) {
  return absl::StrCat("oe:{cus:", customer, "}");
}
// A provider event already applied (idempotency on the event id).
inline std::string BillingEvent(absl::string_view event_id) {
  return absl::StrCat("oe:{bevt:", event_id, "}");
}
inline std::string Limit(absl::string_view bucket) { return absl::StrCat("oe:{t:", bucket, "}"); }

}  // namespace openencoder::account::keys

#endif  // OPENENCODER_SERVICES_ACCOUNT_REDIS_KEYS_H_
