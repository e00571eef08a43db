#include "services/gateway/static_files.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace openencoder::gateway {
namespace {

constexpr size_t kMaxFiles = 1000;
constexpr uintmax_t kMaxFileBytes = 8 << 20;

bool Compressible(absl::string_view content_type) {
  return absl::StartsWith(content_type, "text/") ||
         absl::StartsWith(content_type, "application/javascript") ||
         absl::StartsWith(content_type, "application/json") ||
         absl::StartsWith(content_type, "image/svg+xml");
}

}  // namespace

absl::StatusOr<std::string> Gzip(absl::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return absl::InternalError("zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return absl::InternalError("zlib: deflate did not finish");
  return out;
}

bool AcceptsGzip(absl::string_view accept_encoding) {
  for (absl::string_view item : absl::StrSplit(accept_encoding, ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    absl::string_view coding = absl::StripAsciiWhitespace(parts[0]);
    if (!absl::EqualsIgnoreCase(coding, "gzip") && coding != "*") continue;
    double q = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view p = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&p, "q=") && !absl::SimpleAtod(p, &q)) q = 0;
    }
    if (q > 0) return true;
  }
  return false;
}

std::string ContentTypeFor(absl::string_view path) {
  static constexpr std::pair<absl::string_view, absl::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWithIgnoreCase(path, ext)) return std::string(type);
  }
  return "application/octet-stream";
}

absl::StatusOr<StaticFiles> StaticFiles::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("static folder not found: ", dir));
  }
  StaticFiles files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    if (files.files_.size() >= kMaxFiles) {
      return absl::InternalError(absl::StrCat("more than ", kMaxFiles, " files in ", dir));
    }
    if (it->file_size(ec) > kMaxFileBytes) {
      return absl::InternalError(absl::StrCat("file too large: ", it->path().string()));
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return absl::InternalError(absl::StrCat("cannot read ", it->path().string()));
    }
    // StrCat, not "/" + string&&: GCC 12 -O3 reports a false -Wrestrict on the latter.
    std::string key = absl::StrCat("/", fs::relative(it->path(), dir, ec).generic_string());
    File f;
    f.body = buffer.str();
    f.content_type = ContentTypeFor(key);
    f.etag = absl::StrFormat("\"%016x\"", absl::HashOf(f.body));
    if (Compressible(f.content_type) && f.body.size() > 256) {
      absl::StatusOr<std::string> z = Gzip(f.body);
      if (!z.ok()) return z.status();
      if (z->size() < f.body.size()) f.gzip = *std::move(z);
    }
    files.files_[key] = std::move(f);
  }
  if (ec) return absl::InternalError(absl::StrCat("cannot list ", dir, ": ", ec.message()));
  return files;
}

std::optional<HttpResponse> StaticFiles::Serve(absl::string_view path,
                                               absl::string_view accept_encoding,
                                               absl::string_view if_none_match) const {
  std::string key = path == "/" ? "/index.html" : std::string(path);
  auto it = files_.find(key);
  if (it == files_.end()) return std::nullopt;
  const File& f = it->second;
  HttpResponse r;
  r.AddHeader("ETag", f.etag);
  r.AddHeader("Cache-Control", "no-cache");
  r.AddHeader("Vary", "Accept-Encoding");
  bool not_modified = false;
  for (absl::string_view tag : absl::StrSplit(if_none_match, ',', absl::SkipWhitespace())) {
    tag = absl::StripAsciiWhitespace(tag);
    absl::ConsumePrefix(&tag, "W/");
    if (tag == f.etag || tag == "*") not_modified = true;
  }
  if (not_modified) {
    r.status = 304;
    return r;
  }
  r.content_type = f.content_type;
  if (!f.gzip.empty() && AcceptsGzip(accept_encoding)) {
    r.AddHeader("Content-Encoding", "gzip");
    r.body = f.gzip;
  } else {
    r.body = f.body;
  }
  return r;
}

}  // namespace openencoder::gateway
