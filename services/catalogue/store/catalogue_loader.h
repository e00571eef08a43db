// Builds a CatalogueSnapshot from the files a manifest names.
//
//   LoadOptions options;
//   options.variables["OE_SHARED_DATA"] = "../shared/data";
//   absl::StatusOr<LoadResult> r = LoadCatalogueFromManifest(path, options);
//   if (!r.ok()) ...                    // a file could not be read
//   r->rows_rejected                    // rows the importers refused
//   holder.Swap(r->snapshot);
//
// Independent files are imported in parallel (options.threads); an addenda
// file is applied to the order file before it in the manifest. Rejected rows
// never fail the load: they are counted in the per-file reports.
#ifndef OPENENCODER_SERVICES_CATALOGUE_STORE_CATALOGUE_LOADER_H_
#define OPENENCODER_SERVICES_CATALOGUE_STORE_CATALOGUE_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/code_sets/importers/import_report.h"
#include "services/catalogue/store/catalogue_snapshot.h"
#include "services/catalogue/store/manifest.h"

namespace openencoder::catalogue {

struct LoadOptions {
  ManifestVariables variables;
  int threads = 2;
  // Codes terminated before this day count as deleted. Default: today (UTC).
  std::optional<absl::CivilDay> today;
};

struct FileLoadReport {
  ManifestEntry entry;
  ImportReport report;
};

struct LoadResult {
  std::shared_ptr<const CatalogueSnapshot> snapshot;
  std::vector<FileLoadReport> files;  // In manifest order.
  int64_t rows_read = 0;
  int64_t rows_rejected = 0;
  // Problems found while joining files (a note for an unknown code, ...).
  std::vector<std::string> warnings;
  double seconds = 0;  // Wall time of the load.
};

// Errors: FAILED_PRECONDITION when the manifest is inconsistent (an addenda
// file without its order file, two code files for one system); the import
// error (NOT_FOUND, UNAVAILABLE) naming the file when one cannot be read.
absl::StatusOr<LoadResult> LoadCatalogue(const Manifest& manifest, const LoadOptions& options);

// ReadManifest + LoadCatalogue.
absl::StatusOr<LoadResult> LoadCatalogueFromManifest(const std::string& manifest_path,
                                                     const LoadOptions& options);

// The CMS HCPCS disclaimer every HCPCS display carries.
extern const char kHcpcsDisclaimer[];

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_STORE_CATALOGUE_LOADER_H_
