// Which ICD-10-CM Tabular List notes apply to a code of the served edition,
// and the page section built from them.
//
// The tabular edition may be older than the codes (FY2023 XML, FY2026
// codes). A code the XML has gets its own notes and those of its
// subcategories, category, block and chapter. A 7th-character extension
// (S52.501A) is the XML's S52.501 with a character from a <sevenChrDef> in
// its ancestry: it gets S52.501's notes. A code added later gets only the
// notes of its nearest ancestor the XML has, and upward (their scope covers
// it), and the page says that code-level notes are not available.
#ifndef OPENENCODER_SERVICES_CATALOGUE_TABULAR_NOTES_H_
#define OPENENCODER_SERVICES_CATALOGUE_TABULAR_NOTES_H_

#include <vector>

#include "openencoder/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/store/catalogue_snapshot.h"

namespace openencoder::catalogue {

namespace pb = ::openencoder::catalogue::v1;

struct TabularScope {
  // The node the code's own notes come from: the code itself, or for an
  // extension the code without its 7th character. nullptr when the XML
  // does not have the code.
  const TabularNode* self = nullptr;
  // `self` (if any) or the nearest ancestor, then outward to the chapter.
  std::vector<const TabularNode*> chain;
  bool extension = false;  // `self` is the code without its 7th character.
  // The nearest <sevenChrDef> in the chain; nullptr if none.
  const TabularNode* seventh = nullptr;
};

// Empty scope (no chain) for codes of other systems or when no tabular
// file is loaded.
TabularScope ResolveTabular(const CatalogueSnapshot& snapshot, const CodeEntry& entry);

// Inclusion terms describe the code they are listed under; every other
// kind of note applies to the codes below the node too.
bool NoteIsInherited(TabularNoteKind kind);

// Fills the page's tabular section; leaves it untouched (unset) when no
// tabular file is loaded or the code is not ICD-10-CM.
void BuildTabularNotes(const CatalogueSnapshot& snapshot, const CodeEntry& entry,
                       pb::TabularNotes* out);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_TABULAR_NOTES_H_
