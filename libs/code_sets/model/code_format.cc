#include "libs/code_sets/model/code_format.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace openencoder::catalogue {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c); }

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool ValidIcd10Cm(absl::string_view c) {
  if (c.size() < 3 || c.size() > 7) return false;
  // The second character was always a digit until FY2026 added the QA0
  // category ("QA0", "QA00101"), so it is checked as alphanumeric.
  if (!IsUpper(c[0])) return false;
  for (size_t i = 1; i < c.size(); ++i) {
    if (!IsAlnum(c[i])) return false;
  }
  return true;
}

bool ValidIcd10Pcs(absl::string_view c) {
  if (c.size() != 7) return false;
  for (char ch : c) {
    // PCS leaves out I and O so that they are never read as 1 and 0.
    if (!IsAlnum(ch) || ch == 'I' || ch == 'O') return false;
  }
  return true;
}

bool ValidHcpcs(absl::string_view c) {
  return c.size() == 5 && c[0] >= 'A' && c[0] <= 'V' && AllDigits(c.substr(1));
}

bool ValidCpt(absl::string_view c) {
  if (c.size() != 5 || !AllDigits(c.substr(0, 4))) return false;
  return IsDigit(c[4]) || c[4] == 'F' || c[4] == 'M' || c[4] == 'T' || c[4] == 'U';
}

bool ValidIcd9Cm(absl::string_view c) {
  if (c.empty()) return false;
  if (c[0] == 'V') return c.size() >= 3 && c.size() <= 5 && AllDigits(c.substr(1));
  if (c[0] == 'E') return c.size() >= 4 && c.size() <= 5 && AllDigits(c.substr(1));
  return c.size() >= 3 && c.size() <= 5 && AllDigits(c);
}

bool ValidIcd9Procedure(absl::string_view c) {
  return c.size() >= 2 && c.size() <= 4 && AllDigits(c);
}

}  // namespace

bool IsValidCode(CodeSystem system, absl::string_view code) {
  switch (system) {
    case CodeSystem::kIcd10Cm:
      return ValidIcd10Cm(code);
    case CodeSystem::kIcd10Pcs:
      return ValidIcd10Pcs(code);
    case CodeSystem::kHcpcs:
      return ValidHcpcs(code);
    case CodeSystem::kCpt:
      return ValidCpt(code);
    case CodeSystem::kIcd9Cm:
      return ValidIcd9Cm(code);
    case CodeSystem::kIcd9CmProcedure:
      return ValidIcd9Procedure(code);
    case CodeSystem::kUnspecified:
      break;
  }
  return false;
}

absl::string_view CodePattern(CodeSystem system) {
  switch (system) {
    case CodeSystem::kIcd10Cm:
      return "^[A-Z][0-9A-Z][0-9A-Z]{1,5}$";
    case CodeSystem::kIcd10Pcs:
      return "^[0-9A-HJ-NP-Z]{7}$";
    case CodeSystem::kHcpcs:
      return "^[A-V][0-9]{4}$";
    case CodeSystem::kCpt:
      return "^([0-9]{5}|[0-9]{4}[FMTU])$";
    case CodeSystem::kIcd9Cm:
      return "^([0-9]{3,5}|V[0-9]{2,4}|E[0-9]{3,4})$";
    case CodeSystem::kIcd9CmProcedure:
      return "^[0-9]{2,4}$";
    case CodeSystem::kUnspecified:
      break;
  }
  return "^$";
}

absl::StatusOr<std::string> NormalizeCode(CodeSystem system, absl::string_view input) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(input);
  std::string code;
  code.reserve(trimmed.size());
  for (char c : trimmed) {
    if (c == '.') continue;
    code.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  if (!IsValidCode(system, code)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", input, "\" is not a valid ",
                                                   CodeSystemLabel(system), " code (expected ",
                                                   CodePattern(system), " without the dot)"));
  }
  return code;
}

std::string FormatDisplayCode(CodeSystem system, absl::string_view code) {
  size_t dot_at = 0;
  switch (system) {
    case CodeSystem::kIcd10Cm:
      dot_at = 3;
      break;
    case CodeSystem::kIcd9Cm:
      dot_at = (!code.empty() && code[0] == 'E') ? 4 : 3;
      break;
    case CodeSystem::kIcd9CmProcedure:
      dot_at = 2;
      break;
    default:
      return std::string(code);
  }
  if (code.size() <= dot_at) return std::string(code);
  return absl::StrCat(code.substr(0, dot_at), ".", code.substr(dot_at));
}

}  // namespace openencoder::catalogue
