// The gateway's own view of an HTTP exchange, independent of the HTTP
// library, so that routing, CSRF, cookies and the RPC adapters are plain
// functions that unit tests drive without sockets.
#ifndef OPENENCODER_SERVICES_GATEWAY_HTTP_TYPES_H_
#define OPENENCODER_SERVICES_GATEWAY_HTTP_TYPES_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace openencoder::gateway {

// Query or path parameters in arrival order; names may repeat ("systems=A&systems=B").
using Params = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // upper case: "GET", "POST"...
  std::string path;    // decoded path without the query: "/api/v1/codes/E119"
  Params query;        // decoded query parameters
  // Header names in lower case; a repeated header is joined with ", ".
  absl::flat_hash_map<std::string, std::string> headers;
  std::string body;
  std::string client_address;  // the peer's IP address

  // The header's value, or "" when absent. `name` must be lower case.
  std::string Header(absl::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Sends one piece of a streamed body to the client; false once the client
// has gone, after which the producer must stop.
using BodyWriter = std::function<bool(absl::string_view piece)>;

// The open body of a response whose producer holds no thread while it
// waits (the assistant relay, fed by gRPC's callback threads). Thread-safe.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Queues `piece` for the client without blocking; false once the client
  // has gone (or the server is stopping), after which the producer stops.
  virtual bool Write(absl::string_view piece) = 0;
  // Ends the body. Later writes are dropped. A stream released without
  // Finish() is ended the same way.
  virtual void Finish() = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  // When set, the body is produced after the headers are sent (chunked
  // transfer encoding) and `body` is ignored. Runs once, on the connection's
  // thread; it owns whatever it captured (a backend stream, say) and must
  // return when `write` returns false.
  std::function<void(const BodyWriter& write)> stream;
  // Like `stream`, but holds no thread: called once the headers are queued,
  // with the stream to write to from any thread. Takes precedence over
  // `stream` when both are set.
  std::function<void(std::shared_ptr<ResponseStream>)> start_stream;
  // Extra headers in order; names may repeat (Set-Cookie).
  std::vector<std::pair<std::string, std::string>> headers;

  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  // The first value of `name` (case-sensitive as added), or "".
  std::string HeaderValue(absl::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return "";
  }
};

inline constexpr char kJsonContentType[] = "application/json; charset=utf-8";

// A JSON response with `status` and an already serialised body.
inline HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = kJsonContentType;
  r.body = std::move(body);
  return r;
}

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_HTTP_TYPES_H_
