#include "libs/code_sets/importers/alphabetic_index_importer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/code_sets/importers/line_reader.h"
#include "libs/code_sets/model/code_format.h"
#include "pugixml.hpp"

namespace openencoder::catalogue {
namespace {

// A see reference to a term without codes of its own points at its
// subterms; more than this many would make the reference a list, not an
// entry point.
constexpr size_t kMaxSeeChildren = 8;

// Every text below `node`, in document order.
void AppendText(pugi::xml_node node, std::string* out) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out->append(c.value());
    } else if (c.type() == pugi::node_element) {
      AppendText(c, out);
    }
  }
}

std::string CollapseBlanks(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (absl::ascii_isspace(static_cast<unsigned char>(ch))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(ch);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string AllText(pugi::xml_node node) {
  std::string text;
  AppendText(node, &text);
  return CollapseBlanks(text);
}

// Line numbers from byte offsets of the original buffer.
class LineIndex {
 public:
  explicit LineIndex(absl::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') newlines_.push_back(i);
    }
  }
  int64_t LineOf(ptrdiff_t offset) const {
    if (offset < 0) return 0;
    return std::upper_bound(newlines_.begin(), newlines_.end(), static_cast<size_t>(offset)) -
           newlines_.begin() + 1;
  }

 private:
  std::vector<size_t> newlines_;
};

// How often `tag` opens in `text` ("<term " and "<term>" both count).
int64_t CountOpenTags(absl::string_view text, absl::string_view tag) {
  int64_t n = 0;
  for (size_t pos = text.find(tag); pos != absl::string_view::npos; pos = text.find(tag, pos + 1)) {
    const size_t after = pos + tag.size();
    if (after < text.size() && (text[after] == '>' || text[after] == ' ')) ++n;
  }
  return n;
}

// "E11.-" -> {"E11", subdivided}; false when the text is not a code.
bool ParseCodeRef(absl::string_view text, IndexCodeRef* ref) {
  text = absl::StripAsciiWhitespace(text);
  ref->subdivided = absl::ConsumeSuffix(&text, "-");
  absl::ConsumeSuffix(&text, ".");
  std::string code;
  for (char ch : text) {
    if (ch != '.') code.push_back(absl::ascii_toupper(static_cast<unsigned char>(ch)));
  }
  if (!IsValidCode(CodeSystem::kIcd10Cm, code)) return false;
  ref->code = std::move(code);
  return true;
}

// Words of a level a coder reads: its first comma-separated name, without
// function words.
int LevelWords(absl::string_view title) {
  static constexpr absl::string_view kFunctionWords[] = {
      "with", "without", "in", "of", "and", "or", "to", "due", "the", "a", "by", "for", "on"};
  int words = 0;
  const absl::string_view first = title.substr(0, title.find(','));
  for (absl::string_view w : absl::StrSplit(first, ' ', absl::SkipEmpty())) {
    const std::string lower = absl::AsciiStrToLower(w);
    if (std::find(std::begin(kFunctionWords), std::end(kFunctionWords), lower) ==
        std::end(kFunctionWords)) {
      ++words;
    }
  }
  return words;
}

IndexEntry EntryOf(const IndexTerm& term) {
  IndexEntry e;
  e.path = term.path;
  e.modifiers = term.modifiers;
  e.words = term.words;
  return e;
}

class Parser {
 public:
  Parser(const LineIndex& lines, AlphabeticIndexImport* out) : lines_(lines), out_(out) {}

  void Term(pugi::xml_node node, int level, int32_t parent) {
    ReportTerm();
    const int64_t line = lines_.LineOf(node.offset_debug());
    IndexTerm term;
    term.level = level;
    term.parent = parent;
    term.line = line;
    pugi::xml_node title = node.child("title");
    std::string text;
    for (pugi::xml_node c : title.children()) {
      if (c.type() == pugi::node_pcdata) {
        text.append(c.value());
      } else if (c.type() == pugi::node_element && std::strcmp(c.name(), "nemod") == 0) {
        if (!term.nemod.empty()) term.nemod.push_back(' ');
        term.nemod.append(AllText(c));
        text.push_back(' ');  // "Abasia<nemod>..." keeps words apart.
      } else if (c.type() == pugi::node_element) {
        AppendText(c, &text);
      }
    }
    term.title = CollapseBlanks(text);
    // A subterm written only as a modifier ("Shock, electric, (taser)").
    if (term.title.empty()) term.title = term.nemod;
    bool ok = true;
    if (term.title.empty()) {
      out_->report.Reject(line, "term without a title");
      ok = false;
    }
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      const absl::string_view name = c.name();
      if (name == "code" || name == "manif" || name == "seecat" || name == "subcat") {
        IndexCodeRef ref;
        const std::string value = AllText(c);
        if (!ParseCodeRef(value, &ref)) {
          out_->report.Reject(
              lines_.LineOf(c.offset_debug()),
              absl::StrCat("<", name, "> \"", value, "\" is not an ICD-10-CM code (term \"",
                           term.title, "\")"));
          ok = false;
          continue;
        }
        ref.manifestation = name == "manif";
        // A see-category reference names a category to pick a child of.
        if (name == "seecat" || name == "subcat") ref.subdivided = true;
        term.codes.push_back(std::move(ref));
      } else if (name == "see") {
        term.see.push_back(AllText(c));
      } else if (name == "seeAlso") {
        term.see_also.push_back(AllText(c));
      }
    }
    const int32_t index = static_cast<int32_t>(out_->terms.size());
    if (ok) {
      const IndexTerm* up = parent >= 0 ? &out_->terms[parent] : nullptr;
      term.path = up != nullptr ? absl::StrCat(up->path, ", ", term.title) : term.title;
      term.words = (up != nullptr ? up->words : 0) + LevelWords(term.title);
      term.modifiers = up != nullptr ? up->modifiers : "";
      if (!term.nemod.empty()) {
        absl::StrAppend(&term.modifiers, term.modifiers.empty() ? "" : " ", term.nemod);
      }
      out_->terms.push_back(std::move(term));
      ++out_->report.rows_accepted;
      if (parent >= 0) out_->terms[parent].children.push_back(index);
      if (level == 0) ++out_->main_terms;
    }
    // Subterms of a rejected term are still read (and counted); they hang
    // under the nearest accepted ancestor so their paths stay meaningful.
    const int32_t under = ok ? index : parent;
    for (pugi::xml_node c : node.children("term")) Term(c, level + 1, under);
  }

 private:
  void ReportTerm() { ++out_->report.rows_read; }

  const LineIndex& lines_;
  AlphabeticIndexImport* out_;
};

