#include "services/gateway/router.h"

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace openencoder::gateway {
namespace {

bool IsParam(absl::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<absl::string_view> PathSegments(absl::string_view path) {
  return absl::StrSplit(path, '/', absl::SkipEmpty());
}

bool MatchSegments(const std::vector<absl::string_view>& want,
                   const std::vector<absl::string_view>& got, Params* params) {
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

bool MatchPath(absl::string_view path_template, absl::string_view path, Params* params) {
  return MatchSegments(PathSegments(path_template), PathSegments(path), params);
}

std::vector<std::string> PathParamNames(absl::string_view path_template) {
  std::vector<std::string> names;
  for (absl::string_view s : PathSegments(path_template)) {
    if (IsParam(s)) names.emplace_back(s.substr(1, s.size() - 2));
  }
  return names;
}

}  // namespace openencoder::gateway
