#include "services/catalogue/code_page_builder.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/catalogue/proto_convert.h"
#include "services/catalogue/reference_queries.h"

namespace openencoder::catalogue {
namespace {

// Attribution lines, each edition once, in the order first used.
class Attributions {
 public:
  explicit Attributions(pb::CodePage* page) : page_(page) {}
  void Add(const EditionInfo* info) {
    if (info == nullptr) return;
    if (std::find(seen_.begin(), seen_.end(), info) != seen_.end()) return;
    seen_.push_back(info);
    FillAttribution(*info, page_->add_attributions());
  }

 private:
  pb::CodePage* page_;
  std::vector<const EditionInfo*> seen_;
};

pb::ModifierIndicator IndicatorOf(int value) {
  switch (value) {
    case 0:
      return pb::MODIFIER_INDICATOR_NOT_ALLOWED;
    case 1:
      return pb::MODIFIER_INDICATOR_ALLOWED;
    case 9:
      return pb::MODIFIER_INDICATOR_NOT_APPLICABLE;
    default:
      return pb::MODIFIER_INDICATOR_UNSPECIFIED;
  }
}

std::string CoverageNote(absl::string_view code) {
  // Our wording of the HCPCS coverage codes (record layout, field COV).
  if (code == "C")
    return "Medicare coverage is decided by the local contractor (carrier judgment).";
  if (code == "D") return "Special Medicare coverage instructions apply to this code.";
  if (code == "I") return "Not payable by Medicare: another code describes the item or service.";
  if (code == "M") return "Not covered by Medicare.";
  if (code == "S") return "Not covered by Medicare by statute.";
  return "";
}

void BuildHierarchy(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::Hierarchy* h) {
  std::vector<const CodeEntry*> ancestors;
  for (int32_t p = entry.parent; p >= 0; p = snapshot.code(p).parent) {
    ancestors.push_back(&snapshot.code(p));
  }
  for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
    FillRelativeSummary(**it, h->add_ancestors());
  }
  h->set_children_total(static_cast<int32_t>(entry.children.size()));
  for (size_t i = 0; i < entry.children.size() && i < kMaxListedRelatives; ++i) {
    FillRelativeSummary(snapshot.code(entry.children[i]), h->add_children());
  }
  if (entry.parent < 0) return;
  const std::vector<int32_t>& siblings = snapshot.code(entry.parent).children;
  const int32_t self = snapshot.IndexOf(&entry);
  h->set_siblings_total(static_cast<int32_t>(siblings.size()) - 1);
  for (int32_t s : siblings) {
    if (s == self) continue;
    if (h->siblings_size() >= kMaxListedRelatives) break;
    FillRelativeSummary(snapshot.code(s), h->add_siblings());
  }
}

void BuildLifecycle(const CodeEntry& entry, pb::Lifecycle* l) {
  const CodeRecord& r = entry.record;
  l->set_status(entry.deleted ? pb::CODE_STATUS_DELETED : pb::CODE_STATUS_ACTIVE);
  if (r.added_date) FillDate(r.added_date, l->mutable_added_date());
  if (r.effective_date) FillDate(r.effective_date, l->mutable_effective_date());
  if (r.termination_date) FillDate(r.termination_date, l->mutable_termination_date());
  for (const std::string& code : r.replacement_codes) {
    pb::CodeRef* ref = l->add_replaced_by();
    ref->set_system(ToProto(r.system));
    ref->set_code(code);
  }
  l->set_change(ToProto(r.change_status));
  if (entry.deleted && !r.replacement_codes.empty()) {
    l->set_change_note(
        absl::StrCat("Deleted; use ", absl::StrJoin(r.replacement_codes, " or "), " instead."));
  }
}

void BuildHcpcsDetails(const HcpcsDetails& d, char action, pb::HcpcsDetails* out) {
  if (action != '\0') out->set_action_code(std::string(1, action));
  if (!d.coverage_code.empty()) out->add_coverage_codes(d.coverage_code);
  for (const std::string& p : d.pricing_indicators) {
    if (!p.empty()) out->add_pricing_indicators(p);
  }
  out->set_betos(d.betos);
  for (const std::string& t : d.type_of_service) {
    if (!t.empty()) out->add_type_of_service(t);
  }
  for (const std::string& x : d.cross_references) {
    if (!x.empty()) out->add_cross_references(x);
  }
}

}  // namespace

