#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/gateway/jobs_routes.h"

namespace openencoder::gateway {
namespace {

struct FieldName {
  absl::string_view path;
  absl::string_view label;
};

// Proto paths (request fields and query parameters) -> what the form calls them.
constexpr FieldName kFields[] = {
    {"fields.title", "Title"},
    {"fields.organization", "Organization"},
    {"fields.description", "Description"},
    {"fields.location.city", "City"},
    {"fields.location.state", "State"},
    {"fields.location.zip", "ZIP code"},
    {"fields.location", "Location"},
    {"fields.arrangement", "Work arrangement (remote, hybrid or on site)"},
    {"fields.remote_states", "States a remote coder may live in"},
    {"fields.employment_type", "Employment type"},
    {"fields.credentials_required", "Required credentials"},
    {"fields.credentials_preferred", "Preferred credentials"},
    {"fields.settings", "Coding settings"},
    {"fields.specialties", "Specialties"},
    {"fields.min_years_experience", "Years of experience"},
    {"fields.pay.model", "Pay model"},
    {"fields.pay", "Pay range"},
    {"fields.productivity_target", "Productivity target"},
    {"fields.accuracy_target_percent", "Accuracy target"},
    {"fields.how_to_apply", "How to apply"},
    {"fields.closes_at", "Closing date"},
    {"closes_at", "Closing date"},
    {"note", "Note"},
    {"resume_url", "Résumé link"},
    {"query", "Keywords"},
    {"page_size", "Page size"},
    {"page_token", "Page"},
    {"expected_version", "Posting version"},
    {"filters.arrangements", "Arrangement filter"},
    {"filters.states", "State filter"},
    {"filters.credentials", "Credential filter"},
    {"filters.settings", "Setting filter"},
    {"filters.specialties", "Specialty filter"},
    {"filters.min_pay_cents_yearly", "Minimum pay filter"},
    {"filters.posted_within_days", "Posted-within filter"},
    {"filters", "Filters"},
    {"sort", "Sort order"},
};

// What the search refuses without saying why (the path alone).
constexpr FieldName kBareFilters[] = {
    {"filters.states", "State filter: use a two-letter US state code, such as TX."},
    {"filters.credentials",
     "Credential filter: use a credential such as CPC, CCS or CPC-A (CPC, CPC-A, COC, CIC, CRC, "
     "CCS, CCS-P, CCA, RHIT, RHIA, CPMA, CDIP)."},
    {"filters.arrangements", "Arrangement filter: choose remote, hybrid or on site."},
    {"filters.settings", "Setting filter: choose one of the listed coding settings."},
};

std::string Sentence(std::string s) {
  if (!s.empty() && s.back() != '.') s.push_back('.');
  return s;
}

std::string Reason(absl::string_view label, absl::string_view reason) {
  if (reason == "required") return absl::StrCat(label, " is required.");
  if (reason == "required unless remote") {
    return absl::StrCat(label, " is required unless the job is remote.");
  }
  if (reason == "required with an amount") {
    return absl::StrCat(label,
                        " is required when you give an amount (hourly, yearly or per chart).");
  }
  if (reason == "unknown state code") {
    return absl::StrCat(label, " is not a US state code; use two letters, such as TX.");
  }
  if (reason == "unknown credential") {
    return absl::StrCat(label,
                        ": use credentials such as CPC, CCS or CPC-A (CPC, CPC-A, COC, CIC, CRC, "
                        "CCS, CCS-P, CCA, RHIT, RHIA, CPMA, CDIP).");
  }
  if (reason == "too many") return absl::StrCat(label, ": too many entries.");
  if (reason == "max below min") {
    return absl::StrCat(label, ": the maximum is below the minimum.");
  }
  if (reason == "0..50") return absl::StrCat(label, " must be between 0 and 50.");
  if (reason == "0..100") return absl::StrCat(label, " must be a percentage between 0 and 100.");
  if (reason == "5 digits or ZIP+4") {
    return absl::StrCat(label, " must be 5 digits or ZIP+4 (12345-6789).");
  }
  if (absl::StartsWith(reason, "at most ") || absl::StartsWith(reason, "must ")) {
    return Sentence(
        absl::StrCat(label, absl::StartsWith(reason, "must ") ? " " : " must be ", reason));
  }
  return Sentence(absl::StrCat(label, ": ", reason));
}

}  // namespace

std::string HumanJobsMessage(absl::string_view message) {
  absl::string_view path = message;
  absl::string_view reason;
  // The JSON parser names the field in parentheses: "...: (fields.pay.model):
  // invalid value \"x\" for type ...". The value is the client's, the
  // field is what a person can fix.
  if (absl::StartsWith(message, "The request body is not valid JSON")) {
    const size_t open = message.find('(');
    const size_t close = message.find(')', open);
    if (open != absl::string_view::npos && close != absl::string_view::npos) {
      const absl::string_view field = message.substr(open + 1, close - open - 1);
      for (const FieldName& f : kFields) {
        if (field == f.path) return absl::StrCat(f.label, " has a value that is not valid.");
      }
    }
    return std::string(message);
  }
  // The gateway's own parse errors: "parameter 'filters.states': why".
  if (absl::ConsumePrefix(&path, "parameter '")) {
    const size_t end = path.find("': ");
    if (end == absl::string_view::npos) return std::string(message);
    reason = path.substr(end + 3);
    path = path.substr(0, end);
  } else if (const size_t colon = message.find(": "); colon != absl::string_view::npos) {
    path = message.substr(0, colon);
    reason = message.substr(colon + 2);
  } else {
    for (const FieldName& f : kBareFilters) {
      if (message == f.path) return std::string(f.label);
    }
  }
  const std::string name(path);
  for (const FieldName& f : kFields) {
    // The gateway accepts JSON names too ("filters.cpcAAccepted"); the
    // services always answer with proto names, so exact matches suffice.
    if (name == f.path) {
      if (reason.empty()) return Sentence(std::string(f.label) + " is not valid");
      return Reason(f.label, reason);
    }
  }
  std::string out(message);
  if (!out.empty()) out[0] = absl::ascii_toupper(static_cast<unsigned char>(out[0]));
  return Sentence(std::move(out));
}

}  // namespace openencoder::gateway
