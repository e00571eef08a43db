#include "services/assistant/code_checker.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/assistant/question_classifier.h"

namespace openencoder::assistant {
namespace {

std::string Key(catalogue::v1::CodeSystem system, absl::string_view code) {
  return absl::StrCat(static_cast<int>(system), ":", code);
}

std::string Canonical(absl::string_view code) {
  std::string out;
  for (char c : code) {
    if (c != '.') out.push_back(absl::ascii_toupper(c));
  }
  return out;
}

}  // namespace

absl::StatusOr<CheckedText> CodeChecker::Check(
    absl::string_view text, const std::vector<catalogue::v1::CodeSummary>& also_known,
    absl::string_view request_id) const {
  CheckedText result;
  const std::vector<CodeMention> mentions = ExtractCodes(text, /*strict=*/true);
  absl::flat_hash_map<std::string, catalogue::v1::CodeSummary> found;  // Key() -> summary
  for (const catalogue::v1::CodeSummary& known : also_known) {
    found[Key(known.system(), Canonical(known.code()))] = known;
  }
  catalogue::v1::BatchGetCodesRequest request;
  for (const CodeMention& m : mentions) {
    for (catalogue::v1::CodeSystem system : m.systems) {
      if (found.contains(Key(system, m.code))) continue;
      catalogue::v1::CodeRef* ref = request.add_codes();
      ref->set_system(system);
      ref->set_code(m.code);
    }
  }
  if (request.codes_size() > 0) {
    absl::StatusOr<catalogue::v1::BatchGetCodesResponse> response =
        catalogue_->BatchGetCodes(request, request_id);
    if (!response.ok()) return response.status();
    for (const catalogue::v1::CodeSummary& summary : response->codes()) {
      found[Key(summary.system(), Canonical(summary.code()))] = summary;
    }
  }

  absl::flat_hash_set<std::string> unknown;
  for (const CodeMention& m : mentions) {
    bool verified = false;
    for (catalogue::v1::CodeSystem system : m.systems) {
      auto it = found.find(Key(system, m.code));
      if (it != found.end()) {
        result.codes.push_back(it->second);
        verified = true;
        break;
      }
    }
    if (!verified) {
      unknown.insert(m.code);
      result.removed.push_back(m.code);
    }
  }

  // Rebuild the text, cutting the unknown tokens with the same tokenizer
  // rule ExtractCodes uses (runs of letters, digits and dots).
  size_t i = 0;
  while (i < text.size()) {
    if (!absl::ascii_isalnum(text[i])) {
      result.text.push_back(text[i++]);
      continue;
    }
    size_t j = i;
    while (j < text.size() && (absl::ascii_isalnum(text[j]) || text[j] == '.')) ++j;
    absl::string_view token = text.substr(i, j - i);
    size_t trailing = 0;
    while (trailing < token.size() && token[token.size() - 1 - trailing] == '.') ++trailing;
    absl::string_view core = token.substr(0, token.size() - trailing);
    const bool after_dollar = i > 0 && text[i - 1] == '$';
    if (!core.empty() && !after_dollar && unknown.contains(Canonical(core)) &&
        !ExtractCodes(core, /*strict=*/true).empty()) {
      absl::StrAppend(&result.text, kRemovedCodeText, token.substr(core.size()));
    } else {
      absl::StrAppend(&result.text, token);
    }
    i = j;
  }
  return result;
}

}  // namespace openencoder::assistant
