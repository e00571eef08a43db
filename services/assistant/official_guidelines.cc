#include "services/assistant/official_guidelines.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace openencoder::assistant {
namespace {

// The depth of a heading follows from how its label is written: "Section
// II." > "B." > "12." > "c." (the guidelines' own outline).
enum class LabelKind { kNone, kSection, kUpper, kNumber, kLower };

struct Label {
  LabelKind kind = LabelKind::kNone;
  std::string label;       // "II", "B", "12", "c"
  absl::string_view rest;  // the text after the label
};

int Depth(LabelKind k) {
  switch (k) {
    case LabelKind::kSection:
      return 0;
    case LabelKind::kUpper:
      return 1;
    case LabelKind::kNumber:
      return 2;
    case LabelKind::kLower:
      return 3;
    default:
      return -1;
  }
}

bool IsRoman(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c != 'I' && c != 'V' && c != 'X') return false;
  }
  return true;
}

Label ParseLabel(absl::string_view line) {
  Label out;
  absl::string_view s = absl::StripAsciiWhitespace(line);
  auto after = [&](size_t n) {
    // A label is followed by white space (or ends the line, with the title
    // on the next one).
    if (n < s.size() && !absl::ascii_isspace(s[n])) return false;
    out.rest = absl::StripAsciiWhitespace(s.substr(std::min(n, s.size())));
    return true;
  };
  if (absl::ConsumePrefix(&s, "Section ")) {
    const size_t dot = s.find('.');
    if (dot != absl::string_view::npos && IsRoman(s.substr(0, dot)) && after(dot + 1)) {
      out.kind = LabelKind::kSection;
      out.label = std::string(s.substr(0, dot));
    }
    return out;
  }
  if (s.size() >= 2 && s[1] == '.' && absl::ascii_isupper(s[0]) && after(2)) {
    out.kind = LabelKind::kUpper;
    out.label = std::string(1, s[0]);
  } else if (s.size() >= 2 && s[1] == '.' && absl::ascii_islower(s[0]) && after(2)) {
    out.kind = LabelKind::kLower;
    out.label = std::string(1, s[0]);
  } else {
    size_t n = 0;
    while (n < s.size() && n < 3 && absl::ascii_isdigit(s[n])) ++n;
    if (n > 0 && n < s.size() && s[n] == '.' && after(n + 1)) {
      out.kind = LabelKind::kNumber;
      out.label = std::string(s.substr(0, n));
    }
  }
  return out;
}

