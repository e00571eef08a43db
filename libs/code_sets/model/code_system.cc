#include "libs/code_sets/model/code_system.h"

namespace openencoder::catalogue {

absl::string_view CodeSystemName(CodeSystem system) {
  switch (system) {
    case CodeSystem::kIcd10Cm:
      return "ICD10CM";
    case CodeSystem::kIcd10Pcs:
      return "ICD10PCS";
    case CodeSystem::kHcpcs:
      return "HCPCS";
    case CodeSystem::kCpt:
      return "CPT";
    case CodeSystem::kIcd9Cm:
      return "ICD9CM";
    case CodeSystem::kIcd9CmProcedure:
      return "ICD9CMPROC";
    case CodeSystem::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

absl::string_view CodeSystemLabel(CodeSystem system) {
  switch (system) {
    case CodeSystem::kIcd10Cm:
      return "ICD-10-CM";
    case CodeSystem::kIcd10Pcs:
      return "ICD-10-PCS";
    case CodeSystem::kHcpcs:
      return "HCPCS";
    case CodeSystem::kCpt:
      return "CPT";
    case CodeSystem::kIcd9Cm:
      return "ICD-9-CM";
    case CodeSystem::kIcd9CmProcedure:
      return "ICD-9-CM Vol. 3";
    case CodeSystem::kUnspecified:
      break;
  }
  return "unspecified";
}

std::optional<CodeSystem> ParseCodeSystemName(absl::string_view name) {
  for (CodeSystem s : {CodeSystem::kIcd10Cm, CodeSystem::kIcd10Pcs, CodeSystem::kHcpcs,
                       CodeSystem::kCpt, CodeSystem::kIcd9Cm, CodeSystem::kIcd9CmProcedure}) {
    if (CodeSystemName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace openencoder::catalogue
