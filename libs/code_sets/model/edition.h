// One loaded release of one code set.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_EDITION_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_EDITION_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "libs/code_sets/model/code_system.h"

namespace openencoder::catalogue {

// Identifies a release, e.g. {kIcd10Cm, "icd10cm-fy2026",
// "ICD-10-CM FY2026", 2025-10-01, ".../icd10cm-order-2026.txt"}.
struct Edition {
  CodeSystem system = CodeSystem::kUnspecified;
  // Short stable id used as CodeRecord::edition_id ("icd10cm-fy2026").
  std::string id;
  // Display label ("ICD-10-CM FY2026", "HCPCS 2020 Q4").
  std::string label;
  std::optional<absl::CivilDay> effective_date;
  // Path of the file the edition was loaded from.
  std::string source_file;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_EDITION_H_
