// Importers for the diagnosis GEMs and the ICD-9-CM title files.
//
// GEM lines (CMS/NCHS 2018): source code, blanks, target code, blanks, five
// flag digits (approximate, no map, combination, scenario, choice list),
// e.g. "0010  A000    00000". Lines are split on blanks, which the GEM
// documentation says is safe. No-map rows carry the target "NoDx".
//
// ICD-9-CM title lines (CMS v32): code, one blank, title. Latin-1 files
// (CMS32_DESC_LONG_DX.txt) are converted to UTF-8.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_GEM_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_GEM_IMPORTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/code_set_import.h"
#include "libs/code_sets/model/gem_mapping.h"

namespace openencoder::catalogue {

struct GemImport {
  std::vector<GemMapping> mappings;
  ImportReport report;
};

// `source_system` is kIcd9Cm for the forward file (2018_I9gem.txt) and
// kIcd10Cm for the backward file (2018_I10gem.txt); INVALID_ARGUMENT
// otherwise. Identical repeated rows are rejected as duplicates.
absl::StatusOr<GemImport> ImportGemFile(const std::string& path, CodeSystem source_system,
                                        Edition edition);

enum class TextEncoding { kUtf8, kLatin1 };

// Titles of ICD-9-CM diagnoses (edition.system kIcd9Cm) or procedures
// (kIcd9CmProcedure). `short_titles` tells which title field to fill.
absl::StatusOr<CodeSetImport> ImportIcd9Titles(const std::string& path, Edition edition,
                                               bool short_titles, TextEncoding encoding);

// Appends `latin1` converted to UTF-8 to `out`.
void AppendLatin1AsUtf8(absl::string_view latin1, std::string* out);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_GEM_IMPORTER_H_
