// Every Redis key the jobs service uses, in one place. Keys of one posting
// share the hash tag {job:<id>} so that the scripts that keep "one
// application per coder per posting" and the version check atomic touch one
// slot; per-account lists carry the account's tag {a:<id>} like the account
// service's keys; the few global keys carry {jobs}.
#ifndef OPENENCODER_SERVICES_JOBS_REDIS_KEYS_H_
#define OPENENCODER_SERVICES_JOBS_REDIS_KEYS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/redis/account_key.h"

namespace openencoder::jobs::keys {

// Hash: data (JobPosting bytes), version, status, closes_at (ms), applicants.
inline std::string Posting(absl::string_view id) { return absl::StrCat("oe:{job:", id, "}"); }
// Sorted set: coder id -> application time (ms).
inline std::string Applicants(absl::string_view id) {
  return absl::StrCat("oe:{job:", id, "}:applicants");
}
// Hash: data (Application bytes), status.
inline std::string Application(absl::string_view id, absl::string_view coder) {
  return absl::StrCat("oe:{job:", id, "}:app:", coder);
}
// Sorted sets by time (ms): the employer's posting ids, the coder's
// application ids, an account's saved posting ids.
inline std::string EmployerPostings(absl::string_view employer) {
  return redis::AccountKey(employer, ":jobs:postings");
}
inline std::string CoderApplications(absl::string_view coder) {
  return redis::AccountKey(coder, ":jobs:applications");
}
inline std::string SavedJobs(absl::string_view account) {
  return redis::AccountKey(account, ":jobs:saved");
}
// Counter of postings created on one UTC day (yyyymmdd), expires after two days.
inline std::string EmployerDay(absl::string_view employer, absl::string_view day) {
  return redis::AccountKey(employer, ":jobs:day:", day);
}
// "1" once an admin approved one of the employer's postings.
inline std::string EmployerTrusted(absl::string_view employer) {
  return redis::AccountKey(employer, ":jobs:trusted");
}
inline constexpr char kAllPostings[] = "oe:{jobs}:all";  // zset id -> created ms
inline constexpr char kPending[] = "oe:{jobs}:pending";  // zset id -> submitted ms
inline constexpr char kChanges[] = "oe:{jobs}:changes";  // stream of {id: posting id}

}  // namespace openencoder::jobs::keys

#endif  // OPENENCODER_SERVICES_JOBS_REDIS_KEYS_H_
