// One row of a General Equivalence Mapping between ICD-9-CM and ICD-10-CM.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_GEM_MAPPING_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_GEM_MAPPING_H_

#include <string>

#include "libs/code_sets/model/code_system.h"

namespace openencoder::catalogue {

struct GemMapping {
  CodeSystem source_system = CodeSystem::kUnspecified;
  CodeSystem target_system = CodeSystem::kUnspecified;
  std::string source;  // Canonical, no dot.
  std::string target;  // Canonical, or "NoDx" when no_map is set.
  bool approximate = false;
  bool no_map = false;
  bool combination = false;
  int scenario = 0;     // 0-9; groups targets of one combination.
  int choice_list = 0;  // 0-9; pick one target per choice list.
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_GEM_MAPPING_H_
