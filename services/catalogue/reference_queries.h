// The small read-only queries of the catalogue: fees, crosswalks and batch
// summaries. Each takes the snapshot to read and fills a response proto.
#ifndef OPENENCODER_SERVICES_CATALOGUE_REFERENCE_QUERIES_H_
#define OPENENCODER_SERVICES_CATALOGUE_REFERENCE_QUERIES_H_

#include "absl/status/status.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

// Medicare physician fee with its formula. Locality "" is national (all
// GPCIs 1.0). Errors: INVALID_ARGUMENT (malformed code, modifier or
// locality), NOT_FOUND (no RVUs for the code and modifier, unknown
// locality), FAILED_PRECONDITION (status indicator not payable under the
// PFS; the message names the indicator).
absl::Status ComputeFee(const CatalogueSnapshot& snapshot, const pb::GetFeeRequest& request,
                        pb::GetFeeResponse* response);

// GEM targets of a code. Direction unspecified: ICD-10-CM codes (letter
// first) map to ICD-9-CM and numeric or V/E codes the other way.
// Errors: INVALID_ARGUMENT (malformed code), NOT_FOUND (code absent from
// the source code set and from the GEMs).
absl::Status GetCrosswalk(const CatalogueSnapshot& snapshot, const pb::GetCrosswalkRequest& request,
                          pb::GetCrosswalkResponse* response);

// Fills `mappings` with the targets of `source` (system kIcd10Cm or
// kIcd9Cm); used by code pages too.
void AddCrosswalks(const CatalogueSnapshot& snapshot, CodeSystem source_system,
                   absl::string_view code,
                   google::protobuf::RepeatedPtrField<pb::CrosswalkMapping>* out);

// Errors: INVALID_ARGUMENT (no codes, more than 1,000).
absl::Status BatchGetCodes(const CatalogueSnapshot& snapshot,
                           const pb::BatchGetCodesRequest& request,
                           pb::BatchGetCodesResponse* response);

inline constexpr int kMaxBatchCodes = 1000;

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_REFERENCE_QUERIES_H_
