// Where the catalogue tests find their data: the repository's demo manifest
// (under $OE_SOURCE_DIR, which oe_test sets) and the shared code sets (under
// $OE_SHARED_DATA).
#ifndef OPENENCODER_TESTS_CATALOGUE_STORE_TEST_PATHS_H_
#define OPENENCODER_TESTS_CATALOGUE_STORE_TEST_PATHS_H_

#include <cstdlib>
#include <string>

namespace openencoder::catalogue::testing {

inline std::string SourceDir() {
  const char* dir = std::getenv("OE_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

inline std::string SharedDataDir() {
  const char* dir = std::getenv("OE_SHARED_DATA");
  return dir != nullptr && *dir != '\0' ? dir : SourceDir() + "/../shared/data";
}

inline std::string DemoManifest() { return SourceDir() + "/data/demo/manifest.tsv"; }
inline std::string SharedManifest() {
  return SourceDir() + "/data/manifests/shared-data.tsv";
}

}  // namespace openencoder::catalogue::testing

#endif  // OPENENCODER_TESTS_CATALOGUE_STORE_TEST_PATHS_H_
