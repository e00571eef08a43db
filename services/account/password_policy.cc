#include "services/account/password_policy.h"

#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace openencoder::account {
namespace {

// Counts code points: every byte except UTF-8 continuation bytes starts one.
int CountCharacters(absl::string_view text) {
  int n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

absl::StatusOr<PasswordPolicy> PasswordPolicy::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open the common-password list ", path));
  }
  absl::flat_hash_set<std::string> common;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view word = absl::StripAsciiWhitespace(line);
    if (word.empty() || word.front() == '#') continue;
    common.insert(std::string(word));
  }
  if (in.bad()) {
    return absl::InternalError(absl::StrCat("cannot read ", path));
  }
  return PasswordPolicy(std::move(common));
}

PasswordPolicy::PasswordPolicy(absl::flat_hash_set<std::string> common) {
  for (const std::string& word : common) {
    common_.insert(absl::AsciiStrToLower(word));
  }
}

absl::Status PasswordPolicy::Check(absl::string_view password) const {
  const int n = CountCharacters(password);
  if (n < kMinCharacters) {
    return absl::InvalidArgumentError(
        absl::StrCat("password must have at least ", kMinCharacters, " characters"));
  }
  if (n > kMaxCharacters) {
    return absl::InvalidArgumentError(
        absl::StrCat("password must have at most ", kMaxCharacters, " characters"));
  }
  if (common_.contains(absl::AsciiStrToLower(password))) {
    return absl::InvalidArgumentError(
        "password is too common; choose a longer or less predictable one, "
        "for example a few unrelated words");
  }
  return absl::OkStatus();
}

}  // namespace openencoder::account