void FillModifier(const ModifierEntry& m, pb::Modifier* out) {
  out->set_system(ToProto(m.system));
  out->set_code(m.code);
  out->set_name(m.name);
  out->set_description(m.description);
  out->set_when_to_use(m.when_to_use);
  if (m.effective_date) FillDate(m.effective_date, out->mutable_effective_date());
  if (m.termination_date) FillDate(m.termination_date, out->mutable_termination_date());
  out->set_ncci_associated(m.ncci_associated);
}

void FillNcciPair(const CatalogueSnapshot& snapshot, const NcciPtpEdit& edit, pb::NcciPair* out) {
  out->set_column1_code(edit.column1);
  out->set_column2_code(edit.column2);
  out->set_existed_before_1996(edit.existed_before_1996);
  FillDate(edit.effective_date, out->mutable_effective_date());
  if (edit.deletion_date) FillDate(edit.deletion_date, out->mutable_deletion_date());
  out->set_modifier_indicator(IndicatorOf(edit.modifier_indicator));
  out->set_rationale(edit.rationale);
  const EditionInfo* edition = snapshot.ptp_edition();
  out->set_demo(edition != nullptr && edition->demo);
}

void FillMue(const CatalogueSnapshot& snapshot, const MueEdit& mue, pb::Mue* out) {
  out->set_code(mue.code);
  out->set_units(mue.units);
  out->set_adjudication(static_cast<pb::MueAdjudication>(mue.adjudication));
  out->set_adjudication_explanation(std::string(MueAdjudicationMeaning(mue.adjudication)));
  out->set_rationale(mue.rationale);
  const EditionInfo* edition = snapshot.mue_edition();
  out->set_demo(edition != nullptr && edition->demo);
}

void AddApplicableModifiers(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
                            google::protobuf::RepeatedPtrField<pb::Modifier>* out) {
  const CodeSystem system = entry.record.system;
  if (system != CodeSystem::kCpt && system != CodeSystem::kHcpcs) return;
  const std::string& code = entry.record.code;
  std::vector<absl::string_view> wanted;
  bool ncci_bypass = false;
  for (int32_t i : snapshot.PtpWithColumn1(code)) {
    ncci_bypass |= snapshot.ptp()[i].modifier_indicator == 1;
  }
  for (int32_t i : snapshot.PtpWithColumn2(code)) {
    ncci_bypass |= snapshot.ptp()[i].modifier_indicator == 1;
  }
  const bool em = code >= "99202" && code <= "99499" && code.size() == 5;
  if (em) wanted.insert(wanted.end(), {"25", "57"});
  if (snapshot.FindRvu(code, "26") != nullptr) wanted.push_back("26");
  if (snapshot.FindRvu(code, "TC") != nullptr) wanted.push_back("TC");
  if (const RvuRow* rvu = snapshot.FindRvu(code, "")) {
    if (rvu->bilateral_surgery == "1") wanted.insert(wanted.end(), {"50", "LT", "RT"});
    if (rvu->bilateral_surgery == "2" || rvu->bilateral_surgery == "3") {
      wanted.insert(wanted.end(), {"LT", "RT"});
    }
    if (rvu->multiple_procedure == "2" || rvu->multiple_procedure == "3") {
      wanted.push_back("51");
    }
    if (rvu->global_days == "010" || rvu->global_days == "090") {
      wanted.insert(wanted.end(), {"58", "78", "79"});
    }
  }
  if (ncci_bypass) wanted.insert(wanted.end(), {"59", "XE", "XP", "XS", "XU"});
  std::vector<const ModifierEntry*> seen;
  for (absl::string_view m : wanted) {
    // A number is a CPT modifier, letters are HCPCS Level II.
    const bool cpt = m[0] >= '0' && m[0] <= '9';
    const ModifierEntry* entry_m =
        snapshot.FindModifier(cpt ? CodeSystem::kCpt : CodeSystem::kHcpcs, m);
    if (entry_m == nullptr || std::find(seen.begin(), seen.end(), entry_m) != seen.end()) {
      continue;
    }
    seen.push_back(entry_m);
    FillModifier(*entry_m, out->Add());
  }
}

