#include "libs/code_sets/model/tabular.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace openencoder::catalogue {

absl::string_view TabularNoteKindLabel(TabularNoteKind kind) {
  switch (kind) {
    case TabularNoteKind::kIncludes:
      return "Includes";
    case TabularNoteKind::kInclusionTerm:
      return "Inclusion term";
    case TabularNoteKind::kExcludes1:
      return "Excludes1";
    case TabularNoteKind::kExcludes2:
      return "Excludes2";
    case TabularNoteKind::kCodeFirst:
      return "Code first";
    case TabularNoteKind::kUseAdditionalCode:
      return "Use additional code";
    case TabularNoteKind::kCodeAlso:
      return "Code also";
    case TabularNoteKind::kNote:
      return "Note";
    case TabularNoteKind::kSeventhCharacterNote:
      return "7th character";
  }
  return "Note";
}

std::string TabularNoteSentence(TabularNoteKind kind, absl::string_view text) {
  // The XML keeps the instruction's words apart from its text: a
  // <useAdditionalCode> note reads "code to identify ...", a <codeAlso> or
  // <codeFirst> note names what to code. Joined they read as printed.
  switch (kind) {
    case TabularNoteKind::kUseAdditionalCode:
      if (absl::StartsWithIgnoreCase(text, "code")) return absl::StrCat("Use additional ", text);
      return absl::StrCat("Use additional code: ", text);
    case TabularNoteKind::kCodeFirst:
      return absl::StrCat("Code first ", text);
    case TabularNoteKind::kCodeAlso:
      return absl::StrCat("Code also ", text);
    default:
      return std::string(text);
  }
}

std::string TabularNoteWithList(const std::vector<TabularNote>& notes, size_t* i,
                                size_t max_items) {
  const TabularNote& head = notes[*i];
  std::string sentence = TabularNoteSentence(head.kind, head.text);
  if (!absl::EndsWith(head.text, ":")) return sentence;
  size_t j = *i + 1;
  for (; j < notes.size() && notes[j].kind == head.kind; ++j) {
    if (j > *i + max_items) {
      // The rest of the list is left out, visibly.
      if (j == *i + max_items + 1) absl::StrAppend(&sentence, "; \u2026");
      continue;
    }
    absl::StrAppend(&sentence, j == *i + 1 ? " " : "; ", notes[j].text);
  }
  *i = j - 1;
  return sentence;
}

std::string TabularOriginLabel(const TabularNode& node, bool self) {
  if (self) return "this code";
  switch (node.level) {
    case TabularLevel::kChapter:
      return absl::StrCat("from chapter ", node.name);
    case TabularLevel::kSection:
      return absl::StrCat("from block ", node.name);
    case TabularLevel::kCategory:
      return absl::StrCat("from category ", node.display);
    case TabularLevel::kSubcategory:
    case TabularLevel::kCode:
      return absl::StrCat("from subcategory ", node.display);
  }
  return "";
}

}  // namespace openencoder::catalogue
