// GetCodePage as plain logic: resolve the code, ask the meter, answer with
// the page or a teaser. Transport-free (the gRPC adapter calls it), so it is
// unit-tested with a fake QuotaClient.
//
// Metering rules:
//   no session token          teaser, TEASER_REASON_NO_SESSION, no meter call
//   meter says allowed        the full page
//   meter says not allowed    teaser, TEASER_REASON_QUOTA_EXHAUSTED
//   UNAUTHENTICATED           teaser, TEASER_REASON_NO_SESSION
//   any other meter error     teaser, TEASER_REASON_QUOTA_UNAVAILABLE,
//                             meter.available = false (never an error)
// The meter call carries the request's request_id, else the RPC's request
// id, so a retried page open is counted once; with neither, a fresh id.
#ifndef OPENENCODER_SERVICES_CATALOGUE_CODE_PAGE_SERVICE_H_
#define OPENENCODER_SERVICES_CATALOGUE_CODE_PAGE_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/quota_client.h"
#include "services/catalogue/store/snapshot_holder.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

class CodePageService {
 public:
  // Both must outlive this object.
  CodePageService(const SnapshotHolder* snapshots, QuotaClient* quota);

  // Fills `response` and calls `done` once (OK, or INVALID_ARGUMENT /
  // NOT_FOUND from code_resolver.h, or UNAVAILABLE before any snapshot is
  // loaded), possibly on another thread. `request` and `response` must stay
  // valid until `done` runs.
  void GetCodePage(const pb::GetCodePageRequest& request, const std::string& rpc_request_id,
                   pb::GetCodePageResponse* response, std::function<void(absl::Status)> done);

 private:
  const SnapshotHolder* snapshots_;
  QuotaClient* quota_;
};

// The meter line for an answer of the quota service.
void FillMeter(const ViewAnswer& answer, pb::Meter* meter);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CODE_PAGE_SERVICE_H_
