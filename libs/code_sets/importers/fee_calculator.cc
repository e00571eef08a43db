#include "libs/code_sets/importers/fee_calculator.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace openencoder::catalogue {

absl::StatusOr<FeeResult> ComputeMedicareFee(const RvuRow& rvu, const Gpci& gpci,
                                             PlaceOfService place, double conversion_factor,
                                             int year) {
  if (!(conversion_factor > 0)) {
    return absl::InvalidArgumentError("conversion factor must be positive");
  }
  const bool facility = place == PlaceOfService::kFacility;
  const double pe_rvu = facility ? rvu.facility_pe_rvu : rvu.non_facility_pe_rvu;
  const double total = (rvu.work_rvu * gpci.work) + (pe_rvu * gpci.pe) + (rvu.mp_rvu * gpci.mp);
  FeeResult result;
  result.amount = std::round(total * conversion_factor * 100.0) / 100.0;
  result.formula = absl::StrFormat(
      "CY%d %s fee for %s%s%s in %s (%s, MAC %s, locality %s): "
      "((%g x %g) + (%g x %g) + (%g x %g)) x %.4f = $%.2f",
      year, facility ? "facility" : "non-facility", rvu.code, rvu.modifier.empty() ? "" : "-",
      rvu.modifier, gpci.locality_name, gpci.state, gpci.mac, gpci.locality_number, rvu.work_rvu,
      gpci.work, pe_rvu, gpci.pe, rvu.mp_rvu, gpci.mp, conversion_factor, result.amount);
  return result;
}

}  // namespace openencoder::catalogue