void BuildCodePage(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::CodePage* page) {
  Attributions attributions(page);
  const CodeRecord& r = entry.record;
  FillSummary(snapshot, entry, page->mutable_code());
  attributions.Add(snapshot.edition(entry.edition));

  pb::Descriptors* d = page->mutable_descriptors();
  d->set_official_long(r.long_title);
  d->set_official_short(r.short_title);
  if (r.system == CodeSystem::kCpt && r.long_title.empty()) {
    d->set_official_note(
        "CPT descriptors require an AMA licence and are not shown; the text "
        "below is OpenEncoder's own explanation.");
  }
  d->set_plain_language(entry.plain_language);
  if (!entry.plain_language.empty()) attributions.Add(snapshot.notes_edition());

  BuildHierarchy(snapshot, entry, page->mutable_hierarchy());
  BuildLifecycle(entry, page->mutable_lifecycle());

  AddApplicableModifiers(snapshot, entry, page->mutable_modifiers());
  for (const pb::Modifier& m : page->modifiers()) {
    const ModifierEntry* me = snapshot.FindModifier(FromProto(m.system()), m.code());
    if (me != nullptr) attributions.Add(snapshot.edition(me->edition));
  }

  for (int32_t i : snapshot.PtpWithColumn1(r.code)) {
    FillNcciPair(snapshot, snapshot.ptp()[i], page->add_ncci_pairs());
  }
  for (int32_t i : snapshot.PtpWithColumn2(r.code)) {
    FillNcciPair(snapshot, snapshot.ptp()[i], page->add_ncci_pairs());
  }
  if (!page->ncci_pairs().empty()) attributions.Add(snapshot.ptp_edition());
  if (const MueEdit* mue = snapshot.FindMue(r.code)) {
    FillMue(snapshot, *mue, page->mutable_mue());
    attributions.Add(snapshot.mue_edition());
  }

  if (r.system == CodeSystem::kIcd10Cm || r.system == CodeSystem::kIcd9Cm) {
    AddCrosswalks(snapshot, r.system, r.code, page->mutable_crosswalks());
    if (!page->crosswalks().empty()) {
      attributions.Add(snapshot.gem_edition());
      attributions.Add(snapshot.CodeEdition(
          r.system == CodeSystem::kIcd10Cm ? CodeSystem::kIcd9Cm : CodeSystem::kIcd10Cm));
    }
  }

  if (r.hcpcs != nullptr) {
    BuildHcpcsDetails(*r.hcpcs, r.action_code, page->mutable_hcpcs());
    std::string note = CoverageNote(r.hcpcs->coverage_code);
    if (!note.empty()) page->add_coverage_notes(std::move(note));
  }

  if (r.system == CodeSystem::kCpt || r.system == CodeSystem::kHcpcs) {
    pb::GetFeeRequest fee_request;
    fee_request.set_code(r.code);
    // Filled in place: a fee built aside would be copied onto the page's
    // arena field by field.
    if (ComputeFee(snapshot, fee_request, page->mutable_national_fee()).ok()) {
      attributions.Add(snapshot.fee_edition());
    } else {
      page->clear_national_fee();
    }
  }
}

void BuildTeaser(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::TeaserReason reason,
                 const std::string& action, pb::CodeTeaser* teaser) {
  const CodeRecord& r = entry.record;
  pb::CodeSummary* s = teaser->mutable_code();
  s->set_system(ToProto(r.system));
  s->set_code(r.code);
  s->set_display_code(r.display_code.empty() ? r.code : r.display_code);
  s->set_short_title(r.short_title.empty() ? r.long_title : r.short_title);
  s->set_billable(r.billable);
  s->set_status(entry.deleted ? pb::CODE_STATUS_DELETED : pb::CODE_STATUS_ACTIVE);
  s->set_edition_id(r.edition_id);
  s->set_demo(entry.demo);
  teaser->set_reason(reason);
  teaser->set_action(action);
  if (const EditionInfo* edition = snapshot.edition(entry.edition)) {
    FillAttribution(*edition, teaser->add_attributions());
  }
}

}  // namespace openencoder::catalogue
