// The result of importing one code-set file: its records and the report.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CODE_SET_IMPORT_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CODE_SET_IMPORT_H_

#include <vector>

#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/model/code_record.h"
#include "libs/code_sets/model/modifier.h"

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

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CODE_SET_IMPORT_H_