// Latin-1 letters in UTF-8 (the index spells "Legg-Calvé-Perthes") folded
// to ASCII for comparing.
void AppendFolded(absl::string_view text, std::string* out) {
  static constexpr absl::string_view kFrom[] = {"á", "à", "â", "ä", "é", "è", "ê", "ë", "í",
                                                "ï", "ó", "ô", "ö", "ú", "ü", "ç", "ñ"};
  static constexpr char kTo[] = "aaaaeeeeiiooouucn";
  for (size_t i = 0; i < text.size();) {
    bool folded = false;
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      for (size_t k = 0; k < std::size(kFrom); ++k) {
        if (text.substr(i, kFrom[k].size()) == kFrom[k]) {
          out->push_back(kTo[k]);
          i += kFrom[k].size();
          folded = true;
          break;
        }
      }
    }
    if (!folded) out->push_back(absl::ascii_tolower(static_cast<unsigned char>(text[i++])));
  }
}

std::vector<std::string> KeysOf(absl::string_view title) {
  std::vector<std::string> keys;
  keys.push_back(IndexKey(title));
  for (absl::string_view part : absl::StrSplit(title, ',')) {
    std::string key = IndexKey(part);
    if (!key.empty() && key != keys.front()) keys.push_back(std::move(key));
  }
  return keys;
}

// True when `key` names the term titled by `keys`: one of its names, or the
// leading words of one ("sedative" for "sedative, hypnotic or anxiolytic").
bool Names(const std::vector<std::string>& keys, absl::string_view key) {
  for (const std::string& k : keys) {
    if (k == key) return true;
    if (k.size() > key.size() && absl::StartsWith(k, key) && k[key.size()] == ' ') return true;
  }
  return false;
}

void AddEntries(const IndexTerm& from, const IndexTerm& to, absl::string_view see_text,
                bool see_also, const std::vector<IndexTerm>& terms,
                std::vector<CodeIndexEntry>* entries) {
  auto add = [&](const IndexCodeRef& ref) {
    IndexEntry e = EntryOf(from);
    e.see = std::string(see_text);
    e.see_also = see_also;
    e.subdivided = ref.subdivided;
    e.manifestation = ref.manifestation;
    entries->push_back(CodeIndexEntry{ref.code, std::move(e)});
  };
  if (!to.codes.empty()) {
    for (const IndexCodeRef& ref : to.codes) add(ref);
    return;
  }
  // A target without a code of its own ("Infarct, intestine") leads to its
  // subterms' codes, when they are few.
  if (to.children.size() > kMaxSeeChildren) return;
  for (int32_t c : to.children) {
    if (!terms[c].codes.empty()) add(terms[c].codes.front());
  }
}

}  // namespace

