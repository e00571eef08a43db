// Where tests find the files they read: the repository (data/demo, the
// synonym table, the knowledge base ...) under $OE_SOURCE_DIR, which oe_test
// sets, and the shared code sets under $OE_SHARED_DATA.
//
// Example:
//   LoadCatalogueFromManifest(test_support::DemoManifest(), {});
//   SynonymTable::LoadFile(test_support::SourcePath("data/search/synonyms.tsv"));
#ifndef OPENENCODER_TESTS_SUPPORT_SOURCE_PATHS_H_
#define OPENENCODER_TESTS_SUPPORT_SOURCE_PATHS_H_

#include <cstdlib>
#include <string>

namespace openencoder::test_support {

// $OE_SOURCE_DIR, else the current directory (a binary run by hand from the
// repository root finds its data too).
inline std::string SourceDir() {
  const char* dir = std::getenv("OE_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

// `relative` (e.g. "data/search/synonyms.tsv") under SourceDir().
inline std::string SourcePath(const std::string& relative) { return SourceDir() + "/" + relative; }

// $OE_SHARED_DATA, else the shared folder beside the repository.
inline std::string SharedDataDir() {
  const char* dir = std::getenv("OE_SHARED_DATA");
  return dir != nullptr && *dir != '\0' ? dir : SourceDir() + "/../shared/data";
}

// The demo data set we write ourselves, and the manifest of the real code
// sets (its paths use $OE_SHARED_DATA).
inline std::string DemoManifest() { return SourcePath("data/demo/manifest.tsv"); }
inline std::string SharedManifest() { return SourcePath("data/manifests/shared-data.tsv"); }

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_SOURCE_PATHS_H_
