#include "services/catalogue/catalogue_config.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/settings.h"

ABSL_FLAG(std::string, data_manifest, "", "data-set manifest (OE_DATA_MANIFEST)");
ABSL_FLAG(std::string, account_addr, "", "account service address (OE_ACCOUNT_ADDR)");
ABSL_FLAG(std::string, quota_timeout, "", "ConsumeView deadline (OE_QUOTA_TIMEOUT)");
ABSL_FLAG(std::string, unlimited_cache_ttl, "",
          "how long unlimited sessions are remembered (OE_UNLIMITED_CACHE_TTL)");

namespace openencoder::catalogue {
namespace {

// Relative paths are taken from OE_SOURCE_DIR when it is set.
std::string SourceRelative(const std::string& path) {
  const char* root = std::getenv("OE_SOURCE_DIR");
  if (path.empty() || path[0] == '/' || root == nullptr || *root == '\0') return path;
  return absl::StrCat(root, "/", path);
}

}  // namespace

absl::StatusOr<CatalogueConfig> CatalogueConfig::FromSettings() {
  CatalogueConfig c;
  c.manifest_path = SourceRelative(common::Setting(absl::GetFlag(FLAGS_data_manifest),
                                                   "OE_DATA_MANIFEST", "data/demo/manifest.tsv"));
  c.account_addr =
      common::Setting(absl::GetFlag(FLAGS_account_addr), "OE_ACCOUNT_ADDR", c.account_addr);
  absl::StatusOr<absl::Duration> timeout = common::DurationSetting(
      absl::GetFlag(FLAGS_quota_timeout), "OE_QUOTA_TIMEOUT", c.quota_timeout);
  if (!timeout.ok()) return timeout.status();
  c.quota_timeout = *timeout;
  absl::StatusOr<absl::Duration> ttl = common::DurationSetting(
      absl::GetFlag(FLAGS_unlimited_cache_ttl), "OE_UNLIMITED_CACHE_TTL", c.unlimited_cache_ttl);
  if (!ttl.ok()) return ttl.status();
  c.unlimited_cache_ttl = *ttl;
  c.shared_data = common::Setting("", "OE_SHARED_DATA", SourceRelative("../shared/data"));
  return c;
}

}  // namespace openencoder::catalogue
