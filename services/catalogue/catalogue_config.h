// Every setting of the catalogue service. FromSettings reads each from its
// flag, else its environment variable, else the default (common/settings.h):
//
//   --data_manifest / OE_DATA_MANIFEST   default data/demo/manifest.tsv under
//                                        OE_SOURCE_DIR (else the working dir)
//   --account_addr / OE_ACCOUNT_ADDR     account service, default 127.0.0.1:50053
//   --quota_timeout / OE_QUOTA_TIMEOUT   deadline of ConsumeView, default 300ms
//   --unlimited_cache_ttl / OE_UNLIMITED_CACHE_TTL
//                                        remember unlimited sessions, default 5s
//                                        (0 disables; see CachingQuotaClient)
//   OE_SHARED_DATA                       $OE_SHARED_DATA in manifests, default
//                                        ../shared/data under OE_SOURCE_DIR
// The listen address is the server bootstrap's (OE_CATALOGUE_LISTEN).
#ifndef OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_CONFIG_H_
#define OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/settings.h"

namespace openencoder::catalogue {

struct CatalogueConfig {
  std::string manifest_path;
  std::string account_addr = common::LocalAddress(common::kAccountPort);
  absl::Duration quota_timeout = absl::Milliseconds(300);
  absl::Duration unlimited_cache_ttl = absl::Seconds(5);
  std::string shared_data;

  // INVALID_ARGUMENT naming the setting that does not parse.
  static absl::StatusOr<CatalogueConfig> FromSettings();
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_CONFIG_H_
