#include "services/jobs/posting_validation.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/time_proto.h"

namespace openencoder::jobs {
namespace {

constexpr std::array<absl::string_view, 56> kStates = {
    "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI",
    "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP",
    "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA",
    "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY"};

constexpr std::array<absl::string_view, 17> kCredentials = {
    "CCA",   "CCS",  "CCS-P", "CDEO", "CDIP", "CIC",  "COC",  "CPB", "CPC",
    "CPC-A", "CPCO", "CPMA",  "CRC",  "RHIA", "RHIT", "CCDS", "CEMC"};

constexpr int kMaxListItems = 20;

// Counts code points of valid UTF-8 text and rejects control characters
// (C0 except the allowed ones, DEL, C1): they break rendering and logs and
// never belong in a job ad.
absl::Status CheckPlainText(absl::string_view field, absl::string_view text, int min_chars,
                            int max_chars, bool allow_newlines) {
  int chars = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
    }
    if (i + len > text.size()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
    }
    for (int k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                          (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
                          (cp >= 0xD800 && cp <= 0xDFFF);
    if (overlong) return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
    const bool allowed_space = allow_newlines && (cp == '\n' || cp == '\t' || cp == '\r');
    if ((cp < 0x20 && !allowed_space) || (cp >= 0x7F && cp < 0xA0)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": control characters are not allowed"));
    }
    ++chars;
    i += len;
  }
  if (chars < min_chars) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (chars > max_chars) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": at most ", max_chars, " characters"));
  }
  return absl::OkStatus();
}

absl::Status TrimAndCheck(absl::string_view field, std::string* text, int min_chars, int max_chars,
                          bool allow_newlines = false) {
  *text = std::string(absl::StripAsciiWhitespace(*text));
  return CheckPlainText(field, *text, min_chars, max_chars, allow_newlines);
}

template <typename T>
void SortUnique(google::protobuf::RepeatedField<T>* values) {
  std::sort(values->begin(), values->end());
  values->Truncate(static_cast<int>(std::unique(values->begin(), values->end()) - values->begin()));
}

void SortUnique(google::protobuf::RepeatedPtrField<std::string>* values) {
  std::sort(values->begin(), values->end());
  auto end = std::unique(values->begin(), values->end());
  while (values->end() != end) values->RemoveLast();
}

absl::Status NormaliseStates(absl::string_view field,
                             google::protobuf::RepeatedPtrField<std::string>* states) {
  if (states->size() > 60) return absl::InvalidArgumentError(absl::StrCat(field, ": too many"));
  for (std::string& state : *states) {
    state = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(state));
    if (!IsStateCode(state)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": unknown state code"));
    }
  }
  SortUnique(states);
  return absl::OkStatus();
}

absl::Status NormaliseCredentials(absl::string_view field,
                                  google::protobuf::RepeatedPtrField<std::string>* values) {
  if (values->size() > kMaxListItems) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": too many"));
  }
  for (std::string& value : *values) {
    value = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(value));
    if (!IsKnownCredential(value)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": unknown credential"));
    }
  }
  SortUnique(values);
  return absl::OkStatus();
}

bool IsZip(absl::string_view zip) {
  auto digits = [](absl::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
  };
  if (zip.size() == 5) return digits(zip);
  return zip.size() == 10 && zip[5] == '-' && digits(zip.substr(0, 5)) && digits(zip.substr(6));
}

}  // namespace

bool IsStateCode(absl::string_view code) {
  return std::binary_search(kStates.begin(), kStates.end(), code);
}

bool IsKnownCredential(absl::string_view credential) {
  return std::find(kCredentials.begin(), kCredentials.end(), credential) != kCredentials.end();
}

