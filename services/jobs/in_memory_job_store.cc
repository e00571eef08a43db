#include "services/jobs/in_memory_job_store.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/time_proto.h"

namespace openencoder::jobs {
namespace {

// Opaque to callers, as a Redis stream id is: "mem-<entries read so far>".
constexpr absl::string_view kCursorPrefix = "mem-";

std::string Cursor(size_t position) { return absl::StrCat(kCursorPrefix, position); }

int64_t ClosesAtMillis(const v1::JobPosting& posting) {
  return posting.fields().has_closes_at() ? common::ToMillis(posting.fields().closes_at()) : 0;
}

}  // namespace

void InMemoryJobStore::set_unavailable(bool unavailable) {
  absl::MutexLock lock(&mu_);
  unavailable_ = unavailable;
}

absl::Status InMemoryJobStore::Check() const {
  if (unavailable_) return absl::UnavailableError("the job store did not answer in time");
  return absl::OkStatus();
}

void InMemoryJobStore::AddNx(SortedIds& set, int64_t score, const std::string& member) {
  for (const auto& entry : set) {
    if (entry.second == member) return;
  }
  set.emplace(score, member);
}

void InMemoryJobStore::Remove(SortedIds& set, const std::string& member) {
  for (auto it = set.begin(); it != set.end(); ++it) {
    if (it->second == member) {
      set.erase(it);
      return;
    }
  }
}

StorePage<std::string> InMemoryJobStore::Range(const SortedIds& set, int64_t offset, int limit,
                                               bool newest_first) {
  std::vector<std::string> ordered;
  ordered.reserve(set.size());
  for (const auto& entry : set) ordered.push_back(entry.second);
  if (newest_first) std::reverse(ordered.begin(), ordered.end());
  StorePage<std::string> page;
  // Like ZRANGE start..start+limit: one extra tells whether a next page exists.
  for (int64_t i = offset; i < static_cast<int64_t>(ordered.size()) && i <= offset + limit; ++i) {
    page.items.push_back(ordered[static_cast<size_t>(i)]);
  }
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_offset = offset + limit;
  }
  return page;
}

v1::JobPosting InMemoryJobStore::View(const StoredPosting& stored) const {
  v1::JobPosting posting = stored.posting;
  posting.set_version(stored.version);
  posting.set_applicant_count(stored.applicants);
  return posting;
}

v1::Application InMemoryJobStore::ApplicationView(const StoredApplication& stored) const {
  v1::Application application = stored.application;
  application.set_status(stored.status);
  application.clear_reviewed_at();
  if (stored.reviewed_at)
    common::SetTimestamp(*stored.reviewed_at, application.mutable_reviewed_at());
  return application;
}

void InMemoryJobStore::RecordChange(const std::string& posting_id) {
  changes_.push_back(posting_id);
}

absl::Status InMemoryJobStore::ChargeDailyPosting(absl::string_view employer, int daily_limit,
                                                  absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  const std::string key =
      absl::StrCat(employer, "/", absl::FormatTime("%Y%m%d", now, absl::UTCTimeZone()));
  int& count = day_counts_[key];
  if (count >= daily_limit) {
    return absl::ResourceExhaustedError("daily posting limit reached; try again tomorrow");
  }
  ++count;
  return absl::OkStatus();
}

absl::Status InMemoryJobStore::InsertPosting(const v1::JobPosting& posting) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  const std::string& id = posting.posting_id();
  if (postings_.contains(id)) return absl::AlreadyExistsError("posting id taken");
  StoredPosting stored;
  stored.posting = posting;
  stored.posting.set_version(0);
  stored.posting.set_applicant_count(0);
  postings_[id] = std::move(stored);
  const int64_t created = common::ToMillis(posting.created_at());
  AddNx(employer_postings_[posting.employer_account_id()], created, id);
  AddNx(all_postings_, created, id);
  RecordChange(id);
  return absl::OkStatus();
}

absl::StatusOr<v1::JobPosting> InMemoryJobStore::GetPosting(absl::string_view posting_id) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  auto it = postings_.find(posting_id);
  if (it == postings_.end()) return absl::NotFoundError("no such posting");
  return View(it->second);
}

absl::StatusOr<std::vector<v1::JobPosting>> InMemoryJobStore::GetPostings(
    const std::vector<std::string>& posting_ids) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  std::vector<v1::JobPosting> out;
  for (const std::string& id : posting_ids) {
    auto it = postings_.find(id);
    if (it != postings_.end()) out.push_back(View(it->second));
  }
  return out;
}

