#include "libs/code_sets/importers/notes_importer.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/code_sets/importers/line_reader.h"
#include "libs/code_sets/importers/tsv_table.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {

absl::StatusOr<CodeSetImport> ImportCptLicenseeFile(const std::string& path, Edition edition) {
  CodeSetImport out;
  edition.system = CodeSystem::kCpt;
  StartImport(path, edition, &out.report);
  ImportReport& report = out.report;
  absl::flat_hash_set<std::string> seen;
  absl::Status status =
      ReadTsvTable(path, "", /*hash_comments=*/true, 3, &report,
                   [&](int64_t n, const std::vector<absl::string_view>& f) {
                     if (!IsValidCode(CodeSystem::kCpt, f[0])) {
                       report.Reject(n, absl::StrCat("\"", f[0], "\" is not a CPT code (",
                                                     CodePattern(CodeSystem::kCpt), ")"));
                       return false;
                     }
                     if (f[1].empty() || f[2].empty()) {
                       report.Reject(n, absl::StrCat(f[0], ": empty descriptor"));
                       return false;
                     }
                     if (!seen.insert(std::string(f[0])).second) {
                       report.Reject(n, absl::StrCat("duplicate code ", f[0]));
                       return false;
                     }
                     CodeRecord& r = out.records.emplace_back();
                     r.system = CodeSystem::kCpt;
                     r.code = std::string(f[0]);
                     r.display_code = r.code;
                     r.short_title = std::string(f[1]);
                     r.long_title = std::string(f[2]);
                     r.billable = true;
                     r.effective_date = edition.effective_date;
                     r.edition_id = edition.id;
                     return true;
                   });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CodeNoteImport> ImportCodeNotes(const std::string& path, Edition edition) {
  CodeNoteImport out;
  StartImport(path, edition, &out.report);
  ImportReport& report = out.report;
  absl::flat_hash_set<std::string> seen;
  absl::Status status = ReadTsvTable(
      path, "system\tcode\tfamily\tplain_language\tlay_terms",
      /*hash_comments=*/false, 5, &report, [&](int64_t n, const std::vector<absl::string_view>& f) {
        std::optional<CodeSystem> system = ParseCodeSystemName(f[0]);
        if (!system.has_value() || *system == CodeSystem::kIcd9Cm ||
            *system == CodeSystem::kIcd9CmProcedure) {
          report.Reject(n, absl::StrCat("system \"", f[0],
                                        "\" is not one of "
                                        "ICD10CM, ICD10PCS, HCPCS, CPT"));
          return false;
        }
        absl::StatusOr<std::string> code = NormalizeCode(*system, f[1]);
        if (!code.ok()) {
          report.Reject(n, std::string(code.status().message()));
          return false;
        }
        if (f[3].empty()) {
          report.Reject(n, absl::StrCat(*code, ": empty plain_language"));
          return false;
        }
        if (!seen.insert(absl::StrCat(f[0], ":", *code)).second) {
          report.Reject(n, absl::StrCat("duplicate note for ", f[0], " ", *code));
          return false;
        }
        CodeNote& note = out.notes.emplace_back();
        note.system = *system;
        note.code = *std::move(code);
        note.family = std::string(f[2]);
        note.plain_language = std::string(f[3]);
        for (absl::string_view term : absl::StrSplit(f[4], '|')) {
          term = absl::StripAsciiWhitespace(term);
          if (!term.empty()) note.lay_terms.emplace_back(term);
        }
        return true;
      });
  if (!status.ok()) return status;
  return out;
}

}  // namespace openencoder::catalogue
