// Canonical and display forms of codes, and what a valid code looks like.
//
//   NormalizeCode(CodeSystem::kIcd10Cm, " e11.9 ")  -> "E119"
//   FormatDisplayCode(CodeSystem::kIcd10Cm, "T814XXA") -> "T81.4XXA"
//   IsValidCode(CodeSystem::kHcpcs, "A0021") -> true
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_FORMAT_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/code_sets/model/code_system.h"

namespace openencoder::catalogue {

// Trims blanks, drops dots and upper-cases, then checks the result against
// the system's pattern. Returns INVALID_ARGUMENT naming the pattern (see
// CodePattern) when the result is not a valid code of `system`.
absl::StatusOr<std::string> NormalizeCode(CodeSystem system, absl::string_view input);

// True when `code` (already canonical: upper case, no dot) is well formed.
// Says nothing about whether the code exists in any edition.
bool IsValidCode(CodeSystem system, absl::string_view code);

// The display form: ICD-10-CM and ICD-9-CM diagnoses take a dot after the
// category (third character; fourth for ICD-9 E codes), ICD-9 procedures
// after the second character; other systems are shown as stored. Codes no
// longer than the category are returned unchanged.
std::string FormatDisplayCode(CodeSystem system, absl::string_view code);

// A regular expression describing valid canonical codes of `system`, for
// error messages (IsValidCode does not use a regex engine, for speed):
//   ICD-10-CM  ^[A-Z][0-9A-Z][0-9A-Z]{1,5}$     (2nd char is a digit
//              except in FY2026's new category QA0)
//   ICD-10-PCS ^[0-9A-HJ-NP-Z]{7}$            (no letters I or O)
//   HCPCS      ^[A-V][0-9]{4}$
//   CPT        ^([0-9]{5}|[0-9]{4}[FMTU])$   (Cat. I, II, MAAA, III, PLA)
//   ICD-9-CM   ^([0-9]{3,5}|V[0-9]{2,4}|E[0-9]{3,4})$
//   ICD-9 proc ^[0-9]{2,4}$
absl::string_view CodePattern(CodeSystem system);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_FORMAT_H_
