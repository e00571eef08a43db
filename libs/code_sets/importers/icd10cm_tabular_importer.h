// Importer for the CDC's ICD-10-CM Tabular List XML
// (icd10cm_tabular_YYYY.xml, root <ICD10CM.tabular>): chapters, sections
// (blocks) and nested <diag> entries with their instructional notes:
//
//   <chapter><name>4</name><desc>...</desc> notes... <section id="E08-E13">
//     <desc>...</desc> notes... <diag><name>E11</name><desc>...</desc>
//       <includes><note>diabetes NOS</note></includes>
//       <sevenChrNote>...</sevenChrNote>
//       <sevenChrDef><extension char="A">initial encounter</extension></sevenChrDef>
//       <diag>...</diag>
//
// Note elements: includes, inclusionTerm, excludes1, excludes2, codeFirst,
// useAdditionalCode, codeAlso, notes, sevenChrNote; each holds <note>s.
// One data row per <diag> (the FY2023 file has 45,869). Rejected, with the
// XML line: a <diag> without a <name> that is an ICD-10-CM code, a
// duplicate name, a <diag> without <desc>, an <extension> whose char is not
// one letter or digit. A rejected diag's children still load (under its
// parent). A file that is not well-formed XML, or whose root is not
// <ICD10CM.tabular>, is an error (INVALID_ARGUMENT with the line).
#ifndef OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ICD10CM_TABULAR_IMPORTER_H_
#define OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ICD10CM_TABULAR_IMPORTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/model/tabular.h"

namespace openencoder::catalogue {

struct TabularImport {
  // Parents before children, in file order.
  std::vector<TabularNode> nodes;
  std::string version;  // <version>, e.g. "2023".
  int chapters = 0;
  int sections = 0;
  int64_t notes = 0;  // <note> elements kept (7th-character extensions not counted).
  ImportReport report;
};

absl::StatusOr<TabularImport> ImportIcd10CmTabular(const std::string& path, Edition edition);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_IMPORTERS_ICD10CM_TABULAR_IMPORTER_H_
