#include "services/catalogue/code_page_builder.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/catalogue/common_language.h"
#include "services/catalogue/proto_convert.h"
#include "services/catalogue/reference_queries.h"
#include "services/catalogue/tabular_notes.h"

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

void BuildLifecycle(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::Lifecycle* l) {
  const CodeRecord& r = entry.record;
  const EditionInfo* edition = snapshot.edition(entry.edition);
  const std::string label = edition != nullptr ? edition->edition.label : r.edition_id;
  l->set_edition(label);
  std::string summary;
  if (entry.deleted) {
    summary = r.termination_date
                  ? absl::StrCat("Deleted ", absl::FormatCivilTime(*r.termination_date))
                  : absl::StrCat("Deleted in ", label);
    if (!r.replacement_codes.empty()) {
      absl::StrAppend(&summary, "; replaced by ", absl::StrJoin(r.replacement_codes, ", "));
    }
  } else if (r.change_status == ChangeStatus::kNew) {
    summary = absl::StrCat("Active; added in ", label);
  } else if (r.change_status == ChangeStatus::kRevised) {
    summary = absl::StrCat("Active; revised in ", label);
  } else if (r.added_date) {
    summary = absl::StrCat("Active since ", absl::FormatCivilTime(*r.added_date), " (", label, ")");
  } else {
    summary = absl::StrCat("Active in ", label);
  }
  l->set_summary(std::move(summary));
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

namespace {

// Our own title for a CPT code: its family and our plain-language sentence.
std::string CptTitle(const CodeEntry& entry) {
  if (entry.family.empty() && entry.plain_language.empty()) {
    return absl::StrCat("CPT code ", entry.record.code);
  }
  if (entry.family.empty()) return entry.plain_language;
  if (entry.plain_language.empty()) return entry.family;
  return absl::StrCat(entry.family, ": ", entry.plain_language);
}

// Non-facility and facility fees; false when the code has none (no RVUs,
// not payable, unknown locality).
bool AddFees(const CatalogueSnapshot& snapshot, const std::string& code, absl::string_view locality,
             pb::GetFeeResponse* non_facility, pb::GetFeeResponse* facility) {
  pb::GetFeeRequest request;
  request.set_code(code);
  request.set_locality(std::string(locality));
  // Filled in place: a fee built aside would be copied onto the page's
  // arena field by field.
  if (!ComputeFee(snapshot, request, non_facility).ok()) return false;
  request.set_facility(true);
  return ComputeFee(snapshot, request, facility).ok();
}

void BuildFees(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
               absl::string_view locality, pb::CodePage* page) {
  const CodeRecord& r = entry.record;
  if (r.system != CodeSystem::kCpt && r.system != CodeSystem::kHcpcs) return;
  if (!AddFees(snapshot, r.code, "", page->mutable_national_fee(),
               page->mutable_national_facility_fee())) {
    page->clear_national_fee();
    page->clear_national_facility_fee();
    return;
  }
  if (!locality.empty() && !AddFees(snapshot, r.code, locality, page->mutable_locality_fee(),
                                    page->mutable_locality_facility_fee())) {
    page->clear_locality_fee();
    page->clear_locality_facility_fee();
  }
  const EditionInfo* fees = snapshot.fee_edition();
  page->set_fee_note(absl::StrFormat(
      "Estimate from the Medicare Physician Fee Schedule, %s: relative value units (RVU) x "
      "geographic practice cost index (GPCI) x conversion factor $%.4f. National figures use "
      "GPCI 1.0. Not a payment determination: payers, modifiers and other adjustments change "
      "what is paid.",
      fees != nullptr ? fees->edition.label : "", snapshot.conversion_factor()));
}

}  // namespace

void BuildCodePage(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::CodePage* page,
                   absl::string_view fee_locality) {
  Attributions attributions(page);
  const CodeRecord& r = entry.record;
  FillSummary(snapshot, entry, page->mutable_code());
  attributions.Add(snapshot.edition(entry.edition));

  pb::Descriptors* d = page->mutable_descriptors();
  d->set_official_long(r.long_title);
  d->set_official_short(r.short_title);
  if (r.system == CodeSystem::kCpt && r.long_title.empty()) {
    d->set_title(CptTitle(entry));
    d->set_official_note(kCptLicenceNote);
  }
  d->set_plain_language(entry.plain_language);
  if (!entry.plain_language.empty() || !entry.family.empty()) {
    attributions.Add(snapshot.notes_edition());
  }
  if (entry.plain_language.empty()) {
    // Our hand-written notes win; every other code gets the composed text.
    std::vector<ComposedSentence> sentences = ComposeCommonLanguage(snapshot, entry);
    if (!sentences.empty()) {
      pb::CommonLanguage* cl = page->mutable_common_language();
      cl->set_label(kCommonLanguageLabel);
      for (ComposedSentence& s : sentences) {
        pb::GeneratedSentence* g = cl->add_sentences();
        g->set_text(std::move(s.text));
        g->set_source(std::move(s.source));
      }
    }
  }
  if (r.system == CodeSystem::kIcd10Cm && !entry.index_entries.empty()) {
    // The Alphabetic Index terms that lead to the code (CodeSummary carries
    // them only where asked: here, and StreamCodes for search).
    FillIndexEntries(snapshot, entry, page->mutable_code());
    attributions.Add(snapshot.index_edition());
  }
  if (r.system == CodeSystem::kIcd10Cm && snapshot.tabular_edition() != nullptr) {
    BuildTabularNotes(snapshot, entry, page->mutable_tabular());
    attributions.Add(snapshot.tabular_edition());
  }

  BuildHierarchy(snapshot, entry, page->mutable_hierarchy());
  BuildLifecycle(snapshot, entry, page->mutable_lifecycle());

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

  BuildFees(snapshot, entry, fee_locality, page);
  if (page->has_national_fee()) attributions.Add(snapshot.fee_edition());
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
