// Importers for licensee CPT descriptors and for OpenEncoder's own notes.
//
// CPT licensee file (the repository never holds AMA text; a licensee
// supplies this file at deploy time): UTF-8, one code per line,
//   code<TAB>short descriptor<TAB>long descriptor
// Lines starting with '#' and blank lines are comments. Codes follow the
// CPT pattern (5 digits, or 4 digits + F/T/U).
//
// Code notes (data/demo/code_notes.tsv; our own words): UTF-8, header
//   system<TAB>code<TAB>family<TAB>plain_language<TAB>lay_terms
// system is ICD10CM, ICD10PCS, HCPCS or CPT; codes may be written with a
// dot; lay_terms are separated by '|'.
//
// OpenEncoder's CPT status, range and modifier tables: cpt_tables_importer.h.
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_NOTES_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_NOTES_IMPORTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/code_set_import.h"
#include "libs/code_sets/model/code_note.h"

namespace openencoder::catalogue {

struct CodeNoteImport {
  std::vector<CodeNote> notes;
  ImportReport report;
};

// Duplicate codes are rejected. Errors only for unreadable files.
absl::StatusOr<CodeSetImport> ImportCptLicenseeFile(const std::string& path, Edition edition);

// Duplicate (system, code) pairs are rejected; a wrong header rejects the
// file at line 1.
absl::StatusOr<CodeNoteImport> ImportCodeNotes(const std::string& path, Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_NOTES_IMPORTER_H_
