// OpenEncoder's own plain-language notes and CPT family ranges.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_NOTE_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_NOTE_H_

#include <string>
#include <vector>

#include "libs/code_sets/model/code_system.h"

namespace openencoder::catalogue {

// Our own words about a code; never official descriptor text.
struct CodeNote {
  CodeSystem system = CodeSystem::kUnspecified;
  std::string code;  // Canonical.
  std::string family;
  std::string plain_language;
  std::vector<std::string> lay_terms;
};

// A named run of CPT codes, e.g. {"99202", "99215", "Office visits"}.
struct CptRange {
  std::string first_code;
  std::string last_code;
  std::string family;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_CODE_NOTE_H_