std::string IndexKey(absl::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  int depth = 0;
  std::string plain;
  for (char ch : text) {
    if (ch == '(') {
      ++depth;
    } else if (ch == ')') {
      if (depth > 0) --depth;
    } else if (depth == 0 && ch != '\'') {
      // "Chagas'" and "Chagas" are one name.
      plain.push_back(ch);
    }
  }
  AppendFolded(plain, &folded);
  std::string key = CollapseBlanks(folded);
  // "Legg<nemod>(-Calve)</nemod>-Perthes" leaves "legg -perthes".
  for (size_t pos; (pos = key.find(" -")) != std::string::npos;) key.erase(pos, 1);
  for (absl::string_view suffix : {" nec", " nos"}) {
    if (absl::EndsWith(key, suffix)) key.resize(key.size() - suffix.size());
  }
  if (key == "nec" || key == "nos") key.clear();
  return key;
}

absl::StatusOr<AlphabeticIndexImport> ImportAlphabeticIndex(const std::string& path,
                                                            Edition edition) {
  absl::StatusOr<std::string> text = ReadFileText(path);
  if (!text.ok()) return text.status();
  AlphabeticIndexImport out;
  StartImport(path, edition, &out.report);

  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(text->data(), text->size());
  const LineIndex lines(*text);
  if (!parsed) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", lines.LineOf(parsed.offset), ": not well-formed XML: ", parsed.description()));
  }
  pugi::xml_node root = doc.child("ICD10CM.index");
  if (!root) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": the root element is not <ICD10CM.index>; is this the Tabular List "
                     "or the Drugs/Neoplasm table?"));
  }
  out.version = AllText(root.child("version"));
  out.terms.reserve(static_cast<size_t>(CountOpenTags(*text, "<term")) + 10000);
  Parser parser(lines, &out);
  for (pugi::xml_node letter : root.children("letter")) {
    for (pugi::xml_node main : letter.children("mainTerm")) parser.Term(main, 0, -1);
  }
  const int64_t tags = CountOpenTags(*text, "<mainTerm") + CountOpenTags(*text, "<term");
  if (tags != out.report.rows_read) {
    // Terms outside <letter>/<mainTerm> nesting were not read.
    out.report.Reject(0,
                      absl::StrCat("the file has ", tags, " term tags but ", out.report.rows_read,
                                   " terms were read in their <letter>/<mainTerm> nesting"));
  }

  // Entry points: a term's own codes, then what its references lead to.
  SeeResolver resolver(out.terms);
  for (const IndexTerm& term : out.terms) {
    for (const IndexCodeRef& ref : term.codes) {
      IndexEntry e = EntryOf(term);
      e.subdivided = ref.subdivided;
      e.manifestation = ref.manifestation;
      out.entries.push_back(CodeIndexEntry{ref.code, std::move(e)});
    }
    for (int kind = 0; kind < 2; ++kind) {
      const bool see_also = kind == 1;
      for (const std::string& see : see_also ? term.see_also : term.see) {
        ++out.see_references;
        SeeTarget target = resolver.Resolve(see);
        switch (target.kind) {
          case SeeTarget::Kind::kTerm:
            ++out.see_to_terms;
            AddEntries(term, out.terms[target.term], see, see_also, out.terms, &out.entries);
            break;
          case SeeTarget::Kind::kTermHead:
            // The tail did not match: the head's codes would be too broad.
            ++out.see_to_term_heads;
            break;
          case SeeTarget::Kind::kCodes:
            ++out.see_to_codes;
            for (const IndexCodeRef& ref : target.codes) {
              IndexEntry e = EntryOf(term);
              e.see = see;
              e.see_also = see_also;
              e.subdivided = ref.subdivided;
              out.entries.push_back(CodeIndexEntry{ref.code, std::move(e)});
            }
            break;
          case SeeTarget::Kind::kTable:
            ++out.see_to_tables;
            break;
          case SeeTarget::Kind::kInstruction:
            ++out.see_instructions;
            break;
          case SeeTarget::Kind::kUnresolved:
            out.report.Reject(term.line,
                              absl::StrCat("\"", term.path, "\": ", see_also ? "see also" : "see",
                                           " \"", see, "\" names no index term, code or table"));
            break;
        }
      }
    }
  }
  return out;
}

