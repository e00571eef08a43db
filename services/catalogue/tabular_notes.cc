#include "services/catalogue/tabular_notes.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {
namespace {

const SeventhCharacter* FindSeventh(const TabularNode& node, char c) {
  for (const SeventhCharacter& s : node.seventh_characters) {
    if (s.character == c) return &s;
  }
  return nullptr;
}

}  // namespace

bool NoteIsInherited(TabularNoteKind kind) {
  return kind != TabularNoteKind::kInclusionTerm && kind != TabularNoteKind::kSeventhCharacterNote;
}

TabularScope ResolveTabular(const CatalogueSnapshot& snapshot, const CodeEntry& entry) {
  TabularScope scope;
  const CodeRecord& r = entry.record;
  if (r.system != CodeSystem::kIcd10Cm || snapshot.tabular_edition() == nullptr) return scope;
  const std::string& code = r.code;
  const TabularNode* start = snapshot.FindTabular(code);
  if (start != nullptr) {
    scope.self = start;
  } else if (code.size() == 7) {
    // An extension: the code without its 7th character, with or without
    // the placeholder X's that pad it to six characters.
    std::string base = code.substr(0, 6);
    const TabularNode* b = snapshot.FindTabular(base);
    while (b == nullptr && !base.empty() && base.back() == 'X') {
      base.pop_back();
      b = snapshot.FindTabular(base);
    }
    if (b != nullptr) {
      for (const TabularNode* n = b; n != nullptr; n = snapshot.tabular_node(n->parent)) {
        if (FindSeventh(*n, code[6]) != nullptr) {
          scope.self = b;
          scope.extension = true;
          break;
        }
        if (!n->seventh_characters.empty()) break;  // The nearest table decides.
      }
    }
    start = scope.self;
  }
  if (start == nullptr) {
    // Added after the tabular edition: the nearest ancestor it has.
    for (size_t len = code.size() - 1; len >= 3 && start == nullptr; --len) {
      start = snapshot.FindTabular(absl::string_view(code).substr(0, len));
    }
  }
  for (const TabularNode* n = start; n != nullptr; n = snapshot.tabular_node(n->parent)) {
    scope.chain.push_back(n);
    if (scope.seventh == nullptr && !n->seventh_characters.empty()) scope.seventh = n;
  }
  return scope;
}

void BuildTabularNotes(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
                       pb::TabularNotes* out) {
  const EditionInfo* edition = snapshot.tabular_edition();
  if (edition == nullptr || entry.record.system != CodeSystem::kIcd10Cm) return;
  const std::string& label = edition->edition.label;
  const TabularScope scope = ResolveTabular(snapshot, entry);
  out->set_edition(label);
  out->set_code_in_edition(scope.self != nullptr);
  const std::string& display = entry.record.display_code;
  if (scope.self == nullptr) {
    out->set_availability_note(
        scope.chain.empty()
            ? absl::StrCat(display, " is not in the ", label,
                           " and neither is any category above it: no notes are available "
                           "for it in that edition.")
            : absl::StrCat("Code-level notes are not available: ", display, " is not in the ",
                           label, " (it was added later). The notes below come from the ",
                           "categories and chapter above it, whose scope covers it."));
  }
  for (const TabularNode* n : scope.chain) {
    const bool self = n == scope.self;
    std::string origin;
    if (self && scope.extension) {
      origin = absl::StrCat("from ", n->display, " (this code without its 7th character)");
    } else {
      origin = TabularOriginLabel(*n, self);
    }
    for (size_t i = 0; i < n->notes.size(); ++i) {
      const TabularNote& note = n->notes[i];
      if (!self && !NoteIsInherited(note.kind)) continue;
      if (note.kind == TabularNoteKind::kSeventhCharacterNote) continue;  // Shown with the table.
      pb::TabularNote* p = out->add_notes();
      p->set_kind(std::string(TabularNoteKindLabel(note.kind)));
      p->set_text(TabularNoteWithList(n->notes, &i, n->notes.size()));
      p->set_origin(origin);
      p->set_edition(label);
      if (n->level == TabularLevel::kCategory || n->level == TabularLevel::kSubcategory) {
        p->mutable_origin_code()->set_system(pb::CODE_SYSTEM_ICD10CM);
        p->mutable_origin_code()->set_code(n->name);
      }
    }
  }
  if (scope.seventh != nullptr) {
    const TabularNode& t = *scope.seventh;
    for (const SeventhCharacter& s : t.seventh_characters) {
      pb::SeventhCharacter* p = out->add_seventh_characters();
      p->set_character(std::string(1, s.character));
      p->set_meaning(s.meaning);
    }
    out->set_seventh_characters_origin(TabularOriginLabel(t, &t == scope.self && !scope.extension));
    const std::string& code = entry.record.code;
    if (code.size() == 7) {
      if (const SeventhCharacter* s = FindSeventh(t, code[6])) {
        out->set_seventh_character_meaning(
            absl::StrCat(std::string(1, s->character), ": ", s->meaning));
      }
    }
  }
}

}  // namespace openencoder::catalogue
