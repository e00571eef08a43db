// Builds the parts of a code page from one snapshot: the full page (gated
// sections included), the teaser (code and short title only) and the meter
// line. Knows nothing of metering decisions or gRPC; the caller decides
// which of page or teaser the reader gets (code_page_service.h).
#ifndef OPENENCODER_SERVICES_CATALOGUE_CODE_PAGE_BUILDER_H_
#define OPENENCODER_SERVICES_CATALOGUE_CODE_PAGE_BUILDER_H_

#include <string>

#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

// Lists of children and siblings on a page stop here; *_total says how
// many there are and Browse pages through all of them.
inline constexpr int kMaxListedRelatives = 100;

// Fills every section of the page of `entry`. Relatives (ancestors,
// children, siblings) carry identifying fields only (FillRelativeSummary).
// `fee_locality` ("01112-05") adds that locality's fees; an empty or
// unknown one gives the national fees only.
void BuildCodePage(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::CodePage* page,
                   absl::string_view fee_locality = {});

// The AMA-licence note of CPT pages without licensed descriptors.
inline constexpr char kCptLicenceNote[] =
    "The official CPT descriptor is not shown: CPT descriptors are copyright of the "
    "American Medical Association and may be shown only under an AMA licence. The title "
    "above and the explanation on this page are OpenEncoder's own words.";

// Code, display code and short title; no gated text. `action` says what
// the reader must do to see the page.
void BuildTeaser(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::TeaserReason reason,
                 const std::string& action, pb::CodeTeaser* teaser);

// The modifiers that apply to the code: NCCI-associated ones where an edit
// with indicator 1 involves it, 26/TC where the fee schedule prices the
// components, 50/LT/RT for bilateral procedures, 25/57 for E/M codes,
// 58/78/79 for codes with a global period, 51 where the multiple-procedure
// rule applies. Empty for diagnoses.
void AddApplicableModifiers(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
                            google::protobuf::RepeatedPtrField<pb::Modifier>* out);

void FillModifier(const ModifierEntry& m, pb::Modifier* out);
void FillNcciPair(const CatalogueSnapshot& snapshot, const NcciPtpEdit& edit, pb::NcciPair* out);
void FillMue(const CatalogueSnapshot& snapshot, const MueEdit& mue, pb::Mue* out);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_CODE_PAGE_BUILDER_H_
