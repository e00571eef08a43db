// Importers for CMS's NCCI practitioner tables (not shipped in shared
// data; CMS publishes them quarterly).
//
// PTP edits (ccipra-v*-f1..f4 text): tab-separated; CMS puts a few
// copyright/header lines first, which are skipped up to the first line whose
// first field is a HCPCS or CPT code. Columns:
//   column 1 code, column 2 code, "*" if in existence prior to 1996 (else
//   blank), effective date YYYYMMDD, deletion date YYYYMMDD or "*" (none),
//   modifier indicator 0/1/9, PTP edit rationale.
//
// MUE (practitioner services CSV): lines before the header row
//   HCPCS/CPT Code,Practitioner Services MUE Values,
//   MUE Adjudication Indicator,MUE Rationale
// are skipped; adjudication cells read "1 Line Edit", "2 Date of Service
// Edit: Policy" or "3 Date of Service Edit: Clinical".
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_NCCI_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_NCCI_IMPORTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/model/ncci.h"

namespace openencoder::catalogue {

struct PtpImport {
  std::vector<NcciPtpEdit> edits;
  ImportReport report;
};

struct MueImport {
  std::vector<MueEdit> edits;
  ImportReport report;
};

// A repeated (column 1, column 2, effective date) is a duplicate. Errors
// only for unreadable files.
absl::StatusOr<PtpImport> ImportNcciPtp(const std::string& path, Edition edition);

// A repeated code is a duplicate. A file without the header row is
// rejected at line 0.
absl::StatusOr<MueImport> ImportNcciMue(const std::string& path, Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_NCCI_IMPORTER_H_
