#include "services/account/email.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace openencoder::account {
namespace {

bool IsLocalChar(char c) {
  if (absl::ascii_isalnum(static_cast<unsigned char>(c))) return true;
  // RFC 5322 atext plus '.', without the characters that make addresses
  // hard to quote safely in mail headers and HTML.
  static constexpr absl::string_view kAllowed = ".!#$%&'*+/=?^_`{|}~-";
  return kAllowed.find(c) != absl::string_view::npos;
}

bool IsValidDomain(absl::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizeEmail(absl::string_view raw) {
  std::string email = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
  if (email.empty()) return absl::InvalidArgumentError("email is required");
  if (email.size() > 254) {
    return absl::InvalidArgumentError("email is longer than 254 characters");
  }
  const size_t at = email.find('@');
  if (at == std::string::npos || email.find('@', at + 1) != std::string::npos) {
    return absl::InvalidArgumentError("email must contain exactly one '@', as in name@example.com");
  }
  absl::string_view local = absl::string_view(email).substr(0, at);
  absl::string_view domain = absl::string_view(email).substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return absl::InvalidArgumentError(
        "the part of the email before '@' must have 1 to 64 characters");
  }
  for (char c : local) {
    if (!IsLocalChar(c)) {
      return absl::InvalidArgumentError(
          "the part of the email before '@' may contain only letters, digits "
          "and . ! # $ % & ' * + / = ? ^ _ ` { | } ~ -");
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "the part of the email before '@' may not start or end with '.' or "
        "contain '..'");
  }
  if (!IsValidDomain(domain)) {
    return absl::InvalidArgumentError(
        "the part of the email after '@' must be a domain such as example.com");
  }
  return email;
}

}  // namespace openencoder::account
