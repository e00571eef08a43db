// Importers for OpenEncoder's own CPT tables (data/demo/cpt/): our words and
// dates about CPT codes, never AMA text. UTF-8 TSV, header row first, blank
// lines ignored, fields stripped (see tsv_table.h).
//
//   cpt-status    code<TAB>status<TAB>effective<TAB>deleted<TAB>replaced_by
//                 status active|deleted; dates YYYY-MM-DD or empty, and a
//                 deletion date exactly when the status is deleted;
//                 replaced_by a space- or comma-separated list of codes.
//   cpt-ranges    first_code<TAB>last_code<TAB>family
//                 both ends CPT codes of one kind (digits, F, M, T or U),
//                 first_code <= last_code. Ranges may nest (10004-69990
//                 holding 11102-11107: the innermost names a code's family);
//                 ranges that cross another or repeat one exactly are
//                 rejected.
//   cpt-modifiers modifier<TAB>name<TAB>explanation
//                 a two-digit modifier and a non-empty name.
//
// Rows that break the format are rejected in the report with their line
// number; a wrong header rejects the file at line 1. Errors: only an
// unreadable file (NOT_FOUND / UNAVAILABLE).
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CPT_TABLES_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CPT_TABLES_IMPORTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/model/code_note.h"
#include "libs/code_sets/model/edition.h"

namespace openencoder::catalogue {

struct CptStatusRow {
  std::string code;
  bool deleted = false;
  std::optional<absl::CivilDay> effective_date;
  std::optional<absl::CivilDay> deleted_date;
  std::vector<std::string> replaced_by;
};

struct CptStatusImport {
  std::vector<CptStatusRow> rows;
  ImportReport report;
};

struct CptRangeImport {
  std::vector<CptRange> ranges;  // In file order (broader before narrower).
  ImportReport report;
};

struct CptModifierRow {
  std::string code;
  std::string name;
  std::string explanation;
};

struct CptModifierImport {
  std::vector<CptModifierRow> modifiers;
  ImportReport report;
};

absl::StatusOr<CptStatusImport> ImportCptStatus(const std::string& path, Edition edition);
absl::StatusOr<CptRangeImport> ImportCptRanges(const std::string& path, Edition edition);
absl::StatusOr<CptModifierImport> ImportCptModifiers(const std::string& path, Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_CPT_TABLES_IMPORTER_H_
