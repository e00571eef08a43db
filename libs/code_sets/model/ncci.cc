#include "libs/code_sets/model/ncci.h"

namespace openencoder::catalogue {

absl::string_view MueAdjudicationMeaning(MueAdjudication indicator) {
  switch (indicator) {
    case MueAdjudication::kLineEdit:
      return "Line Edit";
    case MueAdjudication::kDateOfServicePolicy:
      return "Date of Service Edit: Policy";
    case MueAdjudication::kDateOfServiceClinical:
      return "Date of Service Edit: Clinical";
    case MueAdjudication::kUnspecified:
      break;
  }
  return "Unspecified";
}

}  // namespace openencoder::catalogue
