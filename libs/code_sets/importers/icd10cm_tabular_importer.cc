#include "libs/code_sets/importers/icd10cm_tabular_importer.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/code_sets/importers/line_reader.h"
#include "libs/code_sets/model/code_format.h"
#include "pugixml.hpp"

namespace openencoder::catalogue {
namespace {

std::optional<TabularNoteKind> NoteKindOf(const char* element) {
  struct Entry {
    const char* name;
    TabularNoteKind kind;
  };
  static constexpr Entry kKinds[] = {
      {"includes", TabularNoteKind::kIncludes},
      {"inclusionTerm", TabularNoteKind::kInclusionTerm},
      {"excludes1", TabularNoteKind::kExcludes1},
      {"excludes2", TabularNoteKind::kExcludes2},
      {"codeFirst", TabularNoteKind::kCodeFirst},
      {"useAdditionalCode", TabularNoteKind::kUseAdditionalCode},
      {"codeAlso", TabularNoteKind::kCodeAlso},
      {"notes", TabularNoteKind::kNote},
      {"sevenChrNote", TabularNoteKind::kSeventhCharacterNote},
  };
  for (const Entry& e : kKinds) {
    if (std::strcmp(element, e.name) == 0) return e.kind;
  }
  return std::nullopt;
}

// Collapses runs of white space (the XML indents some texts over lines).
std::string CleanText(const char* text) {
  std::string out;
  bool space = false;
  for (const char* p = text; *p != '\0'; ++p) {
    if (absl::ascii_isspace(static_cast<unsigned char>(*p))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(*p);
  }
  return out;
}

class TabularReader {
 public:
  TabularReader(const std::string& buffer, TabularImport* out) : out_(out) {
    for (size_t i = 0; i < buffer.size(); ++i) {
      if (buffer[i] == '\n') newlines_.push_back(i);
    }
  }

  int64_t LineOf(const pugi::xml_node& node) const {
    const ptrdiff_t offset = node.offset_debug();
    return offset < 0 ? 0 : LineOfOffset(offset);
  }

  int64_t LineOfOffset(ptrdiff_t offset) const {
    return static_cast<int64_t>(
               std::lower_bound(newlines_.begin(), newlines_.end(), static_cast<size_t>(offset)) -
               newlines_.begin()) +
           1;
  }

  void ReadChapter(const pugi::xml_node& chapter) {
    TabularNode node;
    node.level = TabularLevel::kChapter;
    node.name = CleanText(chapter.child_value("name"));
    node.display = absl::StrCat("Chapter ", node.name);
    node.title = CleanText(chapter.child_value("desc"));
    node.line = LineOf(chapter);
    const int32_t index = Add(std::move(node), chapter);
    ++out_->chapters;
    for (pugi::xml_node section : chapter.children("section")) ReadSection(section, index);
  }

 private:
  int32_t Add(TabularNode node, const pugi::xml_node& element) {
    ReadNotes(element, &node);
    const int32_t index = static_cast<int32_t>(out_->nodes.size());
    if (node.parent >= 0) out_->nodes[node.parent].has_children = true;
    out_->nodes.push_back(std::move(node));
    return index;
  }

  void ReadSection(const pugi::xml_node& section, int32_t chapter) {
    TabularNode node;
    node.level = TabularLevel::kSection;
    node.name = CleanText(section.attribute("id").value());
    node.display = node.name;
    node.title = CleanText(section.child_value("desc"));
    node.parent = chapter;
    node.line = LineOf(section);
    const int32_t index = Add(std::move(node), section);
    ++out_->sections;
    for (pugi::xml_node diag : section.children("diag")) ReadDiag(diag, index);
  }

  void ReadDiag(const pugi::xml_node& diag, int32_t parent) {
    ++out_->report.rows_read;
    const int64_t line = LineOf(diag);
    ImportReport& report = out_->report;
    const std::string name = CleanText(diag.child_value("name"));
    absl::StatusOr<std::string> code = NormalizeCode(CodeSystem::kIcd10Cm, name);
    int32_t index = parent;
    if (name.empty()) {
      report.Reject(line, "<diag> without <name>");
    } else if (!code.ok()) {
      report.Reject(line, absl::StrCat("<name>", name, "</name>: ", code.status().message()));
    } else if (!seen_.insert(*code).second) {
      report.Reject(line, absl::StrCat("duplicate <diag> ", name));
    } else if (CleanText(diag.child_value("desc")).empty()) {
      report.Reject(line, absl::StrCat(name, ": <diag> without <desc>"));
    } else {
      TabularNode node;
      node.level = code->size() == 3 ? TabularLevel::kCategory : TabularLevel::kSubcategory;
      node.name = *std::move(code);
      node.display = FormatDisplayCode(CodeSystem::kIcd10Cm, node.name);
      node.title = CleanText(diag.child_value("desc"));
      node.parent = parent;
      node.line = line;
      index = Add(std::move(node), diag);
      ++report.rows_accepted;
    }
    for (pugi::xml_node child : diag.children("diag")) ReadDiag(child, index);
  }

  void ReadNotes(const pugi::xml_node& element, TabularNode* node) {
    for (pugi::xml_node child : element.children()) {
      if (child.type() != pugi::node_element) continue;
      if (std::strcmp(child.name(), "sevenChrDef") == 0) {
        ReadSeventh(child, node);
        continue;
      }
      std::optional<TabularNoteKind> kind = NoteKindOf(child.name());
      if (!kind) continue;
      for (pugi::xml_node note : child.children("note")) {
        std::string text = CleanText(note.child_value());
        if (text.empty()) continue;
        node->notes.push_back(TabularNote{*kind, std::move(text)});
        ++out_->notes;
      }
    }
  }

  void ReadSeventh(const pugi::xml_node& def, TabularNode* node) {
    for (pugi::xml_node ext : def.children("extension")) {
      const std::string ch = CleanText(ext.attribute("char").value());
      if (ch.size() != 1 || !absl::ascii_isalnum(static_cast<unsigned char>(ch[0]))) {
        out_->report.Reject(LineOf(ext), absl::StrCat(node->display, ": <extension char=\"", ch,
                                                      "\"> is not one letter or digit"));
        continue;
      }
      node->seventh_characters.push_back(SeventhCharacter{
          absl::ascii_toupper(static_cast<unsigned char>(ch[0])), CleanText(ext.child_value())});
    }
  }

  TabularImport* out_;
  std::vector<size_t> newlines_;
  absl::flat_hash_set<std::string> seen_;
};

}  // namespace

absl::StatusOr<TabularImport> ImportIcd10CmTabular(const std::string& path, Edition edition) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string buffer((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  TabularImport out;
  edition.system = CodeSystem::kIcd10Cm;
  StartImport(path, edition, &out.report);
  TabularReader reader(buffer, &out);
  pugi::xml_document doc;
  // Parsed in place (no second copy of the file in memory); node offsets
  // still count from the buffer's start, so line numbers stay right.
  pugi::xml_parse_result parsed = doc.load_buffer_inplace(buffer.data(), buffer.size(),
                                                          pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", reader.LineOfOffset(parsed.offset),
                                                   ": not well-formed XML (", parsed.description(),
                                                   ")"));
  }
  pugi::xml_node root = doc.child("ICD10CM.tabular");
  if (!root) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": the root element is not <ICD10CM.tabular>; is this the Tabular "
                     "List XML?"));
  }
  out.version = CleanText(root.child_value("version"));
  for (pugi::xml_node chapter : root.children("chapter")) reader.ReadChapter(chapter);
  // Everything that is not a <diag> (introduction, chapters, sections) is
  // by format not a data row.
  out.report.lines_skipped = out.chapters + out.sections;
  return out;
}

}  // namespace openencoder::catalogue
