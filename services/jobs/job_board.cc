#include "services/jobs/job_board.h"

#include <optional>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/time_proto.h"
#include "services/jobs/application_id.h"
#include "services/jobs/lifecycle.h"
#include "services/jobs/permissions.h"
#include "services/jobs/posting_validation.h"

namespace openencoder::jobs {
namespace {

constexpr int kMutateAttempts = 3;
constexpr int kDefaultListPage = 20;
constexpr int kMaxListPage = 100;

std::string NewPostingId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

// The coder id an anonymised application is filed under: random, so it
// links the applications of one deleted account neither to each other nor
// to anything else. Account ids are not of this form.
std::string NewAnonymousApplicant() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("deleted-%016x%016x", absl::Uniform<uint64_t>(gen),
                         absl::Uniform<uint64_t>(gen));
}

// The posting as it stays once its employer deleted their account: closed
// (coders' applications still name it), with nothing the person wrote about
// themselves or how to reach them.
v1::JobPosting AnonymisedPosting(v1::JobPosting posting, absl::Time now) {
  posting.clear_employer_account_id();
  posting.mutable_fields()->clear_description();
  posting.mutable_fields()->clear_how_to_apply();
  posting.clear_review_note();
  switch (posting.status()) {
    case v1::POSTING_STATUS_DRAFT:
    case v1::POSTING_STATUS_PENDING_APPROVAL:
    case v1::POSTING_STATUS_PUBLISHED:
      posting.set_status(v1::POSTING_STATUS_CLOSED);
      break;
    default:
      break;
  }
  posting.set_employer_deleted(true);
  common::SetTimestamp(now, posting.mutable_updated_at());
  return posting;
}

struct PageRequest {
  int64_t offset = 0;
  int limit = kDefaultListPage;
};

absl::StatusOr<PageRequest> ParsePage(int page_size, const std::string& token) {
  if (page_size < 0) return absl::InvalidArgumentError("page_size: negative");
  PageRequest page;
  if (page_size > 0) page.limit = std::min(page_size, kMaxListPage);
  if (!token.empty() && (!absl::SimpleAtoi(token, &page.offset) || page.offset < 0)) {
    return absl::InvalidArgumentError("page_token: not one this server issued");
  }
  return page;
}

std::string NextToken(int64_t next_offset) {
  return next_offset < 0 ? std::string() : absl::StrCat(next_offset);
}

}  // namespace

JobBoard::JobBoard(JobStore* store, IdentityClient* identity, SearchIndex* index,
                   JobBoardOptions options)
    : store_(store), identity_(identity), index_(index), options_(std::move(options)) {}

v1::JobPosting JobBoard::View(v1::JobPosting posting, const Caller* caller, absl::Time now) const {
  posting.set_status(EffectiveStatus(posting, now));
  if (caller == nullptr || !CanManage(*caller, posting)) posting.clear_applicant_count();
  return posting;
}

absl::StatusOr<v1::JobPosting> JobBoard::Mutate(const Caller& caller, const std::string& posting_id,
                                                int64_t expected_version, const Change& change) {
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<v1::JobPosting> current = store_->GetPosting(posting_id);
    if (!current.ok()) return current.status();
    if (auto s = RequireManager(caller, *current); !s.ok()) return s;
    if (expected_version != 0 && current->version() != expected_version) {
      return absl::AbortedError("the posting was changed meanwhile; re-read and retry");
    }
    const absl::Time now = options_.now();
    v1::JobPosting next = *current;
    if (auto s = change(next, now); !s.ok()) return s;
    // Idempotent calls (publish twice, close twice) change nothing and so
    // must not bump the version or wake every replica's feed.
    if (next.SerializeAsString() == current->SerializeAsString()) {
      return View(std::move(next), &caller, now);
    }
    absl::StatusOr<v1::JobPosting> written = store_->ReplacePosting(next, current->version());
    if (absl::IsAborted(written.status()) && expected_version == 0 && attempt < kMutateAttempts) {
      continue;
    }
    if (!written.ok()) return written.status();
    index_->Upsert(*written);
    return View(*written, &caller, now);
  }
}

