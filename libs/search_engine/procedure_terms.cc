#include "libs/search_engine/procedure_terms.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/search_engine/text.h"

namespace openencoder::search {

absl::StatusOr<std::vector<ProcedureTerm>> ParseProcedureTerms(absl::string_view content) {
  std::vector<ProcedureTerm> terms;
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    if (fields.size() == 3 && fields[0] == "term" && fields[1] == "system") continue;
    if (fields.size() != 3) {
      return absl::InvalidArgumentError(absl::StrCat("procedure terms line ", line_number,
                                                     ": expected term, system, title words"));
    }
    ProcedureTerm term;
    term.system = std::string(fields[1]);
    for (Token& token : Tokenize(fields[2])) term.title_words.push_back(std::move(token.text));
    if (term.title_words.empty() || term.system.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("procedure terms line ", line_number, ": empty system or title"));
    }
    for (absl::string_view alternative : absl::StrSplit(fields[0], '|')) {
      if (Tokenize(alternative).empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("procedure terms line ", line_number, ": empty term"));
      }
      term.term = std::string(alternative);
      terms.push_back(term);
    }
  }
  return terms;
}

absl::StatusOr<std::vector<ProcedureTerm>> LoadProcedureTerms(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read procedure terms ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseProcedureTerms(buffer.str());
}

}  // namespace openencoder::search
