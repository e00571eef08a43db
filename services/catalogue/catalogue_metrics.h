// The catalogue's domain metrics (per-RPC counts come from common's
// interceptor):
//
//   oe_catalogue_code_pages_total{outcome}   page | teaser_quota_exhausted |
//       teaser_meter_unavailable (the meter did not answer: fail closed) |
//       teaser_no_session | error
//   oe_catalogue_reloads_total{outcome}      ok | failed (SIGHUP reloads)
//   oe_catalogue_codes{system}               loaded codes by code system (at scrape time)
//   oe_catalogue_snapshot_age_seconds        since the serving snapshot was swapped in
#ifndef OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_METRICS_H_
#define OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_METRICS_H_

#include "absl/status/status.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/store/snapshot_holder.h"

namespace openencoder::catalogue {

// What GetCodePage answered.
void RecordCodePage(const absl::Status& status,
                    const ::openencoder::catalogue::v1::GetCodePageResponse& response);

void RecordReload(bool ok);

// Registers the scrape-time gauges over `snapshots`, which must outlive the
// admin server (call from main()).
void ExportCatalogueGauges(const SnapshotHolder* snapshots);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CATALOGUE_METRICS_H_