absl::StatusOr<v1::CreatePostingResponse> JobBoard::CreatePosting(
    const v1::CreatePostingRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  if (auto s = RequireEmployer(*caller); !s.ok()) return s;
  const absl::Time now = options_.now();
  v1::JobPosting posting;
  *posting.mutable_fields() = r.fields();
  if (auto s = ValidatePostingFields(*posting.mutable_fields(), now); !s.ok()) return s;
  if (auto s = store_->ChargeDailyPosting(caller->account_id, options_.daily_posting_limit, now);
      !s.ok()) {
    return s;
  }
  posting.set_posting_id(NewPostingId());
  posting.set_employer_account_id(caller->account_id);
  posting.set_status(v1::POSTING_STATUS_DRAFT);
  common::SetTimestamp(now, posting.mutable_created_at());
  common::SetTimestamp(now, posting.mutable_updated_at());
  posting.set_version(1);
  if (auto s = store_->InsertPosting(posting); !s.ok()) return s;
  v1::CreatePostingResponse response;
  *response.mutable_posting() = View(std::move(posting), &*caller, now);
  return response;
}

absl::StatusOr<v1::UpdatePostingResponse> JobBoard::UpdatePosting(
    const v1::UpdatePostingRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  v1::PostingFields fields = r.fields();
  if (auto s = ValidatePostingFields(fields, options_.now()); !s.ok()) return s;
  auto posting =
      Mutate(*caller, r.posting_id(), r.expected_version(),
             [&](v1::JobPosting& p, absl::Time now) { return ApplyEdit(p, fields, now); });
  if (!posting.ok()) return posting.status();
  v1::UpdatePostingResponse response;
  *response.mutable_posting() = std::move(*posting);
  return response;
}

absl::StatusOr<v1::PublishPostingResponse> JobBoard::PublishPosting(
    const v1::PublishPostingRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  auto posting = Mutate(*caller, r.posting_id(), 0, [&](v1::JobPosting& p, absl::Time now) {
    // Admins vouch for what they publish; employers are trusted once an
    // admin approved one of their postings.
    bool trusted = caller->Has(Role::kAdmin);
    if (!trusted) {
      absl::StatusOr<bool> t = store_->IsEmployerTrusted(p.employer_account_id());
      if (!t.ok()) return t.status();
      trusted = *t;
    }
    return ApplyPublish(p, trusted, now);
  });
  if (!posting.ok()) return posting.status();
  v1::PublishPostingResponse response;
  *response.mutable_posting() = std::move(*posting);
  return response;
}

absl::StatusOr<v1::ClosePostingResponse> JobBoard::ClosePosting(const v1::ClosePostingRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  auto posting = Mutate(*caller, r.posting_id(), 0, ApplyClose);
  if (!posting.ok()) return posting.status();
  v1::ClosePostingResponse response;
  *response.mutable_posting() = std::move(*posting);
  return response;
}

absl::StatusOr<v1::RenewPostingResponse> JobBoard::RenewPosting(const v1::RenewPostingRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  const google::protobuf::Timestamp* closes = r.has_closes_at() ? &r.closes_at() : nullptr;
  auto posting = Mutate(*caller, r.posting_id(), 0, [&](v1::JobPosting& p, absl::Time now) {
    return ApplyRenew(p, closes, now);
  });
  if (!posting.ok()) return posting.status();
  v1::RenewPostingResponse response;
  *response.mutable_posting() = std::move(*posting);
  return response;
}

absl::StatusOr<v1::GetPostingResponse> JobBoard::GetPosting(const v1::GetPostingRequest& r) {
  // Anonymous readers are welcome; a token that does not validate just
  // means "anonymous" here, since published postings are public anyway.
  std::optional<Caller> caller;
  if (!r.session_token().empty()) {
    absl::StatusOr<Caller> c = identity_->Validate(r.session_token());
    if (c.ok()) {
      caller = std::move(*c);
    } else if (!absl::IsUnauthenticated(c.status())) {
      return c.status();
    }
  }
  absl::StatusOr<v1::JobPosting> posting = store_->GetPosting(r.posting_id());
  if (!posting.ok()) return posting.status();
  const Caller* who = caller ? &*caller : nullptr;
  const absl::Time now = options_.now();
  v1::JobPosting view = View(std::move(*posting), who, now);
  if (!CanSee(who, view)) return absl::NotFoundError("no such posting");
  v1::GetPostingResponse response;
  *response.mutable_posting() = std::move(view);
  return response;
}

