// The one table of file kinds a manifest can name. Adding a kind of file is
// an enum value in manifest.h, a row in file_kinds.cc (manifest name, code
// system, role, publisher and notice, importer), and, when its importer
// returns a new type, that type in FileData and an Assembler::AddData
// overload that puts it in the snapshot (catalogue_loader.cc).
#ifndef OPENENCODER_SERVICES_CATALOGUE_STORE_FILE_KINDS_H_
#define OPENENCODER_SERVICES_CATALOGUE_STORE_FILE_KINDS_H_

#include <variant>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "libs/code_sets/importers/alphabetic_index_importer.h"
#include "libs/code_sets/importers/cpt_tables_importer.h"
#include "libs/code_sets/importers/fee_schedule_importer.h"
#include "libs/code_sets/importers/gem_importer.h"
#include "libs/code_sets/importers/hcpcs_importer.h"
#include "libs/code_sets/importers/icd10_order_importer.h"
#include "libs/code_sets/importers/icd10cm_tabular_importer.h"
#include "libs/code_sets/importers/import_report.h"
#include "libs/code_sets/importers/modifier_tsv_importer.h"
#include "libs/code_sets/importers/ncci_importer.h"
#include "libs/code_sets/importers/notes_importer.h"
#include "libs/code_sets/model/code_system.h"
#include "libs/code_sets/model/edition.h"
#include "services/catalogue/store/manifest.h"

namespace openencoder::catalogue {

// What one imported file holds (monostate: nothing of its own, e.g. addenda
// applied to their order file).
using FileData =
    std::variant<std::monostate, CodeSetImport, HcpcsImport, ModifierImport, CodeNoteImport,
                 CptStatusImport, CptRangeImport, CptModifierImport, PtpImport, MueImport,
                 GemImport, RvuImport, GpciImport, TabularImport, AlphabeticIndexImport>;

struct ImportedFile {
  ImportReport report;
  FileData data;
};

// How the loader plans a file.
enum class FileRole {
  kData,     // imported on its own
  kCodes,    // the code file of its system: at most one per manifest
  kOrder,    // a code file that addenda rows after it are applied to
  kAddenda,  // applied to the order file of its system, on the same task
};

struct FileKindInfo {
  FileKind kind;
  absl::string_view name;  // as written in manifests
  CodeSystem system;       // kUnspecified for tables that span systems
  FileRole role;
  absl::string_view publisher;
  absl::string_view notice;       // licence or disclaimer shown with the edition
  absl::string_view demo_notice;  // instead, for rows flagged demo; empty: `notice`
  // Reads the file; null for kAddenda (the loader applies those).
  absl::Status (*import)(const ManifestEntry& entry, const Edition& edition, ImportedFile* out);
};

// Every kind, in manifest-documentation order.
absl::Span<const FileKindInfo> FileKinds();
// The row of `kind` (every FileKind has one; a unit test checks).
const FileKindInfo& FileKindRow(FileKind kind);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_STORE_FILE_KINDS_H_