// "Title ........ 39" -> "Title"; nullopt when the line does not end with a
// page number (the title continues on the next line).
std::optional<std::string> TocTitleEnd(absl::string_view text) {
  absl::string_view s = absl::StripTrailingAsciiWhitespace(text);
  size_t n = s.size();
  while (n > 0 && absl::ascii_isdigit(s[n - 1])) --n;
  if (n == s.size()) return std::nullopt;
  if (n == 0) return std::string();  // the page number alone, under a wrapped title
  if (!absl::ascii_isspace(s[n - 1]) && s[n - 1] != '.') return std::nullopt;
  s = s.substr(0, n);
  while (!s.empty() && (s.back() == '.' || absl::ascii_isspace(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Page furniture repeated on every page.
bool IsFurniture(absl::string_view line) {
  absl::string_view s = absl::StripAsciiWhitespace(line);
  if (s == "ICD-10-CM Official Guidelines for Coding and Reporting") return true;
  if (absl::StartsWith(s, "FY 20") && s.size() <= 7) return true;
  if (absl::StartsWith(s, "Page ") && absl::StrContains(s, " of ")) return true;
  return s == "\f";
}

// Letters and digits only, lower case: headings are compared on this so
// that line breaks, quotes and dot leaders do not matter.
std::string Squash(absl::string_view s, size_t limit) {
  std::string out;
  for (char c : s) {
    if (out.size() >= limit) break;
    if (absl::ascii_isalnum(c)) out.push_back(absl::ascii_tolower(c));
  }
  return out;
}

// Joins wrapped lines into paragraphs (a blank line ends one).
std::string Reflow(const std::vector<absl::string_view>& lines) {
  std::vector<std::string> paragraphs;
  std::string current;
  for (absl::string_view line : lines) {
    absl::string_view s = absl::StripAsciiWhitespace(line);
    if (s.empty()) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (!current.empty()) current.push_back(' ');
    for (char c : s) {
      // pdftotext keeps runs of spaces from the layout.
      if (c == '\f') continue;
      if (absl::ascii_isspace(c) && !current.empty() && current.back() == ' ') continue;
      current.push_back(absl::ascii_isspace(c) ? ' ' : c);
    }
  }
  if (!current.empty()) paragraphs.push_back(std::move(current));
  return absl::StrJoin(paragraphs, "\n\n");
}

struct TocEntry {
  std::string id;
  std::string title;
  int depth = 0;
};

}  // namespace

absl::StatusOr<std::string> ExtractPdfText(const std::string& pdf_path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(pdf_path, error)) {
    return absl::NotFoundError(absl::StrCat("guidelines PDF ", pdf_path, " not found"));
  }
  // The path is passed as one quoted argument; a quote in it is refused
  // rather than escaped.
  if (pdf_path.find('\'') != std::string::npos) {
    return absl::InvalidArgumentError("guidelines PDF path contains a quote");
  }
  const std::string command = absl::StrCat("pdftotext -q -layout -enc UTF-8 '", pdf_path, "' -");
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return absl::InternalError("cannot start pdftotext");
  std::string text;
  char buffer[65536];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0) text.append(buffer, n);
  const int status = pclose(pipe.release());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return absl::FailedPreconditionError(
        "pdftotext is not installed (scripts/setup installs poppler-utils)");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty()) {
    return absl::InternalError(absl::StrCat("pdftotext failed on ", pdf_path));
  }
  return text;
}

