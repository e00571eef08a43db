// Importer for the ICD-10-CM and ICD-10-PCS "order" files (CDC/CMS), which
// list every code and header in tabular order:
//
//   cols 1-5 order number, 7-13 code (no dot), 15 flag (1 = billable,
//   0 = header), 17-76 short title, 78-end long title; 6, 14, 16, 77 blank.
//
//   Edition e{CodeSystem::kIcd10Cm, "icd10cm-fy2026", "ICD-10-CM FY2026",
//             absl::CivilDay(2025, 10, 1)};
//   absl::StatusOr<CodeSetImport> r = ImportIcd10OrderFile(path, e);
//
// Every record gets its display code, category (first three characters),
// parent (longest shorter code of the file that is its prefix) and, for
// ICD-10-CM, its chapter. Rows that break the layout, carry an invalid code
// or repeat a code are rejected with their line number.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ICD10_ORDER_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ICD10_ORDER_IMPORTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/code_set_import.h"
#include "libs/code_sets/model/edition.h"

namespace openencoder::catalogue {

// INVALID_ARGUMENT if edition.system is not kIcd10Cm or kIcd10Pcs;
// NOT_FOUND/UNAVAILABLE if the file cannot be read. Row problems never fail
// the call; they are in the report.
absl::StatusOr<CodeSetImport> ImportIcd10OrderFile(const std::string& path, Edition edition);

// Applies an order-addenda file (lines "Add:", "Delete:", "Revise from:",
// "Revise to:" padded to 13 characters, then for ICD-10-CM the flag and the
// code, for ICD-10-PCS the code alone, then the titles) to `import`. A PCS
// code of 3 characters is a table header (added or retitled like a code):
// - added codes become kNew; codes both deleted and added (a billable code
//   turned header) and revised codes become kRevised;
// - deleted codes missing from the order file are appended as kDeleted
//   records titled from the addenda line, with their children in this
//   edition as replacement codes.
// The summary block at the end of the file is counted as skipped lines.
// Returns the addenda's own report; errors only for unreadable files.
absl::StatusOr<ImportReport> ApplyIcd10OrderAddenda(const std::string& path, CodeSetImport* import);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ICD10_ORDER_IMPORTER_H_
