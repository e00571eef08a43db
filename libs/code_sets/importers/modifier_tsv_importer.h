// Importer for the HCPCS Level II modifier table (tab-separated, UTF-8):
//
//   modifier<TAB>long_description<TAB>short_description<TAB>added_date
//   <TAB>action_effective_date<TAB>termination_date<TAB>action_code
//
// with that header row first. Dates are YYYYMMDD or blank.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_MODIFIER_TSV_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_MODIFIER_TSV_IMPORTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/model/modifier.h"

namespace openencoder::catalogue {

struct ModifierImport {
  std::vector<Modifier> modifiers;
  ImportReport report;
};

// Errors only when the file cannot be read. A wrong header rejects the
// file (RejectedRow at line 1) and loads nothing.
absl::StatusOr<ModifierImport> ImportModifierTsv(const std::string& path, Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_MODIFIER_TSV_IMPORTER_H_
