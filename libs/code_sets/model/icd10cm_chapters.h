// The 22 chapters of ICD-10-CM FY2026 and the category ranges they cover.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_ICD10CM_CHAPTERS_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_ICD10CM_CHAPTERS_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace openencoder::catalogue {

struct Icd10CmChapter {
  int number;               // 1-22.
  absl::string_view first;  // First 3-character category, e.g. "A00".
  absl::string_view last;   // Last category, inclusive, e.g. "B99".
  absl::string_view title;
};

// All chapters in tabular order (chapter 22, U00-U85, comes last).
absl::Span<const Icd10CmChapter> Icd10CmChapters();

// The chapter whose range holds the first three characters of `code`
// (canonical form); nullptr when none does.
const Icd10CmChapter* FindIcd10CmChapter(absl::string_view code);

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_ICD10CM_CHAPTERS_H_
