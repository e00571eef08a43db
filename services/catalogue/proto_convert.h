// Conversions between the store's plain types and the catalogue protos.
// Pure functions; every message is filled from one snapshot.
#ifndef OPENENCODER_SERVICES_CATALOGUE_PROTO_CONVERT_H_
#define OPENENCODER_SERVICES_CATALOGUE_PROTO_CONVERT_H_

#include <optional>

#include "absl/time/civil_time.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

// The proto and model enums share numbers 0-5; ICD-9 procedures have no
// proto value and map to UNSPECIFIED.
pb::CodeSystem ToProto(CodeSystem system);
CodeSystem FromProto(pb::CodeSystem system);

void FillDate(const std::optional<absl::CivilDay>& day, pb::CalendarDate* out);
void FillEdition(const EditionInfo& info, pb::Edition* out);
void FillAttribution(const EditionInfo& info, pb::Attribution* out);

// Every unmetered field of the code's summary.
void FillSummary(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::CodeSummary* out);

// The identifying fields only (system, code, display code, titles,
// billable, status): for the relatives listed on a page, where the chapter
// and family would repeat the page's own and cost time on every request.
// The code's Alphabetic Index entries and their edition (nothing when the
// code has none).
void FillIndexEntries(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
                      pb::CodeSummary* out);
void FillRelativeSummary(const CodeEntry& entry, pb::CodeSummary* out);

pb::ChangeKind ToProto(ChangeStatus change);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_PROTO_CONVERT_H_
