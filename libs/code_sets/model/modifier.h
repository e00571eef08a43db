// A HCPCS Level II modifier (two characters, e.g. "LT", "GA", "Q5").
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_MODIFIER_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_MODIFIER_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"

namespace openencoder::catalogue {

struct Modifier {
  std::string code;  // Two characters, upper case.
  std::string short_description;
  std::string long_description;  // Continuation records joined with ' '.
  std::optional<absl::CivilDay> added_date;
  std::optional<absl::CivilDay> effective_date;
  std::optional<absl::CivilDay> termination_date;
  char action_code = '\0';
  std::string edition_id;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_MODIFIER_H_