absl::StatusOr<v1::ListMyPostingsResponse> JobBoard::ListMyPostings(
    const v1::ListMyPostingsRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  if (auto s = RequireEmployer(*caller); !s.ok()) return s;
  absl::StatusOr<PageRequest> page = ParsePage(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  auto ids = store_->ListEmployerPostings(caller->account_id, page->offset, page->limit);
  if (!ids.ok()) return ids.status();
  auto postings = store_->GetPostings(ids->items);
  if (!postings.ok()) return postings.status();
  const absl::Time now = options_.now();
  v1::ListMyPostingsResponse response;
  for (v1::JobPosting& p : *postings) *response.add_postings() = View(std::move(p), &*caller, now);
  response.set_next_page_token(NextToken(ids->next_offset));
  return response;
}

absl::StatusOr<v1::ListPendingPostingsResponse> JobBoard::ListPendingPostings(
    const v1::ListPendingPostingsRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  if (auto s = RequireAdmin(*caller); !s.ok()) return s;
  absl::StatusOr<PageRequest> page = ParsePage(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  auto ids = store_->ListPending(page->offset, page->limit);
  if (!ids.ok()) return ids.status();
  auto postings = store_->GetPostings(ids->items);
  if (!postings.ok()) return postings.status();
  const absl::Time now = options_.now();
  v1::ListPendingPostingsResponse response;
  for (v1::JobPosting& p : *postings) {
    // The queue is updated after the record; the record has the last word.
    if (p.status() != v1::POSTING_STATUS_PENDING_APPROVAL) continue;
    *response.add_postings() = View(std::move(p), &*caller, now);
  }
  response.set_next_page_token(NextToken(ids->next_offset));
  return response;
}

absl::StatusOr<v1::ReviewPostingResponse> JobBoard::ReviewPosting(
    const v1::ReviewPostingRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  if (auto s = RequireAdmin(*caller); !s.ok()) return s;
  if (r.expected_version() <= 0) {
    return absl::InvalidArgumentError(
        "expected_version: required (the version of the posting you reviewed)");
  }
  if (r.note().size() > 2000) return absl::InvalidArgumentError("note: at most 2,000 characters");
  if (!r.approve() && r.note().empty()) {
    return absl::InvalidArgumentError("note: say why the posting is rejected");
  }
  // A posting reviewed already says so, whatever version the admin holds;
  // only a posting still pending can have been edited under the admin.
  absl::StatusOr<v1::JobPosting> current = store_->GetPosting(r.posting_id());
  if (!current.ok()) return current.status();
  if (current->status() != v1::POSTING_STATUS_PENDING_APPROVAL) {
    return absl::FailedPreconditionError("the posting is not waiting for approval any more");
  }
  auto posting =
      Mutate(*caller, r.posting_id(), r.expected_version(), [&](v1::JobPosting& p, absl::Time now) {
        return ApplyReview(p, r.approve(), r.note(), now);
      });
  if (absl::IsAborted(posting.status())) {
    return absl::AbortedError(
        "the employer changed this posting after you opened it; reopen it and review the "
        "current version");
  }
  if (!posting.ok()) return posting.status();
  if (r.approve()) {
    if (auto s = store_->MarkEmployerTrusted(posting->employer_account_id()); !s.ok()) return s;
  }
  v1::ReviewPostingResponse response;
  *response.mutable_posting() = std::move(*posting);
  return response;
}

absl::Status JobBoard::SearchJobs(const v1::SearchJobsRequest& r, std::string& wire) {
  return index_->SearchWire(r, options_.now(), wire);
}

absl::StatusOr<v1::ApplyResponse> JobBoard::Apply(const v1::ApplyRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  if (auto s = RequireCoder(*caller); !s.ok()) return s;
  if (auto s = ValidateApplication(r.note(), r.resume_url()); !s.ok()) return s;
  absl::StatusOr<v1::JobPosting> posting = store_->GetPosting(r.posting_id());
  if (!posting.ok()) return posting.status();
  const absl::Time now = options_.now();
  v1::Application application;
  application.set_application_id(ApplicationId(r.posting_id(), caller->account_id));
  application.set_posting_id(r.posting_id());
  application.set_coder_account_id(caller->account_id);
  application.set_note(r.note());
  application.set_resume_url(r.resume_url());
  application.set_posting_title(posting->fields().title());
  common::SetTimestamp(now, application.mutable_created_at());
  // The store re-checks that the posting is open inside the same atomic
  // step that creates the application.
  absl::StatusOr<ApplyOutcome> outcome = store_->Apply(application, now);
  if (!outcome.ok()) return outcome.status();
  v1::ApplyResponse response;
  *response.mutable_application() = std::move(outcome->application);
  response.set_existing(outcome->existing);
  return response;
}

absl::StatusOr<v1::WithdrawApplicationResponse> JobBoard::WithdrawApplication(
    const v1::WithdrawApplicationRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  std::string posting_id, coder;
  // Someone else's application is "not found" for the caller: its
  // existence is not theirs to learn.
  if (!SplitApplicationId(r.application_id(), &posting_id, &coder) || coder != caller->account_id) {
    return absl::NotFoundError("no such application");
  }
  absl::StatusOr<v1::Application> app = store_->Withdraw(posting_id, coder);
  if (!app.ok()) return app.status();
  v1::WithdrawApplicationResponse response;
  *response.mutable_application() = std::move(*app);
  return response;
}

absl::StatusOr<v1::ListMyApplicationsResponse> JobBoard::ListMyApplications(
    const v1::ListMyApplicationsRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  absl::StatusOr<PageRequest> page = ParsePage(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  auto apps = store_->ListCoderApplications(caller->account_id, page->offset, page->limit);
  if (!apps.ok()) return apps.status();
  v1::ListMyApplicationsResponse response;
  for (v1::Application& a : apps->items) *response.add_applications() = std::move(a);
  response.set_next_page_token(NextToken(apps->next_offset));
  return response;
}

absl::StatusOr<v1::ListApplicantsResponse> JobBoard::ListApplicants(
    const v1::ListApplicantsRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  absl::StatusOr<PageRequest> page = ParsePage(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  absl::StatusOr<v1::JobPosting> posting = store_->GetPosting(r.posting_id());
  if (!posting.ok()) return posting.status();
  if (auto s = RequireManager(*caller, *posting); !s.ok()) return s;
  auto apps = store_->ListApplicants(r.posting_id(), page->offset, page->limit);
  if (!apps.ok()) return apps.status();
  v1::ListApplicantsResponse response;
  for (v1::Application& a : apps->items) *response.add_applications() = std::move(a);
  response.set_next_page_token(NextToken(apps->next_offset));
  return response;
}

absl::StatusOr<v1::MarkApplicationReviewedResponse> JobBoard::MarkApplicationReviewed(
    const v1::MarkApplicationReviewedRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  absl::StatusOr<v1::JobPosting> posting = store_->GetPosting(r.posting_id());
  if (!posting.ok()) return posting.status();
  if (auto s = RequireManager(*caller, *posting); !s.ok()) return s;
  std::string posting_id, coder;
  if (!SplitApplicationId(r.application_id(), &posting_id, &coder) ||
      posting_id != r.posting_id()) {
    return absl::NotFoundError("no such application for this posting");
  }
  std::optional<absl::Time> when;
  if (r.reviewed()) when = options_.now();
  absl::StatusOr<v1::Application> app = store_->MarkApplicationReviewed(posting_id, coder, when);
  if (!app.ok()) return app.status();
  v1::MarkApplicationReviewedResponse response;
  *response.mutable_application() = std::move(*app);
  return response;
}

absl::StatusOr<v1::SaveJobResponse> JobBoard::SaveJob(const v1::SaveJobRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  absl::StatusOr<v1::JobPosting> posting = store_->GetPosting(r.posting_id());
  if (!posting.ok()) return posting.status();
  const absl::Time now = options_.now();
  if (!CanSee(&*caller, View(std::move(*posting), &*caller, now))) {
    return absl::NotFoundError("no such posting");
  }
  if (auto s = store_->SaveJob(caller->account_id, r.posting_id(), now); !s.ok()) return s;
  return v1::SaveJobResponse();
}

absl::StatusOr<v1::UnsaveJobResponse> JobBoard::UnsaveJob(const v1::UnsaveJobRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  if (auto s = store_->UnsaveJob(caller->account_id, r.posting_id()); !s.ok()) return s;
  return v1::UnsaveJobResponse();
}

absl::StatusOr<v1::ListSavedJobsResponse> JobBoard::ListSavedJobs(
    const v1::ListSavedJobsRequest& r) {
  absl::StatusOr<Caller> caller = identity_->Validate(r.session_token());
  if (!caller.ok()) return caller.status();
  absl::StatusOr<PageRequest> page = ParsePage(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  auto ids = store_->ListSavedJobs(caller->account_id, page->offset, page->limit);
  if (!ids.ok()) return ids.status();
  auto postings = store_->GetPostings(ids->items);
  if (!postings.ok()) return postings.status();
  const absl::Time now = options_.now();
  v1::ListSavedJobsResponse response;
  for (v1::JobPosting& p : *postings) {
    v1::JobPosting view = View(std::move(p), &*caller, now);
    // A saved posting that was closed since shows as closed to its managers
    // only; for everyone else it simply drops out of the list.
    if (CanSee(&*caller, view)) *response.add_postings() = std::move(view);
  }
  response.set_next_page_token(NextToken(ids->next_offset));
  return response;
}

absl::StatusOr<v1::EraseAccountDataResponse> JobBoard::EraseAccountData(
    const v1::EraseAccountDataRequest& r) {
  const std::string& account = r.account_id();
  if (account.empty()) return absl::InvalidArgumentError("account_id: required");
  v1::EraseAccountDataResponse response;
  // The account's lists go last (ForgetAccount): until then a repeat after a
  // crash finds what is left through them, and what is done already is
  // skipped (an anonymised application is no longer under the account's id,
  // an anonymised posting says employer_deleted).
  for (int64_t offset = 0; offset >= 0;) {
    auto page = store_->ListCoderApplications(account, offset, kMaxListPage);
    if (!page.ok()) return page.status();
    for (const v1::Application& app : page->items) {
      absl::StatusOr<bool> done = false;
      for (int attempt = 1; attempt <= kMutateAttempts; ++attempt) {
        done = store_->AnonymiseApplication(app.posting_id(), account, NewAnonymousApplicant());
        if (!absl::IsAborted(done.status())) break;
      }
      if (!done.ok()) return done.status();
      if (*done) response.set_applications_anonymised(response.applications_anonymised() + 1);
    }
    offset = page->next_offset;
  }
  for (int64_t offset = 0; offset >= 0;) {
    auto ids = store_->ListEmployerPostings(account, offset, kMaxListPage);
    if (!ids.ok()) return ids.status();
    for (const std::string& id : ids->items) {
      for (int attempt = 1;; ++attempt) {
        absl::StatusOr<v1::JobPosting> current = store_->GetPosting(id);
        if (absl::IsNotFound(current.status())) break;
        if (!current.ok()) return current.status();
        if (current->employer_deleted() || current->employer_account_id() != account) break;
        absl::StatusOr<v1::JobPosting> written =
            store_->ReplacePosting(AnonymisedPosting(*current, options_.now()), current->version());
        if (absl::IsAborted(written.status()) && attempt < kMutateAttempts) continue;
        if (!written.ok()) return written.status();
        index_->Upsert(*written);
        response.set_postings_anonymised(response.postings_anonymised() + 1);
        break;
      }
    }
    offset = ids->next_offset;
  }
  if (auto s = store_->ForgetAccount(account, options_.now()); !s.ok()) return s;
  return response;
}

}  // namespace openencoder::jobs