absl::StatusOr<OfficialGuidelines> ParseGuidelines(absl::string_view text) {
  const std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  OfficialGuidelines out;
  for (size_t i = 0; i < std::min<size_t>(lines.size(), 10); ++i) {
    absl::string_view s = absl::StripAsciiWhitespace(lines[i]);
    if (absl::StartsWith(s, "FY ")) {
      out.edition = std::string(s.substr(0, std::min<size_t>(s.find(' ', 3), s.size())));
      break;
    }
  }

  // 1. The table of contents: from the first "Section I. ... 7" line to
  // "Appendix I".
  std::vector<TocEntry> toc;
  size_t i = 0;
  for (; i < lines.size(); ++i) {
    Label l = ParseLabel(lines[i]);
    if (l.kind == LabelKind::kSection && TocTitleEnd(l.rest).has_value()) break;
  }
  if (i == lines.size()) return absl::InvalidArgumentError("no table of contents found");
  std::vector<std::string> path;  // the id parts of the current heading
  std::optional<TocEntry> pending;
  for (; i < lines.size(); ++i) {
    absl::string_view s = absl::StripAsciiWhitespace(lines[i]);
    if (absl::StartsWith(s, "Appendix")) break;
    if (s.empty() || IsFurniture(s)) continue;
    if (pending.has_value()) {
      // The title wraps onto this line.
      std::optional<std::string> end = TocTitleEnd(s);
      const std::string more = end.has_value() ? *end : std::string(s);
      if (!more.empty()) absl::StrAppend(&pending->title, " ", more);
      if (end.has_value()) {
        toc.push_back(*std::move(pending));
        pending.reset();
      }
      continue;
    }
    Label l = ParseLabel(s);
    if (l.kind == LabelKind::kNone) continue;  // "Reserved for future guideline expansion"
    if (l.kind == LabelKind::kSection) path.clear();
    const int depth = Depth(l.kind);
    path.resize(std::min<size_t>(path.size(), static_cast<size_t>(depth)));
    while (path.size() < static_cast<size_t>(depth)) path.push_back("?");
    path.push_back(l.label);
    TocEntry entry{absl::StrJoin(path, "."), "", depth};
    std::optional<std::string> end = TocTitleEnd(l.rest);
    entry.title = end.has_value() ? *end : std::string(l.rest);
    if (end.has_value()) {
      toc.push_back(std::move(entry));
    } else {
      pending = std::move(entry);
    }
  }
  if (toc.empty()) return absl::InvalidArgumentError("the table of contents lists no section");
  const size_t body_start = i + 1;
  size_t body_end = lines.size();
  for (size_t k = body_start; k < lines.size(); ++k) {
    if (absl::StartsWith(absl::StripAsciiWhitespace(lines[k]), "Appendix I")) {
      body_end = k;
      break;
    }
  }

  // 2. Each TOC heading in the body, in order: a line with the same label
  // whose text starts like the TOC's title.
  struct Found {
    size_t toc_index;
    size_t line;
  };
  std::vector<Found> found;
  size_t cursor = body_start;
  for (size_t t = 0; t < toc.size(); ++t) {
    const TocEntry& entry = toc[t];
    const std::string want = Squash(entry.title, 12);
    const std::string label = entry.id.substr(entry.id.rfind('.') + 1);
    bool ok = false;
    for (size_t k = cursor; k < body_end; ++k) {
      Label l = ParseLabel(lines[k]);
      if (Depth(l.kind) != entry.depth || l.label != label) continue;
      absl::string_view title = l.rest;
      for (size_t next = k + 1; title.empty() && next < body_end; ++next) {
        title = absl::StripAsciiWhitespace(lines[next]);
      }
      if (Squash(title, 12) != want) continue;
      found.push_back({t, k});
      cursor = k + 1;
      ok = true;
      break;
    }
    if (!ok) out.missing.push_back(entry.id);
    out.toc.push_back(entry.id);
  }

  // 3. The text between one heading and the next; a lettered section's
  // numbered items ("1) Type of diabetes") become their own sections.
  for (size_t f = 0; f < found.size(); ++f) {
    const TocEntry& entry = toc[found[f].toc_index];
    const size_t begin = found[f].line + 1;
    const size_t end = f + 1 < found.size() ? found[f + 1].line : body_end;
    std::vector<absl::string_view> own;
    std::vector<GuidelineSection> items;
    std::vector<absl::string_view> item_lines;
    int next_item = 1;
    for (size_t k = begin; k < end; ++k) {
      if (IsFurniture(lines[k])) continue;
      absl::string_view s = absl::StripAsciiWhitespace(lines[k]);
      if (entry.depth == 3) {
        const std::string want = absl::StrCat(next_item, ")");
        if (absl::StartsWith(s, want) && s.size() > want.size() &&
            absl::ascii_isspace(s[want.size()])) {
          if (!items.empty()) items.back().text = Reflow(item_lines);
          item_lines.clear();
          GuidelineSection item;
          item.id = absl::StrCat(entry.id, ".", next_item);
          item.title = std::string(absl::StripAsciiWhitespace(s.substr(want.size())));
          items.push_back(std::move(item));
          ++next_item;
          continue;
        }
      }
      (items.empty() ? own : item_lines).push_back(lines[k]);
    }
    if (!items.empty()) items.back().text = Reflow(item_lines);
    GuidelineSection section;
    section.id = entry.id;
    section.title = entry.title;
    section.text = Reflow(own);
    section.in_toc = true;
    out.sections.push_back(std::move(section));
    for (GuidelineSection& item : items) out.sections.push_back(std::move(item));
  }
  return out;
}

std::string BriefQuote(absl::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = std::string::npos;
  for (size_t k = limit / 3; k < limit && k + 1 < text.size(); ++k) {
    if (text[k] == '.' && (text[k + 1] == ' ' || text[k + 1] == '\n')) cut = k + 1;
  }
  if (cut == std::string::npos) {
    cut = text.rfind(' ', limit);
    if (cut == std::string::npos) cut = limit;
    return absl::StrCat(text.substr(0, cut), " …");
  }
  return std::string(text.substr(0, cut));
}

}  // namespace openencoder::assistant
