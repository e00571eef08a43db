#include "services/jobs/lifecycle.h"

#include <string>

#include "services/common/time_proto.h"
#include "services/jobs/posting_validation.h"

namespace openencoder::jobs {
namespace {

absl::Status NotChangeable(v1::PostingStatus status) {
  return absl::FailedPreconditionError(
      status == v1::POSTING_STATUS_CLOSED ? "the posting is closed" : "the posting has expired");
}

// Goes live now: posted_at is now and the closing date is the one asked for
// (or 30 days).
absl::Status GoLive(v1::JobPosting& posting, absl::Time now) {
  v1::PostingFields* fields = posting.mutable_fields();
  absl::StatusOr<absl::Time> closes =
      ClosingTime(fields->has_closes_at() ? &fields->closes_at() : nullptr, now);
  if (!closes.ok()) return closes.status();
  common::SetTimestamp(*closes, fields->mutable_closes_at());
  common::SetTimestamp(now, posting.mutable_posted_at());
  posting.set_status(v1::POSTING_STATUS_PUBLISHED);
  return absl::OkStatus();
}

}  // namespace

v1::PostingStatus EffectiveStatus(const v1::JobPosting& posting, absl::Time now) {
  if (posting.status() == v1::POSTING_STATUS_PUBLISHED && posting.fields().has_closes_at() &&
      common::FromTimestamp(posting.fields().closes_at()) <= now) {
    return v1::POSTING_STATUS_EXPIRED;
  }
  return posting.status();
}

bool IsOpen(const v1::JobPosting& posting, absl::Time now) {
  return EffectiveStatus(posting, now) == v1::POSTING_STATUS_PUBLISHED;
}

absl::Status ApplyEdit(v1::JobPosting& posting, const v1::PostingFields& fields, absl::Time now) {
  const v1::PostingStatus status = EffectiveStatus(posting, now);
  if (status == v1::POSTING_STATUS_CLOSED || status == v1::POSTING_STATUS_EXPIRED) {
    return NotChangeable(status);
  }
  // A live posting keeps its closing date unless the edit sets one (renewing
  // is its own call with its own limits, but an explicit date was validated).
  google::protobuf::Timestamp closes = posting.fields().closes_at();
  const bool had_closes = posting.fields().has_closes_at();
  *posting.mutable_fields() = fields;
  if (status == v1::POSTING_STATUS_PUBLISHED && !fields.has_closes_at() && had_closes) {
    *posting.mutable_fields()->mutable_closes_at() = closes;
  }
  common::SetTimestamp(now, posting.mutable_updated_at());
  return absl::OkStatus();
}

absl::Status ApplyPublish(v1::JobPosting& posting, bool employer_trusted, absl::Time now) {
  const v1::PostingStatus status = EffectiveStatus(posting, now);
  switch (status) {
    case v1::POSTING_STATUS_PUBLISHED:
    case v1::POSTING_STATUS_PENDING_APPROVAL:
      return absl::OkStatus();
    case v1::POSTING_STATUS_CLOSED:
    case v1::POSTING_STATUS_EXPIRED:
      return NotChangeable(status);
    default:
      break;
  }
  if (employer_trusted) {
    if (auto s = GoLive(posting, now); !s.ok()) return s;
  } else {
    // Check the date now so the employer hears about it before waiting for
    // review; it is fixed for good when an admin approves.
    const v1::PostingFields& f = posting.fields();
    if (auto c = ClosingTime(f.has_closes_at() ? &f.closes_at() : nullptr, now); !c.ok()) {
      return c.status();
    }
    posting.set_status(v1::POSTING_STATUS_PENDING_APPROVAL);
  }
  common::SetTimestamp(now, posting.mutable_updated_at());
  return absl::OkStatus();
}

absl::Status ApplyClose(v1::JobPosting& posting, absl::Time now) {
  switch (EffectiveStatus(posting, now)) {
    case v1::POSTING_STATUS_CLOSED:
      return absl::OkStatus();
    case v1::POSTING_STATUS_PUBLISHED:
    case v1::POSTING_STATUS_EXPIRED:
      posting.set_status(v1::POSTING_STATUS_CLOSED);
      common::SetTimestamp(now, posting.mutable_updated_at());
      return absl::OkStatus();
    default:
      return absl::FailedPreconditionError("only published postings can be closed");
  }
}

absl::Status ApplyRenew(v1::JobPosting& posting, const google::protobuf::Timestamp* closes_at,
                        absl::Time now) {
  const v1::PostingStatus status = EffectiveStatus(posting, now);
  if (status != v1::POSTING_STATUS_PUBLISHED && status != v1::POSTING_STATUS_EXPIRED) {
    return absl::FailedPreconditionError("only published or expired postings can be renewed");
  }
  absl::StatusOr<absl::Time> closes = ClosingTime(closes_at, now);
  if (!closes.ok()) return closes.status();
  common::SetTimestamp(*closes, posting.mutable_fields()->mutable_closes_at());
  posting.set_status(v1::POSTING_STATUS_PUBLISHED);
  common::SetTimestamp(now, posting.mutable_updated_at());
  return absl::OkStatus();
}

absl::Status ApplyReview(v1::JobPosting& posting, bool approve, absl::string_view note,
                         absl::Time now) {
  if (posting.status() != v1::POSTING_STATUS_PENDING_APPROVAL) {
    return absl::FailedPreconditionError("the posting is not waiting for approval");
  }
  posting.set_review_note(std::string(note));
  if (approve) {
    if (auto s = GoLive(posting, now); !s.ok()) return s;
  } else {
    posting.set_status(v1::POSTING_STATUS_REJECTED);
  }
  common::SetTimestamp(now, posting.mutable_updated_at());
  return absl::OkStatus();
}

}  // namespace openencoder::jobs
