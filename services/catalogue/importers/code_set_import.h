// The result of importing one code-set file: its records and the report.
#ifndef OPENENCODER_SERVICES_CATALOGUE_IMPORTERS_CODE_SET_IMPORT_H_
#define OPENENCODER_SERVICES_CATALOGUE_IMPORTERS_CODE_SET_IMPORT_H_

#include <vector>

#include "services/catalogue/importers/import_report.h"
#include "services/catalogue/model/code_record.h"
#include "services/catalogue/model/modifier.h"

namespace openencoder::catalogue {

struct CodeSetImport {
  std::vector<CodeRecord> records;  // In file order.
  ImportReport report;
};

// HCPCS files carry codes and modifiers in one file.
struct HcpcsImport {
  std::vector<CodeRecord> codes;
  std::vector<Modifier> modifiers;
  ImportReport report;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_IMPORTERS_CODE_SET_IMPORT_H_