absl::StatusOr<v1::JobPosting> InMemoryJobStore::ReplacePosting(v1::JobPosting posting,
                                                                int64_t expected_version) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  const std::string id = posting.posting_id();
  auto it = postings_.find(id);
  if (it == postings_.end()) return absl::NotFoundError("no such posting");
  StoredPosting& stored = it->second;
  if (expected_version != 0 && stored.version != expected_version) {
    return absl::AbortedError("the posting was changed meanwhile; re-read and retry");
  }
  stored.version += 1;
  stored.posting = posting;
  stored.posting.set_version(0);
  stored.posting.set_applicant_count(0);
  if (posting.status() == v1::POSTING_STATUS_PENDING_APPROVAL) {
    AddNx(pending_, common::ToMillis(posting.updated_at()), id);
  } else {
    Remove(pending_, id);
  }
  RecordChange(id);
  posting.set_version(stored.version);
  return posting;
}

absl::StatusOr<StorePage<std::string>> InMemoryJobStore::ListEmployerPostings(
    absl::string_view employer, int64_t offset, int limit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  auto it = employer_postings_.find(employer);
  if (it == employer_postings_.end()) return StorePage<std::string>{};
  return Range(it->second, offset, limit, /*newest_first=*/true);
}

absl::StatusOr<StorePage<std::string>> InMemoryJobStore::ListPending(int64_t offset, int limit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  return Range(pending_, offset, limit, /*newest_first=*/false);
}

absl::StatusOr<bool> InMemoryJobStore::IsEmployerTrusted(absl::string_view employer) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  return trusted_.contains(employer);
}

absl::Status InMemoryJobStore::MarkEmployerTrusted(absl::string_view employer) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  trusted_.insert(std::string(employer));
  return absl::OkStatus();
}

absl::StatusOr<ApplyOutcome> InMemoryJobStore::Apply(const v1::Application& application,
                                                     absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  const std::string& id = application.posting_id();
  const std::string& coder = application.coder_account_id();
  auto posting = postings_.find(id);
  if (posting == postings_.end()) return absl::NotFoundError("no such posting");
  const int64_t closes = ClosesAtMillis(posting->second.posting);
  if (posting->second.posting.status() != v1::POSTING_STATUS_PUBLISHED ||
      (closes > 0 && closes <= absl::ToUnixMillis(now))) {
    return absl::NotFoundError("the posting is not open for applications");
  }
  ApplyOutcome outcome;
  auto key = std::make_pair(id, coder);
  auto existing = applications_.find(key);
  if (existing != applications_.end() &&
      existing->second.status == v1::APPLICATION_STATUS_SUBMITTED) {
    outcome.application = ApplicationView(existing->second);
    outcome.existing = true;
  } else {
    StoredApplication stored;
    stored.application = application;
    stored.application.clear_status();
    if (existing != applications_.end()) stored.reviewed_at = existing->second.reviewed_at;
    posting->second.applicants += 1;
    outcome.existing = existing != applications_.end();
    if (!outcome.existing) {
      AddNx(applicants_[id], common::ToMillis(application.created_at()), coder);
    }
    applications_[key] = stored;
    outcome.application = ApplicationView(stored);
  }
  // NX keeps the first application time on repeats.
  AddNx(coder_applications_[coder], common::ToMillis(application.created_at()),
        outcome.application.application_id());
  return outcome;
}

absl::StatusOr<v1::Application> InMemoryJobStore::Withdraw(absl::string_view posting_id,
                                                           absl::string_view coder) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  auto it = applications_.find(std::make_pair(std::string(posting_id), std::string(coder)));
  if (it == applications_.end()) return absl::NotFoundError("no such application");
  if (it->second.status == v1::APPLICATION_STATUS_SUBMITTED) {
    it->second.status = v1::APPLICATION_STATUS_WITHDRAWN;
    auto posting = postings_.find(posting_id);
    if (posting != postings_.end()) posting->second.applicants -= 1;
  }
  return ApplicationView(it->second);
}

absl::StatusOr<v1::Application> InMemoryJobStore::MarkApplicationReviewed(
    absl::string_view posting_id, absl::string_view coder, std::optional<absl::Time> reviewed_at) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  auto it = applications_.find(std::make_pair(std::string(posting_id), std::string(coder)));
  if (it == applications_.end()) return absl::NotFoundError("no such application");
  // Stored at millisecond precision, as the Redis store keeps it.
  it->second.reviewed_at.reset();
  if (reviewed_at) it->second.reviewed_at = absl::FromUnixMillis(absl::ToUnixMillis(*reviewed_at));
  return ApplicationView(it->second);
}

