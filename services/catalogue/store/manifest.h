// A data-set manifest: which files make up a catalogue, what format each one
// is in and which edition it carries. One manifest per deployment, e.g.
// data/demo/manifest.tsv (the demo set) or data/manifests/shared-data.tsv.
//
// Format (UTF-8, tab-separated, '#' starts a comment line, blank lines ignored):
//
//   root<TAB>$OE_SHARED_DATA
//   kind<TAB>path<TAB>edition_id<TAB>edition_label<TAB>effective<TAB>flags
//
// A `root` line sets the folder that relative paths of the following rows
// are resolved against; its value may start with `$NAME`, replaced by the
// variable NAME given to ParseManifest, and a relative root is taken from the
// manifest's folder. Before any `root` line paths are relative to the
// manifest's folder; `root<TAB>.` returns to it.
// `effective` is YYYY-MM-DD or empty. `flags` is a comma-separated subset of
//   demo    the file is OpenEncoder demo data (shown labelled as such)
//   latin1  the file is Latin-1 (ICD-9-CM titles)
//   short   the titles are short titles (ICD-9-CM titles)
//
// Example:
//   icd10cm-order  icd10cm/icd10cm-order-demo.txt  icd10cm-fy2026  ICD-10-CM FY2026  2025-10-01
//   demo
#ifndef OPENENCODER_SERVICES_CATALOGUE_STORE_MANIFEST_H_
#define OPENENCODER_SERVICES_CATALOGUE_STORE_MANIFEST_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace openencoder::catalogue {

// The file formats the loader understands. Each has one row in
// file_kinds.cc (name, system, role, notice, importer).
enum class FileKind {
  kIcd10CmOrder,
  kIcd10CmAddenda,
  kIcd10PcsOrder,
  kIcd10PcsAddenda,
  kHcpcsFixed,
  kHcpcsCsv,
  kHcpcsModifiers,
  kCptLicensed,
  kCodeNotes,
  kCptStatus,
  kCptRanges,
  kCptModifiers,
  kNcciPtp,
  kMue,
  kGemI9ToI10,
  kGemI10ToI9,
  kIcd9Titles,
  kRvu,
  kGpci,
  kIcd10CmTabular,  // CDC Tabular List XML: notes and 7th characters.
  kIcd10CmIndex,    // The ICD-10-CM Alphabetic Index XML.
};

// "icd10cm-order", ... as written in manifests; nullopt for unknown names.
std::optional<FileKind> ParseFileKind(absl::string_view name);
absl::string_view FileKindName(FileKind kind);

struct ManifestEntry {
  FileKind kind;
  std::string path;  // Absolute or relative to the working directory.
  std::string edition_id;
  std::string edition_label;
  std::optional<absl::CivilDay> effective_date;
  bool demo = false;
  bool latin1 = false;
  bool short_titles = false;
  int line = 0;  // In the manifest, for messages.
};

struct Manifest {
  std::string path;
  std::vector<ManifestEntry> entries;
};

// Variables a `root` line may name ("OE_SHARED_DATA" -> "/data").
using ManifestVariables = absl::flat_hash_map<std::string, std::string>;

// Parses manifest text; `manifest_path` locates relative paths and names
// the file in messages. INVALID_ARGUMENT with the line number for an
// unknown kind, a wrong column count, a bad date or flag, or an undefined
// variable.
absl::StatusOr<Manifest> ParseManifest(absl::string_view text, const std::string& manifest_path,
                                       const ManifestVariables& variables);

// Reads and parses the file. NOT_FOUND when it cannot be read.
absl::StatusOr<Manifest> ReadManifest(const std::string& manifest_path,
                                      const ManifestVariables& variables);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_STORE_MANIFEST_H_
