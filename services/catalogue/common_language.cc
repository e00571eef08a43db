#include "services/catalogue/common_language.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "libs/code_sets/model/icd10cm_chapters.h"
#include "services/catalogue/tabular_notes.h"

namespace openencoder::catalogue {
namespace {

struct Meaning {
  absl::string_view code;
  absl::string_view words;
};

// HCPCS record layout (HCPCS2019_recordlayout.txt), table BETOS_TB.
constexpr Meaning kBetos[] = {
    {"M1A", "Office visits - new"},
    {"M1B", "Office visits - established"},
    {"M2A", "Hospital visit - initial"},
    {"M2B", "Hospital visit - subsequent"},
    {"M2C", "Hospital visit - critical care"},
    {"M3", "Emergency room visit"},
    {"M4A", "Home visit"},
    {"M4B", "Nursing home visit"},
    {"M5A", "Specialist - pathology"},
    {"M5B", "Specialist - psychiatry"},
    {"M5C", "Specialist - ophthalmology"},
    {"M5D", "Specialist - other"},
    {"M6", "Consultations"},
    {"P0", "Anesthesia"},
    {"P1A", "Major procedure - breast"},
    {"P1B", "Major procedure - colectomy"},
    {"P1C", "Major procedure - cholecystectomy"},
    {"P1D", "Major procedure - TURP"},
    {"P1E", "Major procedure - hysterectomy"},
    {"P1F", "Major procedure - exploration/decompression/excision of disc"},
    {"P1G", "Major procedure - other"},
    {"P2A", "Major procedure, cardiovascular - CABG"},
    {"P2B", "Major procedure, cardiovascular - aneurysm repair"},
    {"P2C", "Major procedure, cardiovascular - thromboendarterectomy"},
    {"P2D", "Major procedure, cardiovascular - coronary angioplasty (PTCA)"},
    {"P2E", "Major procedure, cardiovascular - pacemaker insertion"},
    {"P2F", "Major procedure, cardiovascular - other"},
    {"P3A", "Major procedure, orthopedic - hip fracture repair"},
    {"P3B", "Major procedure, orthopedic - hip replacement"},
    {"P3C", "Major procedure, orthopedic - knee replacement"},
    {"P3D", "Major procedure, orthopedic - other"},
    {"P4A", "Eye procedure - corneal transplant"},
    {"P4B", "Eye procedure - cataract removal/lens insertion"},
    {"P4C", "Eye procedure - retinal detachment"},
    {"P4D", "Eye procedure - treatment of retinal lesions"},
    {"P4E", "Eye procedure - other"},
    {"P5A", "Ambulatory procedures - skin"},
    {"P5B", "Ambulatory procedures - musculoskeletal"},
    {"P5C", "Ambulatory procedures - inguinal hernia repair"},
    {"P5D", "Ambulatory procedures - lithotripsy"},
    {"P5E", "Ambulatory procedures - other"},
    {"P6A", "Minor procedures - skin"},
    {"P6B", "Minor procedures - musculoskeletal"},
    {"P6C", "Minor procedures - other (Medicare fee schedule)"},
    {"P6D", "Minor procedures - other (non-Medicare fee schedule)"},
    {"P7A", "Oncology - radiation therapy"},
    {"P7B", "Oncology - other"},
    {"P8A", "Endoscopy - arthroscopy"},
    {"P8B", "Endoscopy - upper gastrointestinal"},
    {"P8C", "Endoscopy - sigmoidoscopy"},
    {"P8D", "Endoscopy - colonoscopy"},
    {"P8E", "Endoscopy - cystoscopy"},
    {"P8F", "Endoscopy - bronchoscopy"},
    {"P8G", "Endoscopy - laparoscopic cholecystectomy"},
    {"P8H", "Endoscopy - laryngoscopy"},
    {"P8I", "Endoscopy - other"},
    {"P9A", "Dialysis services (Medicare fee schedule)"},
    {"P9B", "Dialysis services (non-Medicare fee schedule)"},
    {"I1A", "Standard imaging - chest"},
    {"I1B", "Standard imaging - musculoskeletal"},
    {"I1C", "Standard imaging - breast"},
    {"I1D", "Standard imaging - contrast gastrointestinal"},
    {"I1E", "Standard imaging - nuclear medicine"},
    {"I1F", "Standard imaging - other"},
    {"I2A", "Advanced imaging - CAT/CT/CTA: brain/head/neck"},
    {"I2B", "Advanced imaging - CAT/CT/CTA: other"},
    {"I2C", "Advanced imaging - MRI/MRA: brain/head/neck"},
    {"I2D", "Advanced imaging - MRI/MRA: other"},
    {"I3A", "Echography/ultrasonography - eye"},
    {"I3B", "Echography/ultrasonography - abdomen/pelvis"},
    {"I3C", "Echography/ultrasonography - heart"},
    {"I3D", "Echography/ultrasonography - carotid arteries"},
    {"I3E", "Echography/ultrasonography - prostate, transrectal"},
    {"I3F", "Echography/ultrasonography - other"},
    {"I4A", "Imaging/procedure - heart including cardiac catheterization"},
    {"I4B", "Imaging/procedure - other"},
    {"T1A", "Lab tests - routine venipuncture (non-Medicare fee schedule)"},
    {"T1B", "Lab tests - automated general profiles"},
    {"T1C", "Lab tests - urinalysis"},
    {"T1D", "Lab tests - blood counts"},
    {"T1E", "Lab tests - glucose"},
    {"T1F", "Lab tests - bacterial cultures"},
    {"T1G", "Lab tests - other (Medicare fee schedule)"},
    {"T1H", "Lab tests - other (non-Medicare fee schedule)"},
    {"T2A", "Other tests - electrocardiograms"},
    {"T2B", "Other tests - cardiovascular stress tests"},
    {"T2C", "Other tests - EKG monitoring"},
    {"T2D", "Other tests - other"},
    {"D1A", "Medical/surgical supplies"},
    {"D1B", "Hospital beds"},
    {"D1C", "Oxygen and supplies"},
    {"D1D", "Wheelchairs"},
    {"D1E", "Other durable medical equipment (DME)"},
    {"D1F", "Prosthetic/orthotic devices"},
    {"D1G", "Drugs administered through DME"},
    {"O1A", "Ambulance"},
    {"O1B", "Chiropractic"},
    {"O1C", "Enteral and parenteral"},
    {"O1D", "Chemotherapy"},
    {"O1E", "Other drugs"},
    {"O1F", "Hearing and speech services"},
    {"O1G", "Immunizations/vaccinations"},
    {"Y1", "Other - Medicare fee schedule"},
    {"Y2", "Other - non-Medicare fee schedule"},
    {"Z1", "Local codes"},
    {"Z2", "Undefined codes"},
};

// HCPCS record layout, table CMS_TYPE_SRVC_TB (current meanings).
constexpr Meaning kTypeOfService[] = {
    {"1", "Medical care"},
    {"2", "Surgery"},
    {"3", "Consultation"},
    {"4", "Diagnostic radiology"},
    {"5", "Diagnostic laboratory"},
    {"6", "Therapeutic radiology"},
    {"7", "Anesthesia"},
    {"8", "Assistant at surgery"},
    {"9", "Other medical items or services"},
    {"0", "Whole blood"},
    {"A", "Used durable medical equipment (DME)"},
    {"B", "High risk screening mammography"},
    {"C", "Low risk screening mammography"},
    {"D", "Ambulance"},
    {"E", "Enteral/parenteral nutrients/supplies"},
    {"F", "Ambulatory surgical center (facility usage for surgical services)"},
    {"G", "Immunosuppressive drugs"},
    {"H", "Hospice services"},
    {"I", "Purchase of DME (installment basis)"},
    {"J", "Diabetic shoes"},
    {"K", "Hearing items and services"},
    {"L", "ESRD supplies"},
    {"M", "Monthly capitation payment for dialysis"},
    {"N", "Kidney donor"},
    {"P", "Lump sum purchase of DME, prosthetics, orthotics"},
    {"Q", "Vision items or services"},
    {"R", "Rental of DME"},
    {"S", "Surgical dressings or other medical supplies"},
    {"T", "Outpatient mental health treatment limitation"},
    {"U", "Occupational therapy"},
    {"V", "Pneumococcal/flu vaccine"},
    {"W", "Physical therapy"},
    {"Y", "Second opinion on elective surgery"},
    {"Z", "Third opinion on elective surgery"},
};

absl::string_view Lookup(absl::Span<const Meaning> table, absl::string_view code) {
  for (const Meaning& m : table) {
    if (m.code == code) return m.words;
  }
  return {};
}

// The ICD-10-PCS sections and their axes (CMS ICD-10-PCS Official
// Guidelines and Reference Manual: the meaning of each character per section).
// Several sections share one layout of characters, so each layout is named once,
// after the first section that uses it, and every section is one row naming its
// layout. In every section the first character is the section and the seventh
// the qualifier; a layout names the five between.
using PcsAxes = std::array<absl::string_view, 7>;

constexpr PcsAxes Layout(absl::string_view second, absl::string_view third,
                         absl::string_view fourth, absl::string_view fifth,
                         absl::string_view sixth) {
  return {"section", second, third, fourth, fifth, sixth, "qualifier"};
}

constexpr PcsAxes kSurgicalAxes =
    Layout("body system", "root operation", "body part", "approach", "device");
constexpr PcsAxes kPlacementAxes =
    Layout("body system", "root operation", "body region", "approach", "device");
constexpr PcsAxes kAdministrationAxes =
    Layout("body system", "root operation", "body system or region", "approach", "substance");
constexpr PcsAxes kMeasurementAxes =
    Layout("body system", "root operation", "body system", "approach", "function or device");
constexpr PcsAxes kAssistanceAxes =
    Layout("body system", "root operation", "body system", "duration", "function");
constexpr PcsAxes kTherapiesAxes =
    Layout("body system", "root operation", "body system", "duration", "qualifier");
constexpr PcsAxes kOsteopathicAxes =
    Layout("body system", "root operation", "body region", "approach", "method");
constexpr PcsAxes kImagingAxes =
    Layout("body system", "type", "body part", "contrast", "qualifier");
constexpr PcsAxes kNuclearMedicineAxes =
    Layout("body system", "type", "body part", "radionuclide", "qualifier");
constexpr PcsAxes kRadiationTherapyAxes =
    Layout("body system", "modality", "treatment site", "modality qualifier", "isotope");
constexpr PcsAxes kRehabilitationAxes =
    Layout("section qualifier", "type", "body system or region", "type qualifier", "equipment");
constexpr PcsAxes kMentalHealthAxes =
    Layout("body system", "type", "qualifier", "qualifier", "qualifier");
constexpr PcsAxes kNewTechnologyAxes = Layout("body system", "root operation", "body part",
                                              "approach", "device, substance or technology");

struct PcsSection {
  char character;
  absl::string_view name;
  const PcsAxes* axes;
};

constexpr PcsSection kPcsSections[] = {
    {'0', "Medical and Surgical", &kSurgicalAxes},
    {'1', "Obstetrics", &kSurgicalAxes},
    {'2', "Placement", &kPlacementAxes},
    {'3', "Administration", &kAdministrationAxes},
    {'4', "Measurement and Monitoring", &kMeasurementAxes},
    {'5', "Extracorporeal or Systemic Assistance and Performance", &kAssistanceAxes},
    {'6', "Extracorporeal or Systemic Therapies", &kTherapiesAxes},
    {'7', "Osteopathic", &kOsteopathicAxes},
    {'8', "Other Procedures", &kOsteopathicAxes},
    {'9', "Chiropractic", &kOsteopathicAxes},
    {'B', "Imaging", &kImagingAxes},
    {'C', "Nuclear Medicine", &kNuclearMedicineAxes},
    {'D', "Radiation Therapy", &kRadiationTherapyAxes},
    {'F', "Physical Rehabilitation and Diagnostic Audiology", &kRehabilitationAxes},
    {'G', "Mental Health", &kMentalHealthAxes},
    {'H', "Substance Abuse Treatment", &kMentalHealthAxes},
    {'X', "New Technology", &kNewTechnologyAxes},
};

const PcsSection* FindPcsSection(char c) {
  for (const PcsSection& s : kPcsSections) {
    if (s.character == c) return &s;
  }
  return nullptr;
}

class Composer {
 public:
  explicit Composer(std::vector<ComposedSentence>* out) : out_(out) {}