SeeResolver::SeeResolver(const std::vector<IndexTerm>& terms) : terms_(terms) {
  for (int32_t i = 0; i < static_cast<int32_t>(terms.size()); ++i) {
    if (terms[i].level != 0) continue;
    for (std::string& key : KeysOf(terms[i].title)) main_by_key_[key].push_back(i);
  }
  for (const auto& [key, mains] : main_by_key_) main_keys_.emplace(key, mains);
}

int32_t SeeResolver::Descend(int32_t term, const std::vector<std::string>& parts,
                             size_t* used) const {
  while (*used < parts.size()) {
    int32_t found = -1;
    size_t next = *used;
    // Longest run of parts first: a subterm title may itself hold commas.
    for (size_t j = parts.size(); j > *used && found < 0; --j) {
      const std::string key = absl::StrJoin(parts.begin() + *used, parts.begin() + j, ", ");
      for (int32_t c : terms_[term].children) {
        if (Names(KeysOf(terms_[c].title), key)) {
          found = c;
          next = j;
          break;
        }
      }
    }
    if (found < 0) break;
    term = found;
    *used = next;
  }
  return term;
}

SeeTarget SeeResolver::Resolve(absl::string_view text) const {
  SeeTarget target;
  std::string whole = IndexKey(text);
  absl::string_view w = whole;
  absl::ConsumePrefix(&w, "- ");
  absl::ConsumePrefix(&w, "also ");
  // "Encephalopathy; and see also Epilepsy": the first reference.
  w = w.substr(0, w.find(';'));
  if (w.empty()) return target;
  // "condition", "specific type of allergic reaction", "site of ...": the
  // reader is told what to look up, not where.
  for (absl::string_view lead : {"condition", "specific ", "specified ", "site", "type of ",
                                 "nature of ", "anatomical ", "by ", "note "}) {
    if (absl::StartsWith(w, lead) || w == "category" || w == "note at") {
      target.kind = SeeTarget::Kind::kInstruction;
      return target;
    }
  }
  if (absl::StartsWith(w, "table of drugs")) {
    target.kind = SeeTarget::Kind::kTable;
    target.table = "Table of Drugs and Chemicals";
    return target;
  }
  if (absl::StartsWith(w, "index to external causes")) {
    target.kind = SeeTarget::Kind::kTable;
    target.table = "Index to External Causes";
    return target;
  }
  if (absl::StartsWith(w, "table of neoplasms")) {
    target.kind = SeeTarget::Kind::kTable;
    target.table = "Neoplasm Table";
    return target;
  }
  // "category M01", "subcategory M14.8-", "E08-E13 with .620".
  absl::string_view codes = w;
  const bool named = absl::ConsumePrefix(&codes, "category ") ||
                     absl::ConsumePrefix(&codes, "categories ") ||
                     absl::ConsumePrefix(&codes, "subcategory ") || codes == "subcategory";
  const bool shaped = codes.size() >= 3 && absl::ascii_isalpha(codes[0]) &&
                      absl::ascii_isdigit(codes[1]) && absl::ascii_isalnum(codes[2]);
  if (named || shaped) {
    target.kind = SeeTarget::Kind::kCodes;
    IndexCodeRef ref;
    const absl::string_view first = codes.substr(0, codes.find(' '));
    if (first.find('-') == absl::string_view::npos || absl::EndsWith(first, "-")) {
      if (ParseCodeRef(first, &ref)) {
        ref.subdivided = true;
        target.codes.push_back(std::move(ref));
      }
    }
    return target;
  }

  std::vector<std::string> parts;
  for (absl::string_view p : absl::StrSplit(w, ',')) {
    std::string key = IndexKey(p);
    // "by site", "by type": the reference says how to go on, not a subterm
    // ("Abortion by type" names "Abortion").
    if (size_t by = key.find(" by "); by != std::string::npos) key.resize(by);
    if (absl::EndsWith(key, " by")) key.resize(key.size() - 3);
    if (key.empty() || absl::StartsWith(key, "by ")) continue;
    parts.push_back(std::move(key));
  }
  if (parts.empty()) return target;
  int32_t best = -1;
  size_t best_used = 0;
  ResolveParts(parts, &target, &best, &best_used);
  if (target.kind == SeeTarget::Kind::kTerm) return target;
  // "Turner's syndrome" for "Turner's, syndrome"; "Thyrotoxicosis with
  // thyroid storm": the first part's leading words as the main term.
  const std::vector<absl::string_view> words = absl::StrSplit(parts.front(), ' ');
  for (size_t k = words.size() - 1; k >= 1 && target.kind != SeeTarget::Kind::kTerm; --k) {
    std::vector<std::string> split = {absl::StrJoin(words.begin(), words.begin() + k, " "),
                                      absl::StrJoin(words.begin() + k, words.end(), " ")};
    split.insert(split.end(), parts.begin() + 1, parts.end());
    ResolveParts(split, &target, &best, &best_used);
  }
  if (target.kind == SeeTarget::Kind::kTerm) return target;
  if (best < 0) {
    // A misspelt main term ("Sequalae", "Spondlyitis", "Korsakoff's").
    const int32_t near = NearestMain(parts.front());
    if (near >= 0) {
      size_t used = 1;
      best = Descend(near, parts, &used);
      if (used == parts.size()) {
        target.kind = SeeTarget::Kind::kTerm;
        target.term = best;
        return target;
      }
    }
  }
  if (absl::StartsWith(parts.front(), "neoplasm")) {
    // "Neoplasm, malignant, by site": the Neoplasm Table, a separate file.
    target.kind = SeeTarget::Kind::kTable;
    target.table = "Neoplasm Table";
    return target;
  }
  if (best >= 0) {
    target.kind = SeeTarget::Kind::kTermHead;
    target.term = best;
  }
  return target;
}

