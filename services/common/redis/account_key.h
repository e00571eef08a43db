// The one spelling of a per-account Redis key. Every key of one account,
// whichever service owns it (the account's own hashes and counters, the jobs
// service's lists of the account's postings, applications and saved jobs),
// carries the account's hash tag {a:<account id>}, so one Lua script touches
// one Redis Cluster slot and an account erasure finds them together
// (docs/ENGINEERING.md "Redis keys"). Each service writes only the suffixes
// of its own Redis user's patterns (deploy/redis/acl-users).
#ifndef OPENENCODER_SERVICES_COMMON_REDIS_ACCOUNT_KEY_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_ACCOUNT_KEY_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace openencoder::redis {

// "oe:{a:<account>}" followed by `suffix` pieces:
// AccountKey("123", ":views:", "2026-11") == "oe:{a:123}:views:2026-11".
template <typename... Suffix>
std::string AccountKey(absl::string_view account, const Suffix&... suffix) {
  return absl::StrCat("oe:{a:", account, "}", suffix...);
}

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_ACCOUNT_KEY_H_
