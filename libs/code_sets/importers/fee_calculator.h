// The Medicare Physician Fee Schedule payment formula.
//
//   fee = ((work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU x MP GPCI))
//         x conversion factor
//
// where the PE RVU is the facility or non-facility one depending on where
// the service was performed.
//
//   absl::StatusOr<FeeResult> fee = ComputeMedicareFee(
//       rvu_99213, gpci_manhattan, PlaceOfService::kNonFacility,
//       kCy2024ConversionFactor, 2024);
//   fee->amount   // 103.22 (rounded to cents)
//   fee->formula  // "CY2024 non-facility: ((1.3 x 1.065) + ..."
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FEE_CALCULATOR_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FEE_CALCULATOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/code_sets/model/fee_schedule.h"

namespace openencoder::catalogue {

// CY2024 conversion factor from RVU24C (July 2024 release, effective
// 2024-07-01), the value in the conv_factor column of our RVU file and in
// mpfs-rvu/PROVENANCE.md. Earlier CY2024 releases used 32.7442 (January)
// and 33.2875 from March onward.
inline constexpr double kCy2024ConversionFactor = 33.2875;

enum class PlaceOfService { kNonFacility, kFacility };

struct FeeResult {
  double amount = 0;    // Dollars, rounded to cents.
  std::string formula;  // The numbers used, with the year, for display.
};

// INVALID_ARGUMENT when the conversion factor is not positive. Pure.
absl::StatusOr<FeeResult> ComputeMedicareFee(const RvuRow& rvu, const Gpci& gpci,
                                             PlaceOfService place, double conversion_factor,
                                             int year);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FEE_CALCULATOR_H_
