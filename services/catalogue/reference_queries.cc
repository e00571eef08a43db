#include "services/catalogue/reference_queries.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/fee_calculator.h"
#include "libs/code_sets/model/code_format.h"
#include "services/catalogue/code_resolver.h"
#include "services/catalogue/proto_convert.h"

namespace openencoder::catalogue {
namespace {

bool PayableStatus(absl::string_view status) {
  // PFS status indicators A (active), R (restricted) and T (injections and
  // such, paid when alone) have a payment; the others do not.
  return status == "A" || status == "R" || status == "T";
}

bool LocalityShaped(absl::string_view id) {
  if (id.size() != 8 || id[5] != '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i != 5 && !absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

}  // namespace

absl::Status ComputeFee(const CatalogueSnapshot& snapshot, const pb::GetFeeRequest& request,
                        pb::GetFeeResponse* response) {
  const std::string code = CanonicalCodeText(request.code());
  if (!IsValidCode(CodeSystem::kCpt, code) && !IsValidCode(CodeSystem::kHcpcs, code)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", request.code(), "\" is not a CPT or HCPCS code: ",
        DescribeCodeShape(CodeSystem::kCpt), "; ", DescribeCodeShape(CodeSystem::kHcpcs)));
  }
  const std::string modifier = CanonicalCodeText(request.modifier());
  if (!modifier.empty() && modifier.size() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("modifier \"", request.modifier(), "\" must be 2 characters, e.g. 26 or TC"));
  }
  const std::string locality(absl::StripAsciiWhitespace(request.locality()));
  if (!locality.empty() && !LocalityShaped(locality)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "locality \"", request.locality(), "\" must be a MAC and locality number, e.g. 01112-05"));
  }
  const RvuRow* rvu = snapshot.FindRvu(code, modifier);
  if (rvu == nullptr) {
    return absl::NotFoundError(absl::StrCat("the fee schedule has no relative values for ", code,
                                            modifier.empty() ? "" : "-", modifier));
  }
  if (!PayableStatus(rvu->status_code)) {
    return absl::FailedPreconditionError(
        absl::StrCat(code, " has PFS status indicator ", rvu->status_code,
                     ": it is not paid under the Medicare physician fee schedule"));
  }
  // National means every GPCI at 1.0 (the GPCI file has no national row).
  static const Gpci* const kNational = new Gpci{"00000", "US", "00", "National", 1.0, 1.0, 1.0};
  const Gpci* gpci = kNational;
  if (!locality.empty()) {
    gpci = snapshot.FindLocality(locality);
    if (gpci == nullptr) {
      return absl::NotFoundError(absl::StrCat("unknown locality ", locality));
    }
  }
  absl::StatusOr<FeeResult> fee = ComputeMedicareFee(
      *rvu, *gpci, request.facility() ? PlaceOfService::kFacility : PlaceOfService::kNonFacility,
      snapshot.conversion_factor(), snapshot.fee_year());
  if (!fee.ok()) return fee.status();
  response->set_code(code);
  response->set_modifier(modifier);
  response->set_locality(locality);
  response->set_locality_name(gpci->locality_name);
  response->set_facility(request.facility());
  response->set_amount_cents(static_cast<int64_t>(std::llround(fee->amount * 100)));
  response->set_work_rvu(rvu->work_rvu);
  response->set_practice_expense_rvu(request.facility() ? rvu->facility_pe_rvu
                                                        : rvu->non_facility_pe_rvu);
  response->set_malpractice_rvu(rvu->mp_rvu);
  response->set_work_gpci(gpci->work);
  response->set_practice_expense_gpci(gpci->pe);
  response->set_malpractice_gpci(gpci->mp);
  response->set_conversion_factor(snapshot.conversion_factor());
  response->set_year(snapshot.fee_year());
  response->set_formula(fee->formula);
  response->set_status_indicator(rvu->status_code);
  return absl::OkStatus();
}

