// Storage of postings, applications and saved jobs: the system of record.
// Implementations: RedisJobStore (production, integration tests) and
// InMemoryJobStore (unit tests).
//
// Status codes of every method: UNAVAILABLE when the store did not answer
// in time (the operation may or may not have happened; every write here is
// safe to repeat), plus the ones listed per method.
//
// Thread safety: all methods may be called concurrently.
#ifndef OPENENCODER_SERVICES_JOBS_JOB_STORE_H_
#define OPENENCODER_SERVICES_JOBS_JOB_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "openencoder/jobs/v1/jobs_service.pb.h"

namespace openencoder::jobs {

// A page of a list kept newest first: `offset` is where the next page starts,
// -1 when there is none.
template <typename T>
struct StorePage {
  std::vector<T> items;
  int64_t next_offset = -1;
};

struct ApplyOutcome {
  v1::Application application;
  bool existing = false;  // the coder had already applied
};

// Where a replica's change feed stands: an opaque position in the stream of
// changed posting ids.
struct ChangeBatch {
  std::vector<std::string> posting_ids;  // may repeat; order of change
  std::string cursor;                    // pass to the next ReadChanges
};

// `application` as it stays once its coder deleted their account: the
// coder's id, note and resume link gone, the id ApplicationId(posting,
// anon_coder), applicant_deleted set. The stores write this.
v1::Application AnonymisedApplication(v1::Application application, absl::string_view anon_coder);

class JobStore {
 public:
  virtual ~JobStore() = default;

  // Counts one new posting of `employer` for the UTC day of `now`.
  // RESOURCE_EXHAUSTED, counting nothing, once `daily_limit` is reached.
  virtual absl::Status ChargeDailyPosting(absl::string_view employer, int daily_limit,
                                          absl::Time now) = 0;

  // Stores a new posting (version must be 1) and lists it under its
  // employer. ALREADY_EXISTS if the id is taken.
  virtual absl::Status InsertPosting(const v1::JobPosting& posting) = 0;

  // The stored posting, with version and applicant_count filled in and the
  // status as stored (expiry is computed by the caller). NOT_FOUND.
  virtual absl::StatusOr<v1::JobPosting> GetPosting(absl::string_view posting_id) = 0;

  // Several postings at once; ids that do not exist are left out.
  virtual absl::StatusOr<std::vector<v1::JobPosting>> GetPostings(
      const std::vector<std::string>& posting_ids) = 0;

  // Writes `posting` if the stored version is still `expected_version`,
  // storing version + 1 (returned in the result). Keeps the moderation queue
  // in step with the status. ABORTED when someone else changed it first,
  // NOT_FOUND.
  virtual absl::StatusOr<v1::JobPosting> ReplacePosting(v1::JobPosting posting,
                                                        int64_t expected_version) = 0;

  // The employer's postings (ids), newest first.
  virtual absl::StatusOr<StorePage<std::string>> ListEmployerPostings(absl::string_view employer,
                                                                      int64_t offset,
                                                                      int limit) = 0;

  // Ids waiting for approval, oldest first (fair queue).
  virtual absl::StatusOr<StorePage<std::string>> ListPending(int64_t offset, int limit) = 0;

  // Whether an admin has approved one of the employer's postings before.
  virtual absl::StatusOr<bool> IsEmployerTrusted(absl::string_view employer) = 0;
  virtual absl::Status MarkEmployerTrusted(absl::string_view employer) = 0;

  // One application per coder per posting, atomically: if the coder already
  // has a submitted one it is returned unchanged (existing = true); a
  // withdrawn one is submitted again with the new note and link (also
  // existing). NOT_FOUND when the posting is not published or has expired at
  // `now`. `application` carries posting id, coder, note, link, title,
  // created_at and the id.
  virtual absl::StatusOr<ApplyOutcome> Apply(const v1::Application& application,
                                             absl::Time now) = 0;

  // Marks the coder's application withdrawn (idempotent). NOT_FOUND.
  virtual absl::StatusOr<v1::Application> Withdraw(absl::string_view posting_id,
                                                   absl::string_view coder) = 0;

  // Sets (reviewed_at given) or clears the employer's "reviewed" mark on the
  // coder's application; returns the application as stored. NOT_FOUND.
  virtual absl::StatusOr<v1::Application> MarkApplicationReviewed(
      absl::string_view posting_id, absl::string_view coder,
      std::optional<absl::Time> reviewed_at) = 0;

  // A coder's applications, newest first.
  virtual absl::StatusOr<StorePage<v1::Application>> ListCoderApplications(absl::string_view coder,
                                                                           int64_t offset,
                                                                           int limit) = 0;

  // A posting's applications (submitted and withdrawn), newest first.
  virtual absl::StatusOr<StorePage<v1::Application>> ListApplicants(absl::string_view posting_id,
                                                                    int64_t offset, int limit) = 0;

