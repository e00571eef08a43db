// The rule that the assistant never shows an invented code: every
// code-shaped token of an answer (ExtractCodes, strict mode) is looked up
// with the catalogue's BatchGetCodes before the answer leaves the service.
// A code the catalogue does not know is cut out of the text and reported.
//
// ICD-9-CM codes ("ICD-9-CM 410.71") are accepted when BatchGetCodes knows
// them or when the catalogue itself returned them in this request (the
// source of a crosswalk), passed in `also_known`.
//
// Example:
//   CodeChecker checker(&catalogue);
//   absl::StatusOr<CheckedText> c = checker.Check("Use E11.9 or Q99.9", {}, rid);
//   c->text == "Use E11.9 or [code removed: not in the catalogue]"
//   c->removed == {"Q999"}
//
// Errors: the catalogue's status when it cannot be asked (the caller must
// then not show the answer: an unchecked code is as bad as an invented one).
// Thread safety: as the CatalogueTools it wraps.
#ifndef OPENENCODER_SERVICES_ASSISTANT_CODE_CHECKER_H_
#define OPENENCODER_SERVICES_ASSISTANT_CODE_CHECKER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "openencoder/catalogue/v1/codes.pb.h"
#include "services/assistant/tools.h"

namespace openencoder::assistant {

inline constexpr absl::string_view kRemovedCodeText = "[code removed: not in the catalogue]";

struct CheckedText {
  std::string text;                               // with unknown codes cut out
  std::vector<catalogue::v1::CodeSummary> codes;  // every verified code, in text order
  std::vector<std::string> removed;               // canonical codes that were cut out
};

class CodeChecker {
 public:
  explicit CodeChecker(CatalogueTools* catalogue) : catalogue_(catalogue) {}

  absl::StatusOr<CheckedText> Check(absl::string_view text,
                                    const std::vector<catalogue::v1::CodeSummary>& also_known,
                                    absl::string_view request_id) const;

 private:
  CatalogueTools* catalogue_;  // not owned
};

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_CODE_CHECKER_H_