absl::Status ValidatePostingFields(v1::PostingFields& f, absl::Time now) {
  if (auto s = TrimAndCheck("fields.title", f.mutable_title(), 1, kMaxTitleChars); !s.ok()) {
    return s;
  }
  if (auto s =
          TrimAndCheck("fields.organization", f.mutable_organization(), 1, kMaxOrganizationChars);
      !s.ok()) {
    return s;
  }
  if (auto s = TrimAndCheck("fields.description", f.mutable_description(), 1, kMaxDescriptionChars,
                            /*allow_newlines=*/true);
      !s.ok()) {
    return s;
  }
  if (f.arrangement() == v1::WORK_ARRANGEMENT_UNSPECIFIED ||
      !v1::WorkArrangement_IsValid(f.arrangement())) {
    return absl::InvalidArgumentError("fields.arrangement: required");
  }
  v1::Location* location = f.mutable_location();
  if (auto s = TrimAndCheck("fields.location.city", location->mutable_city(), 0, 80); !s.ok()) {
    return s;
  }
  location->set_state(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(location->state())));
  location->set_zip(std::string(absl::StripAsciiWhitespace(location->zip())));
  const bool remote = f.arrangement() == v1::WORK_ARRANGEMENT_REMOTE;
  // Someone has to show up somewhere unless the job is fully remote.
  if (!remote && location->state().empty()) {
    return absl::InvalidArgumentError("fields.location.state: required unless remote");
  }
  if (!location->state().empty() && !IsStateCode(location->state())) {
    return absl::InvalidArgumentError("fields.location.state: unknown state code");
  }
  if (!location->zip().empty() && !IsZip(location->zip())) {
    return absl::InvalidArgumentError("fields.location.zip: 5 digits or ZIP+4");
  }
  if (auto s = NormaliseStates("fields.remote_states", f.mutable_remote_states()); !s.ok()) {
    return s;
  }
  if (f.arrangement() == v1::WORK_ARRANGEMENT_ON_SITE && !f.remote_states().empty()) {
    return absl::InvalidArgumentError("fields.remote_states: only for remote or hybrid work");
  }
  if (f.employment_type() == v1::EMPLOYMENT_TYPE_UNSPECIFIED ||
      !v1::EmploymentType_IsValid(f.employment_type())) {
    return absl::InvalidArgumentError("fields.employment_type: required");
  }
  if (auto s =
          NormaliseCredentials("fields.credentials_required", f.mutable_credentials_required());
      !s.ok()) {
    return s;
  }
  if (auto s =
          NormaliseCredentials("fields.credentials_preferred", f.mutable_credentials_preferred());
      !s.ok()) {
    return s;
  }
  if (f.settings_size() > kMaxListItems) {
    return absl::InvalidArgumentError("fields.settings: too many");
  }
  for (int setting : f.settings()) {
    if (setting == v1::CODING_SETTING_UNSPECIFIED || !v1::CodingSetting_IsValid(setting)) {
      return absl::InvalidArgumentError("fields.settings: unknown setting");
    }
  }
  SortUnique(f.mutable_settings());
  if (f.specialties_size() > kMaxListItems) {
    return absl::InvalidArgumentError("fields.specialties: too many");
  }
  for (std::string& specialty : *f.mutable_specialties()) {
    specialty = absl::AsciiStrToLower(absl::StripAsciiWhitespace(specialty));
    if (auto s = CheckPlainText("fields.specialties", specialty, 1, 40, false); !s.ok()) return s;
  }
  SortUnique(f.mutable_specialties());
  if (f.min_years_experience() < 0 || f.min_years_experience() > 50) {
    return absl::InvalidArgumentError("fields.min_years_experience: 0..50");
  }
  const v1::PayRange& pay = f.pay();
  if (pay.min_cents() < 0 || pay.max_cents() < 0) {
    return absl::InvalidArgumentError("fields.pay: amounts cannot be negative");
  }
  if (pay.max_cents() != 0 && pay.max_cents() < pay.min_cents()) {
    return absl::InvalidArgumentError("fields.pay: max below min");
  }
  if ((pay.min_cents() != 0 || pay.max_cents() != 0) &&
      (pay.model() == v1::PAY_MODEL_UNSPECIFIED || !v1::PayModel_IsValid(pay.model()))) {
    return absl::InvalidArgumentError("fields.pay.model: required with an amount");
  }
  if (pay.max_cents() > 100'000'000'00LL) {
    return absl::InvalidArgumentError("fields.pay: implausibly high");
  }
  if (auto s = TrimAndCheck("fields.productivity_target", f.mutable_productivity_target(), 0, 100);
      !s.ok()) {
    return s;
  }
  if (f.accuracy_target_percent() < 0 || f.accuracy_target_percent() > 100) {
    return absl::InvalidArgumentError("fields.accuracy_target_percent: 0..100");
  }
  if (auto s = TrimAndCheck("fields.how_to_apply", f.mutable_how_to_apply(), 0, 1000, true);
      !s.ok()) {
    return s;
  }
  if (f.has_closes_at()) {
    if (auto t = ClosingTime(&f.closes_at(), now); !t.ok()) return t.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ClosingTime(const google::protobuf::Timestamp* requested,
                                       absl::Time now) {
  if (requested == nullptr) return now + kDefaultPostingLifetime;
  const absl::Time t = common::FromTimestamp(*requested);
  if (t <= now) return absl::InvalidArgumentError("closes_at: must be in the future");
  if (t > now + kMaxPostingLifetime) {
    return absl::InvalidArgumentError("closes_at: at most 90 days ahead");
  }
  return t;
}

absl::Status ValidateApplication(absl::string_view note, absl::string_view resume_url) {
  if (auto s = CheckPlainText("note", note, 0, kMaxNoteChars, true); !s.ok()) return s;
  if (auto s = CheckPlainText("resume_url", resume_url, 0, 2000, false); !s.ok()) return s;
  // A link we will show to employers: https only, so no javascript: or
  // plain-http tracking links end up in front of them.
  if (!absl::StartsWith(resume_url, "https://") || resume_url.size() <= 8 ||
      resume_url.find(' ') != absl::string_view::npos) {
    return absl::InvalidArgumentError("resume_url: an https:// link is required");
  }
  return absl::OkStatus();
}

}  // namespace openencoder::jobs
