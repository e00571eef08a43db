// Procedure words as people say them ("tonsillectomy", "flu shot") and the
// title words of the codes they mean, in the words of the code sets' own
// axes: for ICD-10-PCS the root operation and body part ("resection
// tonsils" -> 0CTP...), for HCPCS the descriptor's key words.
//
// File (data/search/procedure_terms.tsv, UTF-8, '#' comments):
//   term<TAB>system<TAB>title words
//   tonsillectomy	ICD10PCS	resection tonsils
// A term may list alternatives split by '|' ("cabg|coronary bypass"); each
// becomes a ProcedureTerm.
//
// The builder makes `term` an entry point of every document of `system`
// whose title holds every title word, weighted like an Alphabetic Index
// entry; its words become dictionary words (spelling corrections reach
// them).
#ifndef OPENENCODER_LIBS_SEARCH_ENGINE_PROCEDURE_TERMS_H_
#define OPENENCODER_LIBS_SEARCH_ENGINE_PROCEDURE_TERMS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace openencoder::search {

struct ProcedureTerm {
  std::string term;
  std::string system;                    // "ICD10PCS", "HCPCS".
  std::vector<std::string> title_words;  // Folded, as Tokenize gives them.
};

// INVALID_ARGUMENT with the line number for a row without three fields or
// with an empty term or title.
absl::StatusOr<std::vector<ProcedureTerm>> ParseProcedureTerms(absl::string_view content);
// NOT_FOUND when the file cannot be read.
absl::StatusOr<std::vector<ProcedureTerm>> LoadProcedureTerms(const std::string& path);

}  // namespace openencoder::search

#endif  // OPENENCODER_LIBS_SEARCH_ENGINE_PROCEDURE_TERMS_H_
