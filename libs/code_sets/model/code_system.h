// Code systems known to the catalogue and their stable textual names.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_SYSTEM_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_SYSTEM_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace openencoder::catalogue {

// One value per code set. Numbers are not persisted anywhere; use the names
// from CodeSystemName() in files and keys.
enum class CodeSystem {
  kUnspecified = 0,
  kIcd10Cm,         // ICD-10-CM diagnoses (NCHS).
  kIcd10Pcs,        // ICD-10-PCS inpatient procedures (CMS).
  kHcpcs,           // HCPCS Level II (CMS).
  kCpt,             // CPT Level I (AMA; licensee data only).
  kIcd9Cm,          // ICD-9-CM diagnoses, volumes 1-2 (GEM targets).
  kIcd9CmProcedure  // ICD-9-CM procedures, volume 3.
};

// Stable upper-case name used by our own files: "ICD10CM", "ICD10PCS",
// "HCPCS", "CPT", "ICD9CM", "ICD9CMPROC". kUnspecified gives "UNSPECIFIED".
absl::string_view CodeSystemName(CodeSystem system);

// Human label used in edition names: "ICD-10-CM", "HCPCS", ...
absl::string_view CodeSystemLabel(CodeSystem system);

// Inverse of CodeSystemName (case-sensitive); nullopt for unknown names.
std::optional<CodeSystem> ParseCodeSystemName(absl::string_view name);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_SYSTEM_H_
