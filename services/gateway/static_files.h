// The web client's files, read once at start-up and kept in memory with a
// gzip copy made by zlib, so a request never touches the disk or compresses
// anything. Only files found at load time can be served, which rules out
// path traversal by construction. Restart the gateway to pick up edits.
#ifndef OPENENCODER_SERVICES_GATEWAY_STATIC_FILES_H_
#define OPENENCODER_SERVICES_GATEWAY_STATIC_FILES_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/gateway/http_types.h"

namespace openencoder::gateway {

// gzip (RFC 1952) of `data` at the best compression level.
// INTERNAL if zlib fails.
absl::StatusOr<std::string> Gzip(absl::string_view data);

// True when an Accept-Encoding header accepts gzip (a "gzip;q=0" refuses it).
bool AcceptsGzip(absl::string_view accept_encoding);

// By file extension; "application/octet-stream" for unknown ones.
std::string ContentTypeFor(absl::string_view path);

class StaticFiles {
 public:
  // Reads every regular file under `dir` (at most 1,000 files, 8 MiB each).
  // NOT_FOUND when `dir` does not exist; INTERNAL when a file cannot be read.
  static absl::StatusOr<StaticFiles> Load(const std::string& dir);

  // The response for a GET of `path` ("/" means "/index.html"), or nullopt
  // when no such file was loaded. Honours Accept-Encoding (gzip) and
  // If-None-Match (304); sets ETag, Vary and Cache-Control: no-cache (the
  // files have no content hash in their names, so browsers revalidate).
  std::optional<HttpResponse> Serve(absl::string_view path, absl::string_view accept_encoding,
                                    absl::string_view if_none_match) const;

  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzip;  // empty when compression does not pay
    std::string etag;
  };
  absl::flat_hash_map<std::string, File> files_;  // by "/relative/path"
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_STATIC_FILES_H_
