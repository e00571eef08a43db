#include "services/gateway/router.h"

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace openencoder::gateway {
namespace {

std::vector<absl::string_view> Segments(absl::string_view path) {
  return absl::StrSplit(path, '/', absl::SkipEmpty());
}

bool IsParam(absl::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

bool MatchPath(absl::string_view path_template, absl::string_view path, Params* params) {
  std::vector<absl::string_view> want = Segments(path_template);
  std::vector<absl::string_view> got = Segments(path);
  if (want.size() != got.size()) return false;
  Params found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (IsParam(want[i])) {
      found.emplace_back(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  if (params != nullptr) params->insert(params->end(), found.begin(), found.end());
  return true;
}

std::vector<std::string> PathParamNames(absl::string_view path_template) {
  std::vector<std::string> names;
  for (absl::string_view s : Segments(path_template)) {
    if (IsParam(s)) names.emplace_back(s.substr(1, s.size() - 2));
  }
  return names;
}

}  // namespace openencoder::gateway
