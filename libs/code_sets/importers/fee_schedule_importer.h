// Importers for the Medicare Physician Fee Schedule relative values and
// GPCIs, and the payment formula.
//
// RVU file: CSV with a header row naming at least hcpcs, mod, status_code,
// work_rvu, non_fac_pe_rvu, facility_pe_rvu, mp_rvu (optional:
// non_facility_total, facility_total, pctc_ind, glob_days, mult_proc,
// bilat_surg, asst_surg, co_surg, team_surg, conv_factor). Columns are found
// by name. Blank numbers are 0.
// GPCI file: CSV with header mac,state,locality_number,locality_name,
// gpci_work,gpci_pe,gpci_mp.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FEE_SCHEDULE_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FEE_SCHEDULE_IMPORTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/model/fee_schedule.h"

namespace openencoder::catalogue {

struct RvuImport {
  std::vector<RvuRow> rows;
  ImportReport report;
  // conv_factor of the file when all rows agree on one non-zero value.
  double conversion_factor = 0;
};

struct GpciImport {
  std::vector<Gpci> localities;
  ImportReport report;
};

// Errors only for unreadable files; a header missing a required column
// rejects the file at line 1. Duplicate (code, modifier) rows are rejected.
absl::StatusOr<RvuImport> ImportRvuCsv(const std::string& path, Edition edition);

// Duplicate (mac, locality_number) rows are rejected.
absl::StatusOr<GpciImport> ImportGpciCsv(const std::string& path, Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_FEE_SCHEDULE_IMPORTER_H_
