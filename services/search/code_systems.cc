#include "services/search/code_systems.h"

namespace openencoder::search {

namespace cv1 = ::openencoder::catalogue::v1;

std::string SystemName(cv1::CodeSystem system) {
  switch (system) {
    case cv1::CODE_SYSTEM_ICD10CM:
      return "ICD10CM";
    case cv1::CODE_SYSTEM_ICD10PCS:
      return "ICD10PCS";
    case cv1::CODE_SYSTEM_HCPCS:
      return "HCPCS";
    case cv1::CODE_SYSTEM_CPT:
      return "CPT";
    case cv1::CODE_SYSTEM_ICD9CM:
      return "ICD9CM";
    default:
      return "";
  }
}

cv1::CodeSystem SystemFromName(absl::string_view name) {
  if (name == "ICD10CM") return cv1::CODE_SYSTEM_ICD10CM;
  if (name == "ICD10PCS") return cv1::CODE_SYSTEM_ICD10PCS;
  if (name == "HCPCS") return cv1::CODE_SYSTEM_HCPCS;
  if (name == "CPT") return cv1::CODE_SYSTEM_CPT;
  if (name == "ICD9CM") return cv1::CODE_SYSTEM_ICD9CM;
  return cv1::CODE_SYSTEM_UNSPECIFIED;
}

}  // namespace openencoder::search
