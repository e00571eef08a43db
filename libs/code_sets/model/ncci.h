// National Correct Coding Initiative edits (practitioner tables).
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_NCCI_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_NCCI_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"

namespace openencoder::catalogue {

// Procedure-to-procedure edit: column 2 is not paid with column 1 unless the
// modifier indicator allows a bypass modifier.
struct NcciPtpEdit {
  std::string column1;
  std::string column2;
  bool existed_before_1996 = false;  // "*" in the CMS file.
  absl::CivilDay effective_date;
  std::optional<absl::CivilDay> deletion_date;  // nullopt for "*" (active).
  // 0 = no modifier allowed, 1 = modifier allowed, 9 = not applicable.
  int modifier_indicator = 0;
  std::string rationale;
};

// MUE adjudication indicator: how the unit limit is applied.
enum class MueAdjudication {
  kUnspecified = 0,
  kLineEdit = 1,               // "1 Line Edit".
  kDateOfServicePolicy = 2,    // "2 Date of Service Edit: Policy".
  kDateOfServiceClinical = 3,  // "3 Date of Service Edit: Clinical".
};

// The CMS wording for an indicator ("Line Edit", ...).
absl::string_view MueAdjudicationMeaning(MueAdjudication indicator);

// Medically Unlikely Edit: the most units of `code` per line or day.
struct MueEdit {
  std::string code;
  int units = 0;
  MueAdjudication adjudication = MueAdjudication::kUnspecified;
  std::string rationale;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_NCCI_H_
