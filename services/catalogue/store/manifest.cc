#include "services/catalogue/store/manifest.h"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/code_sets/importers/field_parse.h"
#include "services/catalogue/store/file_kinds.h"

namespace openencoder::catalogue {
namespace {

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string Join(const std::string& base, absl::string_view path) {
  if (!path.empty() && path[0] == '/') return std::string(path);
  if (base.empty() || base == ".") return std::string(path);
  return absl::StrCat(base, "/", path);
}

}  // namespace

std::optional<FileKind> ParseFileKind(absl::string_view name) {
  for (const FileKindInfo& row : FileKinds()) {
    if (row.name == name) return row.kind;
  }
  return std::nullopt;
}

absl::string_view FileKindName(FileKind kind) {
  for (const FileKindInfo& row : FileKinds()) {
    if (row.kind == kind) return row.name;
  }
  return "unknown";
}

absl::StatusOr<Manifest> ParseManifest(absl::string_view text, const std::string& manifest_path,
                                       const ManifestVariables& variables) {
  Manifest manifest;
  manifest.path = manifest_path;
  const std::string manifest_dir = Dirname(manifest_path);
  std::string root = manifest_dir;
  int line_number = 0;
  auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(manifest_path, ":", line_number, ": ", why));
  };
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripSuffix(line, "\r");
    if (absl::StripAsciiWhitespace(line).empty() ||
        absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#")) {
      continue;
    }
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f[0] == "root") {
      if (f.size() != 2 || f[1].empty()) return error("root needs one value");
      absl::string_view value = f[1];
      std::string expanded;
      if (absl::ConsumePrefix(&value, "$")) {
        size_t end = value.find('/');
        std::string name(value.substr(0, end));
        auto it = variables.find(name);
        if (it == variables.end() || it->second.empty()) {
          return error(absl::StrCat("variable $", name, " is not set"));
        }
        expanded = it->second;
        if (end != absl::string_view::npos) {
          absl::StrAppend(&expanded, value.substr(end));
        }
      } else {
        expanded = std::string(value);
      }
      root = expanded == "." ? manifest_dir : Join(manifest_dir, expanded);
      continue;
    }
    if (f.size() != 6) {
      return error(absl::StrCat("expected 6 tab-separated columns, found ", f.size()));
    }
    ManifestEntry entry;
    entry.line = line_number;
    std::optional<FileKind> kind = ParseFileKind(f[0]);
    if (!kind) return error(absl::StrCat("unknown file kind \"", f[0], "\""));
    entry.kind = *kind;
    if (f[1].empty()) return error("empty path");
    entry.path = Join(root, f[1]);
    entry.edition_id = std::string(f[2]);
    entry.edition_label = std::string(f[3]);
    if (entry.edition_id.empty() || entry.edition_label.empty()) {
      return error("edition id and label are required");
    }
    if (!f[4].empty()) {
      absl::CivilDay day;
      if (!ParseIsoDay(f[4], &day)) {
        return error(absl::StrCat("effective date \"", f[4], "\" is not YYYY-MM-DD"));
      }
      entry.effective_date = day;
    }
    for (absl::string_view flag : absl::StrSplit(f[5], ',', absl::SkipEmpty())) {
      if (flag == "demo") {
        entry.demo = true;
      } else if (flag == "latin1") {
        entry.latin1 = true;
      } else if (flag == "short") {
        entry.short_titles = true;
      } else {
        return error(absl::StrCat("unknown flag \"", flag, "\""));
      }
    }
    manifest.entries.push_back(std::move(entry));
  }
  if (manifest.entries.empty()) {
    line_number = 0;
    return error("the manifest names no files");
  }
  return manifest;
}

absl::StatusOr<Manifest> ReadManifest(const std::string& manifest_path,
                                      const ManifestVariables& variables) {
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read data manifest ", manifest_path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseManifest(buffer.str(), manifest_path, variables);
}

}  // namespace openencoder::catalogue
