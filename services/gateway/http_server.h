// The HTTP side of the gateway: a small event-driven HTTP/1.1 server of our
// own on epoll (why not h2o or Boost.Beast: README.md). Its model:
//
//  * `io_threads` event loops own every socket. They accept, read and parse
//    requests, and write answers; they never block and never run a handler.
//    An idle or slow connection costs a few hundred bytes, not a thread.
//  * A complete request goes to a pool of `threads` workers that run
//    Gateway::Handle (which blocks on gRPC). At most `max_queue` requests
//    wait for a worker; beyond that the loop answers 503 with Retry-After
//    itself, so overload is refused in microseconds instead of piling up.
//  * Except a request for a route with an async handler (the search
//    routes): the loop starts it (Gateway::TryHandleAsync, which does not
//    block) and the answer is written from the thread its gRPC call ends
//    on. At most `threads` + `max_queue` of them at once; past that they go
//    to the pool like any other request.
//  * Keep-alive (HTTP/1.1 default, HTTP/1.0 on request), pipelined requests
//    answered in order, `keep_alive_max` requests per connection.
//  * Slowloris: the headers of a request must arrive within
//    `header_timeout` of its first byte (of the connection's opening for
//    the first request), the body within `read_timeout` of the headers, an
//    idle keep-alive connection is closed after `keep_alive_timeout`, and a
//    reader that takes nothing for `write_timeout` is dropped.
//  * Limits: a header section over `max_header_bytes` gets 431, a body over
//    `max_body_bytes` gets 413 (also before a 100-continue), chunked request
//    bodies get 411 (browsers never send them), a malformed request 400.
//  * At most `max_connections_per_network` open connections per client
//    network of the socket peer (/24 IPv4, /64 IPv6; X-Forwarded-For plays
//    no part here) and `max_connections` in all; the excess gets a 503 and
//    is closed. Peers in `uncapped_networks` (the trusted proxies, whose
//    connections carry many clients) are counted in the total only.
//  * Streamed bodies (HttpResponse::stream and ::start_stream) are sent
//    with chunked transfer encoding (HTTP/1.0: until close).
//  * Shutdown drains: stop accepting, close idle connections, let requests
//    in progress and open streams finish for up to `drain_timeout`.
// No HTTP/2 and no TLS: a proxy in front terminates both (README.md).
#ifndef OPENENCODER_SERVICES_GATEWAY_HTTP_SERVER_H_
#define OPENENCODER_SERVICES_GATEWAY_HTTP_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/client_identity.h"
#include "services/gateway/gateway.h"

namespace openencoder::gateway {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;   // 0: any free port
  int threads = 32;  // workers running Gateway::Handle
  int io_threads = 2;
  size_t max_queue = 256;  // requests waiting for a worker; more: 503
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 16 * 1024;
  int keep_alive_max = 1000;
  absl::Duration keep_alive_timeout = absl::Seconds(5);
  absl::Duration header_timeout = absl::Seconds(10);
  absl::Duration read_timeout = absl::Seconds(5);  // of the body, after the headers
  absl::Duration write_timeout = absl::Seconds(5);
  int max_connections_per_network = 256;
  int max_connections = 10000;
  std::vector<Cidr> uncapped_networks;
  absl::Duration drain_timeout = absl::Seconds(10);
};

class HttpServer {
 public:
  // Binds and starts serving `gateway` (which must outlive the server) on
  // its own threads. UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           const Gateway* gateway);
  ~HttpServer();  // Shutdown()

  int port() const { return port_; }

  // Stops accepting, closes idle connections, lets requests in progress and
  // open streams finish within `drain_timeout`, then closes the rest and
  // joins every thread. Idempotent.
  void Shutdown();

  class Impl;

 private:
  HttpServer() = default;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_HTTP_SERVER_H_
