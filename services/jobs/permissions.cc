#include "services/jobs/permissions.h"

namespace openencoder::jobs {

absl::Status RequireEmployer(const Caller& caller) {
  if (caller.Has(Role::kEmployer) || caller.Has(Role::kAdmin)) return absl::OkStatus();
  return absl::PermissionDeniedError("only employer accounts can post jobs");
}

absl::Status RequireCoder(const Caller& caller) {
  if (caller.Has(Role::kCoder)) return absl::OkStatus();
  return absl::PermissionDeniedError("only coder accounts can apply");
}

absl::Status RequireAdmin(const Caller& caller) {
  if (caller.Has(Role::kAdmin)) return absl::OkStatus();
  return absl::PermissionDeniedError("only admins can moderate postings");
}

bool CanManage(const Caller& caller, const v1::JobPosting& posting) {
  if (caller.Has(Role::kAdmin)) return true;
  return caller.Has(Role::kEmployer) && caller.account_id == posting.employer_account_id();
}

absl::Status RequireManager(const Caller& caller, const v1::JobPosting& posting) {
  if (CanManage(caller, posting)) return absl::OkStatus();
  return absl::PermissionDeniedError("only the employer who owns this posting can do that");
}

bool CanSee(const Caller* caller, const v1::JobPosting& posting) {
  if (posting.status() == v1::POSTING_STATUS_PUBLISHED ||
      posting.status() == v1::POSTING_STATUS_EXPIRED) {
    return true;
  }
  return caller != nullptr && CanManage(*caller, posting);
}

}  // namespace openencoder::jobs
