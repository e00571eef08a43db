#include "services/gateway/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/gateway/gateway_metrics.h"

namespace openencoder::gateway {
namespace {

// Debian builds cpp-httplib with zlib and brotli and it then compresses any
// text response by itself, even one already gzipped (twice-encoded bodies)
// and at brotli's slowest level. The gateway compresses static files once at
// start-up instead, so the header that drives the library's compression is
// moved aside before routing. httplib's Request is a mutable local of its
// connection loop; only the const view handed to handlers forces the cast.
constexpr char kMovedAcceptEncoding[] = "X-Oe-Accept-Encoding";

// httplib runs one task per accepted connection for its keep-alive
// lifetime, so counting tasks counts open connections (those waiting for a
// thread included).
class CountingTaskQueue : public httplib::TaskQueue {
 public:
  explicit CountingTaskQueue(size_t threads) : pool_(threads) {}
  void enqueue(std::function<void()> fn) override {
    OpenConnections().Increment();
    pool_.enqueue([fn = std::move(fn)] {
      fn();
      OpenConnections().Decrement();
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
};

// httplib 0.11 listens with a backlog of 5, fixed inside the library. A
// page load opens several connections and a busy office many more; when more
// handshakes arrive than the accept queue holds before the accept thread
// runs, Linux drops them and the browser waits a second or more, or sees its
// request reset. Listening again on the bound socket raises the queue (Linux
// updates the backlog of a socket already listening).
constexpr int kListenBacklog = SOMAXCONN;

HttpRequest ToGatewayRequest(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.body = req.body;
  r.client_address = req.remote_addr;
  for (const auto& [k, v] : req.params) r.query.emplace_back(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string name = absl::AsciiStrToLower(k);
    if (name == absl::AsciiStrToLower(kMovedAcceptEncoding)) name = "accept-encoding";
    auto [it, inserted] = r.headers.try_emplace(name, v);
    if (!inserted) absl::StrAppend(&it->second, ", ", v);
  }
  return r;
}

void WriteResponse(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) to.headers.emplace(k, v);
  if (from.stream) {
    auto stream = from.stream;
    to.set_chunked_content_provider(
        from.content_type.empty() ? "application/octet-stream" : from.content_type.c_str(),
        [stream](size_t, httplib::DataSink& sink) {
          stream(
              [&sink](absl::string_view piece) { return sink.write(piece.data(), piece.size()); });
          sink.done();
          return true;
        });
  } else if (!from.content_type.empty()) {
    to.set_content(from.body, from.content_type.c_str());
  } else {
    to.body = from.body;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              const Gateway* gateway) {
  std::unique_ptr<HttpServer> s(new HttpServer());
  s->server_ = std::make_unique<httplib::Server>();
  httplib::Server& svr = *s->server_;
  const int threads = std::max(2, options.threads);
  svr.new_task_queue = [threads] { return new CountingTaskQueue(threads); };
  svr.set_keep_alive_max_count(std::max(1, options.keep_alive_max));
  svr.set_keep_alive_timeout(std::max<time_t>(1, absl::ToInt64Seconds(options.keep_alive_timeout)));
  svr.set_read_timeout(std::chrono::microseconds(absl::ToInt64Microseconds(options.read_timeout)));
  svr.set_write_timeout(
      std::chrono::microseconds(absl::ToInt64Microseconds(options.write_timeout)));
  svr.set_payload_max_length(options.max_body_bytes);
  svr.set_tcp_nodelay(true);  // small JSON answers must not wait for Nagle

  // Runs before the body is read, so it only moves the header aside.
  svr.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    auto& mutable_req = const_cast<httplib::Request&>(req);
    auto it = mutable_req.headers.find("Accept-Encoding");
    if (it != mutable_req.headers.end()) {
      std::string value = it->second;
      mutable_req.headers.erase("Accept-Encoding");
      mutable_req.headers.emplace(kMovedAcceptEncoding, std::move(value));
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // One catch-all per method: the gateway does its own routing.
  httplib::Server::Handler handle = [gateway](const httplib::Request& req, httplib::Response& res) {
    WriteResponse(gateway->Handle(ToGatewayRequest(req)), res);
  };
  svr.Get(".*", handle);
  svr.Post(".*", handle);
  svr.Put(".*", handle);
  svr.Patch(".*", handle);
  svr.Delete(".*", handle);
  svr.Options(".*", handle);
  // Errors the library raises itself (413, 400 on a bad request line) get
  // the same JSON shape as ours.
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413) RecordRejected("body_size");
    if (!res.body.empty()) return;
    std::string message =
        res.status == 413 ? "The request body is too large." : "The request could not be read.";
    res.set_content(absl::StrCat("{\"error\":{\"code\":", res.status, ",\"status\":\"",
                                 res.status == 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST",
                                 "\",\"message\":\"", message, "\",\"requestId\":\"\"}}"),
                    "application/json; charset=utf-8");
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                               std::exception_ptr) {
    res.status = 500;
    res.set_content(
        "{\"error\":{\"code\":500,\"status\":\"INTERNAL\",\"message\":\"Something went wrong on "
        "our side.\",\"requestId\":\"\"}}",
        "application/json; charset=utf-8");
  });

  // The library creates the listening socket; this hook is the only place
  // it shows the descriptor. The last socket created is the one bound.
  auto listening = std::make_shared<std::atomic<int>>(-1);
  svr.set_socket_options([listening](socket_t sock) {
    httplib::default_socket_options(sock);  // SO_REUSEADDR as before
    listening->store(sock);
  });

  if (options.port == 0) {
    s->port_ = svr.bind_to_any_port(options.host);
    if (s->port_ < 0) s->port_ = 0;
  } else if (svr.bind_to_port(options.host, options.port)) {
    s->port_ = options.port;
  }
  if (s->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.host, ":", options.port));
  }
  if (::listen(listening->load(), kListenBacklog) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot raise the accept queue on ", options.host, ":", s->port_));
  }
  s->listener_ = std::thread([&svr] { svr.listen_after_bind(); });
  return s;
}

void HttpServer::Shutdown() {
  if (server_ == nullptr) return;
  server_->stop();
  if (listener_.joinable()) listener_.join();
}

HttpServer::~HttpServer() { Shutdown(); }

}  // namespace openencoder::gateway
