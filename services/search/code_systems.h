// The catalogue's CodeSystem enum and the engine's system names, both ways.
#ifndef OPENENCODER_SERVICES_SEARCH_CODE_SYSTEMS_H_
#define OPENENCODER_SERVICES_SEARCH_CODE_SYSTEMS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "openencoder/catalogue/v1/codes.pb.h"

namespace openencoder::search {

// "ICD10CM", "ICD10PCS", "HCPCS", "CPT", "ICD9CM"; "" for UNSPECIFIED.
std::string SystemName(openencoder::catalogue::v1::CodeSystem system);

// The inverse; CODE_SYSTEM_UNSPECIFIED for a name it does not know.
openencoder::catalogue::v1::CodeSystem SystemFromName(absl::string_view name);

}  // namespace openencoder::search

#endif  // OPENENCODER_SERVICES_SEARCH_CODE_SYSTEMS_H_