  // Saved jobs of an account: idempotent set operations; list newest first.
  virtual absl::Status SaveJob(absl::string_view account, absl::string_view posting_id,
                               absl::Time now) = 0;
  virtual absl::Status UnsaveJob(absl::string_view account, absl::string_view posting_id) = 0;
  virtual absl::StatusOr<StorePage<std::string>> ListSavedJobs(absl::string_view account,
                                                               int64_t offset, int limit) = 0;

  // Erasure of a deleted account (JobBoard::EraseAccountData). Each step is
  // idempotent, so an erasure repeated after a crash finishes the work.
  //
  // Replaces the coder's application on the posting, atomically, by
  // AnonymisedApplication(it, anon_coder): same place in the applicant list,
  // status and review mark, no coder id, note or resume link. The record
  // under the coder's id is gone afterwards. false when there is none (never
  // was, or already anonymised). ABORTED when it changed meanwhile.
  virtual absl::StatusOr<bool> AnonymiseApplication(absl::string_view posting_id,
                                                    absl::string_view coder,
                                                    absl::string_view anon_coder) = 0;
  // Deletes the account's own lists and marks: its applications list, saved
  // jobs, employer postings list, trust mark and posting counters. Call it
  // last: the lists are how an erasure finds the rest.
  virtual absl::Status ForgetAccount(absl::string_view account, absl::Time now) = 0;

  // Change feed for replicas' search indexes. ChangeCursor() is the current
  // end; ReadChanges returns what changed after `cursor` (at most `limit`
  // ids). AllPostingIds() lists every posting ever stored, for a full load.
  virtual absl::StatusOr<std::string> ChangeCursor() = 0;
  virtual absl::StatusOr<ChangeBatch> ReadChanges(absl::string_view cursor, int limit) = 0;
  virtual absl::StatusOr<std::vector<std::string>> AllPostingIds() = 0;
};

// The overrides every JobStore implementation declares (RedisJobStore,
// InMemoryJobStore): one list, kept beside the interface it implements, so
// a method added above is added here once, not in every implementation.
// Use it inside the implementing class's public section, followed by ";".
#define OE_JOB_STORE_OVERRIDES                                                                     \
  absl::Status ChargeDailyPosting(absl::string_view employer, int daily_limit, absl::Time now)     \
      override;                                                                                    \
  absl::Status InsertPosting(const v1::JobPosting& posting) override;                              \
  absl::StatusOr<v1::JobPosting> GetPosting(absl::string_view posting_id) override;                \
  absl::StatusOr<std::vector<v1::JobPosting>> GetPostings(                                         \
      const std::vector<std::string>& posting_ids) override;                                       \
  absl::StatusOr<v1::JobPosting> ReplacePosting(v1::JobPosting posting, int64_t expected_version)  \
      override;                                                                                    \
  absl::StatusOr<StorePage<std::string>> ListEmployerPostings(absl::string_view employer,          \
                                                              int64_t offset, int limit) override; \
  absl::StatusOr<StorePage<std::string>> ListPending(int64_t offset, int limit) override;          \
  absl::StatusOr<bool> IsEmployerTrusted(absl::string_view employer) override;                     \
  absl::Status MarkEmployerTrusted(absl::string_view employer) override;                           \
  absl::StatusOr<ApplyOutcome> Apply(const v1::Application& application, absl::Time now) override; \
  absl::StatusOr<v1::Application> Withdraw(absl::string_view posting_id, absl::string_view coder)  \
      override;                                                                                    \
  absl::StatusOr<v1::Application> MarkApplicationReviewed(                                         \
      absl::string_view posting_id, absl::string_view coder,                                       \
      std::optional<absl::Time> reviewed_at) override;                                             \
  absl::StatusOr<StorePage<v1::Application>> ListCoderApplications(                                \
      absl::string_view coder, int64_t offset, int limit) override;                                \
  absl::StatusOr<StorePage<v1::Application>> ListApplicants(absl::string_view posting_id,          \
                                                            int64_t offset, int limit) override;   \
  absl::Status SaveJob(absl::string_view account, absl::string_view posting_id, absl::Time now)    \
      override;                                                                                    \
  absl::Status UnsaveJob(absl::string_view account, absl::string_view posting_id) override;        \
  absl::StatusOr<StorePage<std::string>> ListSavedJobs(absl::string_view account, int64_t offset,  \
                                                       int limit) override;                        \
  absl::StatusOr<bool> AnonymiseApplication(absl::string_view posting_id, absl::string_view coder, \
                                            absl::string_view anon_coder) override;                \
  absl::Status ForgetAccount(absl::string_view account, absl::Time now) override;                  \
  absl::StatusOr<std::string> ChangeCursor() override;                                             \
  absl::StatusOr<ChangeBatch> ReadChanges(absl::string_view cursor, int limit) override;           \
  absl::StatusOr<std::vector<std::string>> AllPostingIds() override

}  // namespace openencoder::jobs

#endif  // OPENENCODER_SERVICES_JOBS_JOB_STORE_H_
