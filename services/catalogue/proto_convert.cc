#include "services/catalogue/proto_convert.h"

#include "absl/strings/str_cat.h"
#include "libs/code_sets/model/icd10cm_chapters.h"

namespace openencoder::catalogue {

pb::CodeSystem ToProto(CodeSystem system) {
  const int value = static_cast<int>(system);
  if (value >= 0 && value <= 5) return static_cast<pb::CodeSystem>(value);
  return pb::CODE_SYSTEM_UNSPECIFIED;
}

CodeSystem FromProto(pb::CodeSystem system) {
  const int value = static_cast<int>(system);
  if (value >= 1 && value <= 5) return static_cast<CodeSystem>(value);
  return CodeSystem::kUnspecified;
}

pb::ChangeKind ToProto(ChangeStatus change) {
  switch (change) {
    case ChangeStatus::kUnchanged:
      return pb::CHANGE_KIND_UNCHANGED;
    case ChangeStatus::kNew:
      return pb::CHANGE_KIND_ADDED;
    case ChangeStatus::kRevised:
      return pb::CHANGE_KIND_REVISED;
    case ChangeStatus::kDeleted:
      return pb::CHANGE_KIND_DELETED;
  }
  return pb::CHANGE_KIND_UNSPECIFIED;
}

void FillDate(const std::optional<absl::CivilDay>& day, pb::CalendarDate* out) {
  if (!day) return;
  out->set_year(static_cast<int32_t>(day->year()));
  out->set_month(day->month());
  out->set_day(day->day());
}

void FillEdition(const EditionInfo& info, pb::Edition* out) {
  out->set_system(ToProto(info.edition.system));
  out->set_id(info.edition.id);
  out->set_label(info.edition.label);
  if (info.edition.effective_date) {
    FillDate(info.edition.effective_date, out->mutable_effective_date());
  }
  out->set_source(info.source);
  out->set_demo(info.demo);
}

void FillAttribution(const EditionInfo& info, pb::Attribution* out) {
  out->set_source(info.source);
  out->set_notice(info.notice);
}

void FillRelativeSummary(const CodeEntry& entry, pb::CodeSummary* out) {
  const CodeRecord& r = entry.record;
  out->set_system(ToProto(r.system));
  out->set_code(r.code);
  out->set_display_code(r.display_code.empty() ? r.code : r.display_code);
  // ICD-9 title files may carry only the long title.
  out->set_short_title(r.short_title.empty() ? r.long_title : r.short_title);
  out->set_title(r.long_title.empty() ? r.short_title : r.long_title);
  // A deleted code is never billable, whatever its record said when it was valid.
  out->set_billable(r.billable && !entry.deleted);
  out->set_status(entry.deleted ? pb::CODE_STATUS_DELETED : pb::CODE_STATUS_ACTIVE);
}

void FillIndexEntries(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
                      pb::CodeSummary* out) {
  if (entry.index_entries.empty()) return;
  for (const IndexEntry& e : entry.index_entries) {
    pb::IndexEntry* p = out->add_index_entries();
    p->set_path(e.path);
    p->set_see(e.see);
    p->set_see_also(e.see_also);
    p->set_subdivided(e.subdivided);
    p->set_manifestation(e.manifestation);
    p->set_modifiers(e.modifiers);
    p->set_words(e.words);
  }
  if (const EditionInfo* index = snapshot.index_edition()) {
    out->set_index_edition_id(index->edition.id);
  }
}

void FillSummary(const CatalogueSnapshot& snapshot, const CodeEntry& entry, pb::CodeSummary* out) {
  const CodeRecord& r = entry.record;
  FillRelativeSummary(entry, out);
  out->set_plain_language(entry.plain_language);
  for (const std::string& term : entry.lay_terms) out->add_lay_terms(term);
  out->set_edition_id(r.edition_id);
  if (r.system == CodeSystem::kIcd10Cm) {
    if (const Icd10CmChapter* ch = FindIcd10CmChapter(r.code)) {
      out->set_chapter(absl::StrCat(ch->title, " (", ch->first, "-", ch->last, ")"));
    }
  }
  if (!entry.family.empty()) {
    out->set_family(entry.family);
  } else if (!r.category.empty()) {
    if (const CodeEntry* category = snapshot.Find(r.system, r.category)) {
      out->set_family(
          absl::StrCat(category->record.display_code, " ", category->record.long_title));
    }
  }
  if (r.effective_date) FillDate(r.effective_date, out->mutable_effective_date());
  if (r.termination_date) {
    FillDate(r.termination_date, out->mutable_termination_date());
  }
  out->set_change(ToProto(r.change_status));
  out->set_demo(entry.demo);
}

}  // namespace openencoder::catalogue
