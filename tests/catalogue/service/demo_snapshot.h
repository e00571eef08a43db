// The demo catalogue (data/demo), loaded once per test binary and shared by
// every suite in it that reads it.
#ifndef OPENENCODER_TESTS_CATALOGUE_SERVICE_DEMO_SNAPSHOT_H_
#define OPENENCODER_TESTS_CATALOGUE_SERVICE_DEMO_SNAPSHOT_H_

#include <memory>

#include "gtest/gtest.h"
#include "services/catalogue/store/catalogue_loader.h"
#include "tests/support/source_paths.h"

namespace openencoder::catalogue {

// Null (with a test failure saying why) when the demo data does not load.
inline std::shared_ptr<const CatalogueSnapshot> DemoSnapshot() {
  static const auto* snapshot = [] {
    auto r = LoadCatalogueFromManifest(test_support::DemoManifest(), {});
    EXPECT_TRUE(r.ok()) << r.status();
    return new std::shared_ptr<const CatalogueSnapshot>(r.ok() ? r->snapshot : nullptr);
  }();
  return *snapshot;
}

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_TESTS_CATALOGUE_SERVICE_DEMO_SNAPSHOT_H_
