#include "services/catalogue/code_resolver.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/code_sets/model/code_format.h"

namespace openencoder::catalogue {
namespace {

constexpr size_t kNearest = 5;

std::string Quoted(absl::string_view input) {
  return absl::StrCat("\"", absl::StripAsciiWhitespace(input), "\"");
}

std::string NotFound(const CatalogueSnapshot& snapshot, CodeSystem system, absl::string_view input,
                     absl::string_view canonical) {
  const EditionInfo* edition = snapshot.CodeEdition(system);
  std::string message =
      absl::StrCat(CodeSystemLabel(system), " code ", Quoted(input), " does not exist in ",
                   edition != nullptr ? edition->edition.label : "the loaded edition");
  std::vector<const CodeEntry*> near = snapshot.Nearest(system, canonical, kNearest);
  if (!near.empty()) {
    absl::StrAppend(&message, "; nearest codes: ",
                    absl::StrJoin(near, ", ", [](std::string* out, const CodeEntry* e) {
                      absl::StrAppend(out, e->record.display_code.empty() ? e->record.code
                                                                          : e->record.display_code);
                    }));
  }
  return message;
}

}  // namespace

std::string CanonicalCodeText(absl::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (char c : absl::StripAsciiWhitespace(input)) {
    if (c != '.') out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string DescribeCodeShape(CodeSystem system) {
  absl::string_view words;
  switch (system) {
    case CodeSystem::kIcd10Cm:
      words =
          "3 to 7 characters: a letter, then letters or digits, with an "
          "optional dot after the third (e.g. E11.9, S72.001A)";
      break;
    case CodeSystem::kIcd10Pcs:
      words = "exactly 7 letters or digits, never I or O (e.g. 0DTJ4ZZ)";
      break;
    case CodeSystem::kHcpcs:
      words = "a letter from A to V followed by 4 digits (e.g. J1100)";
      break;
    case CodeSystem::kCpt:
      words = "5 digits, or 4 digits followed by F, T or U (e.g. 99213, 0370T)";
      break;
    case CodeSystem::kIcd9Cm:
      words =
          "3 to 5 digits, V and 2 to 4 digits, or E and 3 to 4 digits, "
          "with an optional dot (e.g. 250.00, V58.67)";
      break;
    default:
      words = "unknown";
  }
  return absl::StrCat(CodeSystemLabel(system), " codes are ", words, "; pattern ",
                      CodePattern(system));
}

absl::StatusOr<const CodeEntry*> ResolveCode(const CatalogueSnapshot& snapshot, CodeSystem system,
                                             absl::string_view input) {
  const std::string canonical = CanonicalCodeText(input);
  if (canonical.empty()) return absl::InvalidArgumentError("no code given");
  if (system != CodeSystem::kUnspecified) {
    if (snapshot.CodeEdition(system) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no ", CodeSystemLabel(system), " edition is loaded"));
    }
    if (!IsValidCode(system, canonical)) {
      return absl::InvalidArgumentError(absl::StrCat(Quoted(input), " is not a valid ",
                                                     CodeSystemLabel(system),
                                                     " code: ", DescribeCodeShape(system)));
    }
    if (const CodeEntry* e = snapshot.Find(system, canonical)) return e;
    return absl::NotFoundError(NotFound(snapshot, system, input, canonical));
  }

  const bool dotted = absl::StrContains(input, '.');
  std::vector<CodeSystem> order =
      dotted ? std::vector<CodeSystem>{CodeSystem::kIcd10Cm, CodeSystem::kIcd9Cm}
             : std::vector<CodeSystem>{CodeSystem::kHcpcs, CodeSystem::kCpt, CodeSystem::kIcd10Cm,
                                       CodeSystem::kIcd10Pcs, CodeSystem::kIcd9Cm};
  std::vector<CodeSystem> shaped;
  for (CodeSystem s : order) {
    if (snapshot.CodeEdition(s) == nullptr || !IsValidCode(s, canonical)) continue;
    if (const CodeEntry* e = snapshot.Find(s, canonical)) return e;
    shaped.push_back(s);
  }
  if (shaped.empty()) {
    std::vector<std::string> shapes;
    for (CodeSystem s : order) {
      if (snapshot.CodeEdition(s) != nullptr) shapes.push_back(DescribeCodeShape(s));
    }
    return absl::InvalidArgumentError(absl::StrCat(Quoted(input),
                                                   " is not a valid code of any loaded code set. ",
                                                   absl::StrJoin(shapes, ". ")));
  }
  // Suggest from the most likely system: the first one the shape fits.
  return absl::NotFoundError(NotFound(snapshot, shaped.front(), input, canonical));
}

}  // namespace openencoder::catalogue