void AddCrosswalks(const CatalogueSnapshot& snapshot, CodeSystem source_system,
                   absl::string_view code,
                   google::protobuf::RepeatedPtrField<pb::CrosswalkMapping>* out) {
  for (const GemMapping* m : snapshot.GemsFrom(source_system, code)) {
    pb::CrosswalkMapping* mapping = out->Add();
    mapping->mutable_target()->set_system(ToProto(m->target_system));
    mapping->set_approximate(m->approximate);
    mapping->set_no_map(m->no_map);
    mapping->set_combination(m->combination);
    mapping->set_scenario(m->scenario);
    mapping->set_choice_list(m->choice_list);
    if (m->no_map) continue;
    mapping->mutable_target()->set_code(m->target);
    if (const CodeEntry* t = snapshot.Find(m->target_system, m->target)) {
      mapping->set_target_title(t->record.long_title.empty() ? t->record.short_title
                                                             : t->record.long_title);
    }
  }
}

absl::Status GetCrosswalk(const CatalogueSnapshot& snapshot, const pb::GetCrosswalkRequest& request,
                          pb::GetCrosswalkResponse* response) {
  const std::string canonical = CanonicalCodeText(request.code());
  CodeSystem source = CodeSystem::kUnspecified;
  switch (request.direction()) {
    case pb::CROSSWALK_DIRECTION_ICD9_TO_ICD10:
      source = CodeSystem::kIcd9Cm;
      break;
    case pb::CROSSWALK_DIRECTION_ICD10_TO_ICD9:
      source = CodeSystem::kIcd10Cm;
      break;
    case pb::CROSSWALK_DIRECTION_UNSPECIFIED:
      source = !canonical.empty() && absl::ascii_isdigit(static_cast<unsigned char>(canonical[0]))
                   ? CodeSystem::kIcd9Cm
                   : (IsValidCode(CodeSystem::kIcd9Cm, canonical) &&
                              !IsValidCode(CodeSystem::kIcd10Cm, canonical)
                          ? CodeSystem::kIcd9Cm
                          : CodeSystem::kIcd10Cm);
      break;
    default:
      return absl::InvalidArgumentError("unsupported crosswalk direction");
  }
  if (!IsValidCode(source, canonical)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", request.code(), "\" is not a valid ",
                                                   CodeSystemLabel(source),
                                                   " code: ", DescribeCodeShape(source)));
  }
  const CodeEntry* entry = snapshot.Find(source, canonical);
  AddCrosswalks(snapshot, source, canonical, response->mutable_mappings());
  if (entry == nullptr && response->mappings().empty()) {
    absl::StatusOr<const CodeEntry*> resolved = ResolveCode(snapshot, source, request.code());
    return resolved.ok()
               ? absl::NotFoundError(absl::StrCat(CodeSystemLabel(source), " code ", canonical,
                                                  " has no General Equivalence Mapping"))
               : resolved.status();
  }
  if (entry != nullptr) {
    FillSummary(snapshot, *entry, response->mutable_source());
  } else {
    // In the GEMs but not in the loaded edition (GEMs target FY2018 codes).
    response->mutable_source()->set_system(ToProto(source));
    response->mutable_source()->set_code(canonical);
    response->mutable_source()->set_display_code(FormatDisplayCode(source, canonical));
  }
  if (const EditionInfo* gems = snapshot.gem_edition()) {
    response->set_edition(gems->edition.label);
  }
  return absl::OkStatus();
}

absl::Status BatchGetCodes(const CatalogueSnapshot& snapshot,
                           const pb::BatchGetCodesRequest& request,
                           pb::BatchGetCodesResponse* response) {
  if (request.codes().empty()) return absl::InvalidArgumentError("no codes given");
  if (request.codes_size() > kMaxBatchCodes) {
    return absl::InvalidArgumentError(absl::StrCat(
        request.codes_size(), " codes requested; at most ", kMaxBatchCodes, " per call"));
  }
  for (const pb::CodeRef& ref : request.codes()) {
    absl::StatusOr<const CodeEntry*> e = ResolveCode(snapshot, FromProto(ref.system()), ref.code());
    if (e.ok()) {
      FillSummary(snapshot, **e, response->add_codes());
    } else {
      *response->add_not_found() = ref;
    }
  }
  return absl::OkStatus();
}

}  // namespace openencoder::catalogue
