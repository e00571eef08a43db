// Readers for OpenEncoder's own CPT tables (data/demo/cpt/), which the
// importers library does not cover:
//
//   cpt-status    code<TAB>status<TAB>effective<TAB>deleted<TAB>replaced_by
//                 status active|deleted, dates YYYY-MM-DD or empty,
//                 replaced_by a space- or comma-separated list of codes.
//   cpt-ranges    first_code<TAB>last_code<TAB>family; ranges may nest
//                 (a narrower range inside a broader one), never overlap
//                 partially. Bounds are CPT codes or MAAA codes (dddd M).
//   cpt-modifiers modifier<TAB>name<TAB>explanation
//
// Each has its header row first. Rows that break the format are rejected in
// the report with their line number; only an unreadable file is an error.
#ifndef OPENENCODER_SERVICES_CATALOGUE_STORE_CPT_TABLES_H_
#define OPENENCODER_SERVICES_CATALOGUE_STORE_CPT_TABLES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/catalogue/importers/import_report.h"
#include "services/catalogue/model/code_note.h"
#include "services/catalogue/model/edition.h"

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

struct CptNestedRangeImport {
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

absl::StatusOr<CptStatusImport> ImportCptStatus(const std::string& path,
                                                Edition edition);
absl::StatusOr<CptNestedRangeImport> ImportNestedCptRanges(
    const std::string& path, Edition edition);
absl::StatusOr<CptModifierImport> ImportCptModifiers(const std::string& path,
                                                     Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_STORE_CPT_TABLES_H_