void SeeResolver::ResolveParts(const std::vector<std::string>& parts, SeeTarget* target,
                               int32_t* best, size_t* best_used) const {
  for (size_t k = parts.size(); k >= 1; --k) {
    std::string head = absl::StrJoin(parts.begin(), parts.begin() + k, ", ");
    auto it = main_by_key_.find(head);
    if (it == main_by_key_.end() && k == 1) {
      // "Complications" for the main term "Complication".
      absl::string_view singular = head;
      if (absl::ConsumeSuffix(&singular, "s")) it = main_by_key_.find(singular);
    }
    std::vector<int32_t> mains;
    if (it != main_by_key_.end()) {
      mains = it->second;
    } else if (k == 1) {
      // "Gait" for the main term "Gait abnormality".
      auto first = main_keys_.lower_bound(absl::StrCat(head, " "));
      if (first != main_keys_.end() && absl::StartsWith(first->first, absl::StrCat(head, " "))) {
        mains = first->second;
      }
    }
    for (int32_t main : mains) {
      size_t used = k;
      const int32_t term = Descend(main, parts, &used);
      if (used == parts.size()) {
        target->kind = SeeTarget::Kind::kTerm;
        target->term = term;
        return;
      }
      if (*best < 0 || used > *best_used) {
        *best = term;
        *best_used = used;
      }
    }
  }
}

int32_t SeeResolver::NearestMain(absl::string_view key) const {
  // Edit distance at most 2 between keys of similar length; the first main
  // term in key order wins ties.
  int32_t found = -1;
  int found_distance = 3;
  std::vector<int> row;
  for (const auto& [candidate, mains] : main_keys_) {
    if (candidate.size() + 2 < key.size() || key.size() + 2 < candidate.size()) continue;
    if (candidate.empty() || key.empty() || candidate[0] != key[0]) continue;
    row.assign(candidate.size() + 1, 0);
    for (size_t j = 0; j <= candidate.size(); ++j) row[j] = static_cast<int>(j);
    for (size_t i = 1; i <= key.size(); ++i) {
      int diagonal = row[0];
      row[0] = static_cast<int>(i);
      for (size_t j = 1; j <= candidate.size(); ++j) {
        const int above = row[j];
        row[j] = std::min(
            {row[j] + 1, row[j - 1] + 1, diagonal + (key[i - 1] == candidate[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    if (row.back() < found_distance) {
      found_distance = row.back();
      found = mains.front();
    }
  }
  if (found >= 0) return found;
  // "Legg-Calve-Perthes disease" for "Legg-Perthes disease": every word of
  // the main term is a word of the key, starting with the same word.
  auto words = [](absl::string_view s) {
    return std::vector<absl::string_view>(
        absl::StrSplit(s, absl::ByAnyChar(" -"), absl::SkipEmpty()));
  };
  const std::vector<absl::string_view> key_words = words(key);
  size_t found_words = 1;
  for (const auto& [candidate, mains] : main_keys_) {
    if (key_words.empty() || !absl::StartsWith(candidate, key_words.front())) continue;
    const std::vector<absl::string_view> candidate_words = words(candidate);
    if (candidate_words.size() <= found_words || candidate_words.front() != key_words.front()) {
      continue;
    }
    bool all = true;
    for (absl::string_view w : candidate_words) {
      all = all && std::find(key_words.begin(), key_words.end(), w) != key_words.end();
    }
    if (all) {
      found = mains.front();
      found_words = candidate_words.size();
    }
  }
  return found;
}

}  // namespace openencoder::catalogue
