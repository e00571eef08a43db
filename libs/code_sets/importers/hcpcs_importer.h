// Importers for the CMS HCPCS Level II alpha-numeric file.
//
// Fixed width (HCPCyyyy_CONTR_ANWEB.txt, layout HCPCSyyyy_recordlayout.txt):
//   1-5 code (modifiers: 3 blanks + 2 chars), 6-10 sequence, 11 record id
//   (3 code, 4 code continuation, 7 modifier, 8 modifier continuation),
//   12-91 long description piece, 92-119 short description, 120-268
//   pricing/coverage/ASC/OPPS/BETOS/TOS fields, 269-276 added date,
//   277-284 action effective date, 285-292 termination date, 293 action
//   code, 294-320 filler.
// Releases use 320-character records (2019) or 293 (2026, filler
// dropped); the length is taken from the first record of each file. Records
// that lost trailing filler only (CMS's G8891 line is 316 long) are
// accepted; any other length is rejected. Disclaimer lines before the
// first record are counted as skipped.
//
// Spreadsheet export (HCPCyyyy_MMM_ANWEB.csv): RFC 4180 CSV with a header
// row naming the same 48 fields (HCPC, SEQNUM, RECID, LONG DESCRIPTION, ...).
// Columns are found by header name, so their order does not matter.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_HCPCS_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_HCPCS_IMPORTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/code_set_import.h"
#include "libs/code_sets/model/edition.h"

namespace openencoder::catalogue {

// edition.system should be kHcpcs (it is forced to it). Errors only when
// the file cannot be read; row problems are in the report.
absl::StatusOr<HcpcsImport> ImportHcpcsFixedWidth(const std::string& path, Edition edition);

// As above for the CSV export. A missing required column rejects the whole
// file (one RejectedRow at line 1) and returns no records.
absl::StatusOr<HcpcsImport> ImportHcpcsCsv(const std::string& path, Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_HCPCS_IMPORTER_H_