absl::StatusOr<StorePage<v1::Application>> InMemoryJobStore::ListCoderApplications(
    absl::string_view coder, int64_t offset, int limit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  StorePage<v1::Application> page;
  auto list = coder_applications_.find(coder);
  if (list == coder_applications_.end()) return page;
  StorePage<std::string> ids = Range(list->second, offset, limit, /*newest_first=*/true);
  page.next_offset = ids.next_offset;
  for (const std::string& application_id : ids.items) {
    // "<posting>.<coder>"; the first '.' splits it.
    const size_t dot = application_id.find('.');
    if (dot == std::string::npos) continue;
    auto it = applications_.find(
        std::make_pair(application_id.substr(0, dot), application_id.substr(dot + 1)));
    if (it != applications_.end()) page.items.push_back(ApplicationView(it->second));
  }
  return page;
}

absl::StatusOr<StorePage<v1::Application>> InMemoryJobStore::ListApplicants(
    absl::string_view posting_id, int64_t offset, int limit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  StorePage<v1::Application> page;
  auto list = applicants_.find(posting_id);
  if (list == applicants_.end()) return page;
  StorePage<std::string> coders = Range(list->second, offset, limit, /*newest_first=*/true);
  page.next_offset = coders.next_offset;
  for (const std::string& coder : coders.items) {
    auto it = applications_.find(std::make_pair(std::string(posting_id), coder));
    if (it != applications_.end()) page.items.push_back(ApplicationView(it->second));
  }
  return page;
}

absl::Status InMemoryJobStore::SaveJob(absl::string_view account, absl::string_view posting_id,
                                       absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  AddNx(saved_[account], absl::ToUnixMillis(now), std::string(posting_id));
  return absl::OkStatus();
}

absl::Status InMemoryJobStore::UnsaveJob(absl::string_view account, absl::string_view posting_id) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  auto it = saved_.find(account);
  if (it != saved_.end()) Remove(it->second, std::string(posting_id));
  return absl::OkStatus();
}

absl::StatusOr<StorePage<std::string>> InMemoryJobStore::ListSavedJobs(absl::string_view account,
                                                                       int64_t offset, int limit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  auto it = saved_.find(account);
  if (it == saved_.end()) return StorePage<std::string>{};
  return Range(it->second, offset, limit, /*newest_first=*/true);
}

absl::StatusOr<bool> InMemoryJobStore::AnonymiseApplication(absl::string_view posting_id,
                                                            absl::string_view coder,
                                                            absl::string_view anon_coder) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  auto it = applications_.find(std::make_pair(std::string(posting_id), std::string(coder)));
  if (it == applications_.end()) return false;
  StoredApplication stored = std::move(it->second);
  applications_.erase(it);
  stored.application = AnonymisedApplication(std::move(stored.application), anon_coder);
  SortedIds& applicants = applicants_[std::string(posting_id)];
  for (auto entry = applicants.begin(); entry != applicants.end(); ++entry) {
    if (entry->second != coder) continue;
    const int64_t score = entry->first;
    applicants.erase(entry);
    applicants.emplace(score, std::string(anon_coder));
    break;
  }
  applications_[std::make_pair(std::string(posting_id), std::string(anon_coder))] =
      std::move(stored);
  return true;
}

absl::Status InMemoryJobStore::ForgetAccount(absl::string_view account, absl::Time) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  const std::string id(account);
  coder_applications_.erase(id);
  saved_.erase(id);
  employer_postings_.erase(id);
  trusted_.erase(id);
  absl::erase_if(day_counts_, [&](const auto& entry) {
    return absl::StartsWith(entry.first, absl::StrCat(id, "/"));
  });
  return absl::OkStatus();
}

absl::StatusOr<std::string> InMemoryJobStore::ChangeCursor() {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  return Cursor(changes_.size());
}

absl::StatusOr<ChangeBatch> InMemoryJobStore::ReadChanges(absl::string_view cursor, int limit) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  size_t position = 0;
  if (!absl::ConsumePrefix(&cursor, kCursorPrefix) || !absl::SimpleAtoi(cursor, &position) ||
      position > changes_.size()) {
    return absl::InvalidArgumentError("not a change cursor of this store");
  }
  ChangeBatch batch;
  const size_t end = std::min(changes_.size(), position + static_cast<size_t>(limit));
  batch.posting_ids.assign(changes_.begin() + static_cast<std::ptrdiff_t>(position),
                           changes_.begin() + static_cast<std::ptrdiff_t>(end));
  batch.cursor = Cursor(end);
  return batch;
}

absl::StatusOr<std::vector<std::string>> InMemoryJobStore::AllPostingIds() {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Check(); !s.ok()) return s;
  std::vector<std::string> ids;
  ids.reserve(all_postings_.size());
  for (const auto& entry : all_postings_) ids.push_back(entry.second);
  return ids;
}

}  // namespace openencoder::jobs