  void Add(std::string source, std::string text, std::initializer_list<absl::string_view> ev) {
    ComposedSentence s;
    s.text = std::move(text);
    s.source = std::move(source);
    for (absl::string_view e : ev) s.evidence.emplace_back(e);
    out_->push_back(std::move(s));
  }
  void Add(ComposedSentence s) { out_->push_back(std::move(s)); }

 private:
  std::vector<ComposedSentence>* out_;
};

std::string Quote(absl::string_view s) { return absl::StrCat("\u201c", s, "\u201d"); }

const std::string& TitleOf(const CodeRecord& r) {
  return r.long_title.empty() ? r.short_title : r.long_title;
}

std::string EditionLabel(const CatalogueSnapshot& snapshot, const CodeEntry& entry) {
  const EditionInfo* info = snapshot.edition(entry.edition);
  return info != nullptr ? info->edition.label : entry.record.edition_id;
}

void StatusSentence(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
                    const std::string& edition, Composer* c) {
  const CodeRecord& r = entry.record;
  if (entry.deleted) {
    if (r.termination_date) {
      const std::string day = absl::FormatCivilTime(*r.termination_date);
      c->Add("lifecycle",
             absl::StrCat("It was deleted (its end date is ", day,
                          ") and can no longer be reported; ", edition, " keeps it for reference."),
             {day, edition});
    } else {
      c->Add("lifecycle",
             absl::StrCat("It was deleted in ", edition, " and can no longer be reported."),
             {edition});
    }
    return;
  }
  if (r.billable) {
    c->Add("billable",
           absl::StrCat("It is a complete code that can be reported on a claim (billable) under ",
                        edition, "."),
           {edition});
    return;
  }
  if (!entry.children.empty()) {
    const CodeRecord& child = snapshot.code(entry.children.front()).record;
    const std::string& shown = child.display_code.empty() ? child.code : child.display_code;
    c->Add("hierarchy.children",
           absl::StrCat("It is a heading, not a billable code: a claim needs one of the ",
                        entry.children.size(), " more specific codes under it, such as ", shown,
                        " ", Quote(TitleOf(child)), "."),
           {shown, TitleOf(child)});
    return;
  }
  c->Add("billable", absl::StrCat("It is a heading in ", edition, ", not a billable code."),
         {edition});
}

void ChangeSentence(const CodeRecord& r, const std::string& edition, Composer* c) {
  if (r.change_status == ChangeStatus::kNew) {
    c->Add("lifecycle.change", absl::StrCat("It was added in ", edition, "."), {edition});
  } else if (r.change_status == ChangeStatus::kRevised) {
    c->Add("lifecycle.change", absl::StrCat("Its title was revised in ", edition, "."), {edition});
  }
}

void ComposeIcd10Cm(const CatalogueSnapshot& snapshot, const CodeEntry& entry, Composer* c) {
  const CodeRecord& r = entry.record;
  const std::string edition = EditionLabel(snapshot, entry);
  c->Add("title",
         absl::StrCat("ICD-10-CM code ", r.display_code, " means ", Quote(TitleOf(r)), "."),
         {r.display_code, TitleOf(r)});
  const Icd10CmChapter* chapter = FindIcd10CmChapter(r.code);
  const CodeEntry* category =
      r.code.size() > 3 ? snapshot.Find(CodeSystem::kIcd10Cm, r.category) : nullptr;
  if (chapter != nullptr) {
    const std::string number = absl::StrCat(chapter->number);
    if (category != nullptr) {
      const CodeRecord& cat = category->record;
      c->Add("hierarchy",
             absl::StrCat("It belongs to category ", cat.display_code, ", ", Quote(TitleOf(cat)),
                          ", in chapter ", number, " of ICD-10-CM, ", Quote(chapter->title), "."),
             {cat.display_code, TitleOf(cat), chapter->title});
    } else {
      c->Add("hierarchy",
             absl::StrCat("It is a category in chapter ", number, " of ICD-10-CM, ",
                          Quote(chapter->title), "."),
             {chapter->title});
    }
  }
  StatusSentence(snapshot, entry, edition, c);
  ChangeSentence(r, edition, c);

  if (const EditionInfo* index = snapshot.index_edition()) {
    // Up to two index paths that lead straight to the code (not through a
    // cross-reference): the words coders look it up by.
    ComposedSentence s;
    s.source = "index_entries";
    std::vector<std::string> quoted;
    for (const IndexEntry& e : entry.index_entries) {
      if (!e.see.empty() || e.path.empty() || quoted.size() >= 2) continue;
      if (std::find(s.evidence.begin(), s.evidence.end(), e.path) != s.evidence.end()) continue;
      quoted.push_back(Quote(e.path));
      s.evidence.push_back(e.path);
    }
    if (!quoted.empty()) {
      const std::string& label = index->edition.label;
      s.text = absl::StrCat("In the ", label, ", coders find it under ",
                            absl::StrJoin(quoted, " and under "), ".");
      s.evidence.push_back(label);
      c->Add(std::move(s));
    }
  }
  const EditionInfo* tab = snapshot.tabular_edition();
  if (tab == nullptr) return;
  const std::string& tab_label = tab->edition.label;
  const TabularScope scope = ResolveTabular(snapshot, entry);
  if (scope.self == nullptr) {
    c->Add("tabular.availability",
           absl::StrCat("It is not in the ", tab_label,
                        ", so notes written for this exact code in that edition are not "
                        "available."),
           {tab_label});
  }
  int instructions = 0;
  bool excludes1 = false;
  for (const TabularNode* n : scope.chain) {
    const bool self = n == scope.self;
    const std::string origin =
        self ? (scope.extension ? absl::StrCat("under ", n->display) : "under this code")
             : absl::StrCat("under ", n->level == TabularLevel::kChapter ? "chapter " : "",
                            n->level == TabularLevel::kSection ? "block " : "",
                            n->level == TabularLevel::kChapter ? n->name : n->display);
    for (size_t i = 0; i < n->notes.size(); ++i) {
      const TabularNote& note = n->notes[i];
      if (!self && !NoteIsInherited(note.kind)) continue;
      const bool instruction = note.kind == TabularNoteKind::kUseAdditionalCode ||
                               note.kind == TabularNoteKind::kCodeFirst ||
                               note.kind == TabularNoteKind::kCodeAlso;
      if (instruction && instructions < 2) {
        ++instructions;
        const std::string sentence = TabularNoteWithList(n->notes, &i, 5);
        c->Add("tabular.instruction",
               absl::StrCat("The Tabular List (", tab_label, ") instructs, ", origin, ": ",
                            Quote(sentence), "."),
               {tab_label, sentence});
      } else if (note.kind == TabularNoteKind::kExcludes1 && !excludes1) {
        excludes1 = true;
        c->Add("tabular.excludes1",
               absl::StrCat("An Excludes1 note in the Tabular List (", tab_label, "), ", origin,
                            ", names a condition that is coded elsewhere, never together with "
                            "this code: ",
                            Quote(note.text), "."),
               {tab_label, note.text});
      }
    }
  }
  if (scope.self != nullptr && !scope.extension) {
    std::vector<absl::string_view> terms;
    for (const TabularNote& note : scope.self->notes) {
      if (note.kind == TabularNoteKind::kInclusionTerm && terms.size() < 3) {
        terms.push_back(note.text);
      }
    }
    if (!terms.empty()) {
      ComposedSentence s;
      s.source = "tabular.inclusion_terms";
      std::vector<std::string> quoted;
      for (absl::string_view t : terms) {
        quoted.push_back(Quote(t));
        s.evidence.emplace_back(t);
      }
      s.text = absl::StrCat("The Tabular List (", tab_label,
                            ") also files these terms here: ", absl::StrJoin(quoted, "; "), ".");
      s.evidence.push_back(tab_label);
      c->Add(std::move(s));
    }
  }
  if (scope.seventh != nullptr && r.code.size() == 7) {
    for (const SeventhCharacter& s : scope.seventh->seventh_characters) {
      if (s.character != r.code[6]) continue;
      const std::string ch(1, s.character);
      c->Add("tabular.seventh_character",
             absl::StrCat("Its 7th character, ", ch, ", means ", Quote(s.meaning), " (", tab_label,
                          ", from ", scope.seventh->display, ")."),
             {ch, s.meaning, tab_label});
    }
  }
}

void ComposePcs(const CatalogueSnapshot& snapshot, const CodeEntry& entry, Composer* c) {
  const CodeRecord& r = entry.record;
  const std::string edition = EditionLabel(snapshot, entry);
  const std::string& code = r.code;
  const bool table = code.size() == 3;
  c->Add("title",
         absl::StrCat("ICD-10-PCS ", table ? "table " : "code ", code,
                      table ? " covers " : " describes the procedure ", Quote(TitleOf(r)), "."),
         {code, TitleOf(r)});
  const PcsSection* section = FindPcsSection(code[0]);
  const std::string first(1, code[0]);
  const CodeEntry* header =
      table ? &entry : snapshot.Find(CodeSystem::kIcd10Pcs, code.substr(0, 3));
  if (section != nullptr) {
    const std::string& header_title = header != nullptr ? TitleOf(header->record) : "";
    const size_t comma = header_title.rfind(", ");
    if (comma != std::string::npos) {
      std::string second = header_title.substr(0, comma);
      // Some tables repeat the section ("Imaging, Central Nervous System").
      const std::string section_prefix = absl::StrCat(section->name, ", ");
      if (absl::StartsWith(second, section_prefix) && second.size() > section_prefix.size()) {
        second = second.substr(section_prefix.size());
      }
      const std::string third = header_title.substr(comma + 2);
      c->Add(
          "pcs.axes",
          absl::StrCat("Its first character, ", first, ", is the section ", Quote(section->name),
                       "; the second, ", std::string(1, code[1]), ", is the ", (*section->axes)[1],
                       " ", Quote(second), "; the third, ", std::string(1, code[2]), ", is the ",
                       (*section->axes)[2], " ", Quote(third), "."),
          {first, section->name, second, third});
    } else {
      c->Add("pcs.axes",
             absl::StrCat("Its first character, ", first, ", is the section ", Quote(section->name),
                          "."),
             {first, section->name});
    }
  }
  if (!table && code.size() == 7 && section != nullptr) {
    std::vector<std::string> parts;
    for (int i = 3; i < 7; ++i) {
      parts.push_back(
          absl::StrCat("the ", (*section->axes)[i], " (", std::string(1, code[i]), ")"));
    }
    const std::string rest = code.substr(3);
    c->Add("pcs.axes",
           absl::StrCat("Characters 4 to 7, ", rest, ", give ", parts[0], ", ", parts[1], ", ",
                        parts[2], " and ", parts[3],
                        "; together the seven characters make the "
                        "title above."),
           {rest});
    const std::string& title = TitleOf(r);
    const size_t comma = title.rfind(", ");
    if (comma != std::string::npos && absl::EndsWith(title, "Approach")) {
      const std::string approach = title.substr(comma + 2);
      c->Add("pcs.approach", absl::StrCat("The title gives the approach as ", Quote(approach), "."),
             {approach});
    }
  }
  if (entry.deleted || r.billable || !entry.children.empty()) {
    StatusSentence(snapshot, entry, edition, c);
  } else {
    c->Add("billable",
           absl::StrCat("It is a table heading in ", edition,
                        ", not a reportable code: a code has all seven characters."),
           {edition});
  }
  ChangeSentence(r, edition, c);
}

void ComposeHcpcs(const CatalogueSnapshot& snapshot, const CodeEntry& entry, Composer* c) {
  const CodeRecord& r = entry.record;
  const std::string edition = EditionLabel(snapshot, entry);
  c->Add("title", absl::StrCat("HCPCS Level II code ", r.code, " means ", Quote(TitleOf(r)), "."),
         {r.code, TitleOf(r)});
  if (!r.short_title.empty() && r.short_title != TitleOf(r)) {
    c->Add("short_title", absl::StrCat("Its short official name is ", Quote(r.short_title), "."),
           {r.short_title});
  }
  if (entry.deleted) {
    StatusSentence(snapshot, entry, edition, c);
  } else if (r.effective_date) {
    const std::string day = absl::FormatCivilTime(*r.effective_date);
    c->Add("lifecycle",
           absl::StrCat("It is listed in ", edition, ", with an effective date of ", day, "."),
           {edition, day});
  } else {
    c->Add("lifecycle", absl::StrCat("It is listed in ", edition, "."), {edition});
  }
  ChangeSentence(r, edition, c);
  if (r.hcpcs == nullptr) return;
  const HcpcsDetails& d = *r.hcpcs;
  const absl::string_view betos = BetosMeaning(d.betos);
  if (!betos.empty()) {
    c->Add("hcpcs.betos",
           absl::StrCat("Medicare's Berenson-Eggers type of service (BETOS) puts it in group ",
                        d.betos, ", ", Quote(betos), "."),
           {d.betos, betos});
  }
  std::vector<std::string> tos;
  std::vector<std::string> tos_evidence;
  for (const std::string& t : d.type_of_service) {
    const absl::string_view words = TypeOfServiceMeaning(t);
    if (t.empty() || words.empty()) continue;
    tos.push_back(absl::StrCat(Quote(words), " (", t, ")"));
    tos_evidence.emplace_back(words);
  }
  if (!tos.empty()) {
    ComposedSentence s;
    s.source = "hcpcs.type_of_service";
    s.text = absl::StrCat("Its CMS type of service ", tos.size() == 1 ? "is " : "codes are ",
                          absl::StrJoin(tos, "; "), ".");
    s.evidence = std::move(tos_evidence);
    c->Add(std::move(s));
  }
}

}  // namespace

absl::string_view BetosMeaning(absl::string_view betos) { return Lookup(kBetos, betos); }
absl::string_view TypeOfServiceMeaning(absl::string_view tos) {
  return Lookup(kTypeOfService, tos);
}

absl::string_view PcsSectionName(char section) {
  const PcsSection* s = FindPcsSection(section);
  return s == nullptr ? absl::string_view() : s->name;
}

const std::array<absl::string_view, 7>* PcsAxisNames(char section) {
  const PcsSection* s = FindPcsSection(section);
  return s == nullptr ? nullptr : s->axes;
}

std::vector<ComposedSentence> ComposeCommonLanguage(const CatalogueSnapshot& snapshot,
                                                    const CodeEntry& entry) {
  std::vector<ComposedSentence> out;
  Composer c(&out);
  switch (entry.record.system) {
    case CodeSystem::kIcd10Cm:
      ComposeIcd10Cm(snapshot, entry, &c);
      break;
    case CodeSystem::kIcd10Pcs:
      ComposePcs(snapshot, entry, &c);
      break;
    case CodeSystem::kHcpcs:
      ComposeHcpcs(snapshot, entry, &c);
      break;
    default:
      break;
  }
  return out;
}

}  // namespace openencoder::catalogue
