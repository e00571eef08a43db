// The ICD-10-CM Official Guidelines for Coding and Reporting (the CDC/NCHS
// PDF) as a cited source: the text is extracted at import time with
// poppler-utils' `pdftotext -layout` (never by hand), then split into the
// sections its table of contents lists (Section I ... IV, "I.A.12.a"), and
// the numbered items of a lettered section ("1) Type of diabetes") become
// sections of their own ("I.C.4.a.1").
//
// Example:
//   absl::StatusOr<std::string> text = ExtractPdfText(path);   // runs pdftotext
//   absl::StatusOr<OfficialGuidelines> g = ParseGuidelines(*text);
//   g->sections[i].id == "I.C.4.a.2"; g->toc.size() == number of TOC headings
//
// Pure parsing apart from ExtractPdfText; the knowledge base indexes the
// sections with the same search engine as its own articles.
#ifndef OPENENCODER_SERVICES_ASSISTANT_OFFICIAL_GUIDELINES_H_
#define OPENENCODER_SERVICES_ASSISTANT_OFFICIAL_GUIDELINES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::assistant {

struct GuidelineSection {
  std::string id;       // "I.C.4.a.2"; a Section alone is "I", "II", ...
  std::string title;    // as the table of contents (or the numbered item) writes it
  std::string text;     // the section's own text, page furniture removed, reflowed
  bool in_toc = false;  // a heading of the table of contents (not a numbered item)
};

struct OfficialGuidelines {
  std::string edition;                     // "FY 2026", from the title page
  std::vector<std::string> toc;            // ids of the TOC headings, in order
  std::vector<GuidelineSection> sections;  // TOC headings found in the body + items
  std::vector<std::string> missing;        // TOC ids whose heading the body lacks
};

// The PDF's text in layout mode. NOT_FOUND when the file is missing;
// FAILED_PRECONDITION when pdftotext is not installed (scripts/setup
// installs poppler-utils); INTERNAL when it fails.
absl::StatusOr<std::string> ExtractPdfText(const std::string& pdf_path);

// Splits the extracted text. INVALID_ARGUMENT when no table of contents is
// found (not the guidelines, or an unexpected layout).
absl::StatusOr<OfficialGuidelines> ParseGuidelines(absl::string_view text);

// At most about `limit` characters of `text`, cut after a sentence.
std::string BriefQuote(absl::string_view text, size_t limit);

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_OFFICIAL_GUIDELINES_H_
