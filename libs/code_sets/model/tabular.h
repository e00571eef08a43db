// The ICD-10-CM Tabular List's instructional notes (includes, inclusion
// terms, Excludes1/2, code first, use additional code, code also, 7th
// characters) as a tree of chapters, blocks (sections) and codes, imported
// from the CDC's Tabular XML (importers/icd10cm_tabular_importer.h).
//
// The tabular edition may be older than the code set served (FY2023 XML,
// FY2026 codes): pages label every note with its edition and origin, and a
// code the XML does not know shows only the notes whose scope covers it.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_TABULAR_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_TABULAR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace openencoder::catalogue {

// One kind per XML element; the names say how the Tabular List prints them.
enum class TabularNoteKind {
  kIncludes = 0,          // <includes>  "Includes"
  kInclusionTerm,         // <inclusionTerm>  "Inclusion terms"
  kExcludes1,             // <excludes1>  "Excludes1"
  kExcludes2,             // <excludes2>  "Excludes2"
  kCodeFirst,             // <codeFirst>  "Code first"
  kUseAdditionalCode,     // <useAdditionalCode>  "Use additional code"
  kCodeAlso,              // <codeAlso>  "Code also"
  kNote,                  // <notes>  "Note"
  kSeventhCharacterNote,  // <sevenChrNote>
};

// "Excludes1", "Use additional code", ...
absl::string_view TabularNoteKindLabel(TabularNoteKind kind);

// The note as the Tabular List reads it: "use additional" notes start
// "code to identify ...", so their label is part of the sentence ("Use
// additional code to identify stage of chronic kidney disease (N18.1-N18.6)").
std::string TabularNoteSentence(TabularNoteKind kind, absl::string_view text);

struct TabularNote {
  TabularNoteKind kind = TabularNoteKind::kNote;
  std::string text;
};

// The sentence of notes[*i] (TabularNoteSentence); a note ending in ':'
// ("code to identify control using:") introduces the list that follows in
// notes of the same kind, which is joined to it ("...: insulin (Z79.4);
// oral antidiabetic drugs (Z79.84)"), at most `max_items` of them (then
// "; …"). *i is left on the last note of the list.
std::string TabularNoteWithList(const std::vector<TabularNote>& notes, size_t* i, size_t max_items);

struct SeventhCharacter {
  char character = '\0';
  std::string meaning;  // "initial encounter for closed fracture"
};

enum class TabularLevel { kChapter = 0, kSection, kCategory, kSubcategory, kCode };

struct TabularNode {
  TabularLevel level = TabularLevel::kCode;
  // Chapter number ("4"), section id ("E08-E13") or canonical code ("E1122").
  std::string name;
  std::string display;  // "Chapter 4", "E08-E13", "E11.22".
  std::string title;    // <desc>
  int32_t parent = -1;  // Index of the enclosing node; -1 for chapters.
  bool has_children = false;
  std::vector<TabularNote> notes;
  std::vector<SeventhCharacter> seventh_characters;  // <sevenChrDef>
  int64_t line = 0;                                  // In the XML, for messages.
};

// How a note's origin is written on a page: "this code", "from category
// E11", "from subcategory E11.2", "from block E08-E13", "from chapter 4".
std::string TabularOriginLabel(const TabularNode& node, bool self);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_TABULAR_H_
