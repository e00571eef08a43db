// The listing queries: the code tree one level at a time (Browse), what the
// loaded editions changed (ListChanges) and the modifiers (ListModifiers).
// Pages are plain offsets in the page token; a token from another snapshot
// still works but may shift if the edition changed.
//
// Browse tree per system (node ids in quotes):
//   ICD-10-CM   chapters "chapter:4" -> categories "E11" -> subcodes
//   ICD-10-PCS  sections "section:0" -> tables "0DT" -> codes
//   HCPCS       letter groups "group:J" -> codes
//   CPT         our ranges "range:99202-99499" -> nested ranges, codes
//   ICD-9-CM    first-character groups "group:2" -> codes
#ifndef OPENENCODER_SERVICES_CATALOGUE_BROWSE_H_
#define OPENENCODER_SERVICES_CATALOGUE_BROWSE_H_

#include "absl/status/status.h"
#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

// Errors: INVALID_ARGUMENT (no or unloaded system, bad page size or token),
// NOT_FOUND (unknown node).
absl::Status Browse(const CatalogueSnapshot& snapshot, const pb::BrowseRequest& request,
                    pb::BrowseResponse* response);

// Errors: INVALID_ARGUMENT (bad page size or token).
absl::Status ListChanges(const CatalogueSnapshot& snapshot, const pb::ListChangesRequest& request,
                         pb::ListChangesResponse* response);

// Errors: INVALID_ARGUMENT (bad page size or token).
absl::Status ListModifiers(const CatalogueSnapshot& snapshot,
                           const pb::ListModifiersRequest& request,
                           pb::ListModifiersResponse* response);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_BROWSE_H_
