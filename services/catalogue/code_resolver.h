// Turns what a reader typed into a code of the snapshot, forgivingly:
// "e119", "E11.9" and " e11.9 " all find E11.9; "I201" finds I20.1. Errors
// are precise:
//   INVALID_ARGUMENT  the text cannot be a code of the system (or of any
//                     loaded system); the message says what one looks like.
//   NOT_FOUND         well formed but unknown; the message names the
//                     nearest existing codes.
// When no system is given it is inferred from the shape: a dotted code is a
// diagnosis (ICD-10-CM, then ICD-9-CM); otherwise the systems are tried in
// the order HCPCS, CPT, ICD-10-CM, ICD-10-PCS, ICD-9-CM and the first that
// has the code wins (so undotted "J1100" is the HCPCS drug code, "J11.00"
// the ICD-10-CM diagnosis).
#ifndef OPENENCODER_SERVICES_CATALOGUE_CODE_RESOLVER_H_
#define OPENENCODER_SERVICES_CATALOGUE_CODE_RESOLVER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

// Upper case, blanks trimmed, dots removed.
std::string CanonicalCodeText(absl::string_view input);

// What a code of `system` looks like, in words with an example.
std::string DescribeCodeShape(CodeSystem system);

absl::StatusOr<const CodeEntry*> ResolveCode(const CatalogueSnapshot& snapshot, CodeSystem system,
                                             absl::string_view input);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CODE_RESOLVER_H_
