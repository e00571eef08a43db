#include "bench/loadgen/metadata.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace openencoder::loadgen {
namespace {

bool IsHeaderKeyChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' || c == '_' || c == '.';
}

}  // namespace

absl::StatusOr<Metadata> ParseMetadata(absl::string_view flag) {
  Metadata metadata;
  if (absl::StripAsciiWhitespace(flag).empty()) return metadata;
  for (absl::string_view entry : absl::StrSplit(flag, ',')) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(entry, absl::MaxSplits(':', 1));
    std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(kv.first));
    absl::string_view value = absl::StripAsciiWhitespace(kv.second);
    bool key_ok = !key.empty() && key[0] != ':';
    for (char c : key) key_ok = key_ok && IsHeaderKeyChar(c);
    bool value_ok = entry.find(':') != absl::string_view::npos;
    for (char c : value) value_ok = value_ok && absl::ascii_isprint(c);
    if (!key_ok || !value_ok) {
      return absl::InvalidArgumentError(absl::StrCat("bad --metadata entry '", entry,
                                                     "': want key:value with key in ",
                                                     "[a-z0-9-_.] and a printable value"));
    }
    metadata.emplace_back(std::move(key), std::string(value));
  }
  return metadata;
}

}  // namespace openencoder::loadgen
