// The HTTP front door over real loopback sockets: a burst of new
// connections is accepted without the kernel dropping handshakes; idle and
// slow-header connections do not stall anyone else; the per-network cap,
// the header timeout, keep-alive, size limits, the bounded worker queue,
// streamed bodies and the drain on shutdown.
#include "services/gateway/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "services/gateway/gateway.h"

namespace openencoder::gateway {
namespace {

std::unique_ptr<Gateway> HealthOnlyGateway() {
  return std::make_unique<Gateway>(GatewayOptions{.access_log = false}, std::vector<Route>{},
                                   nullptr);
}

// Reads the whole answer of a `Connection: close` request, or gives up at
// `deadline`.
std::string ReadAll(int fd, absl::Time deadline) {
  std::string out;
  char buffer[4096];
  while (absl::Now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const int left = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (poll(&p, 1, std::max(1, left)) <= 0) break;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// httplib listens with a backlog of 5. Two hundred handshakes that arrive
// before the accept thread runs overflow that queue: Linux drops the
// handshake, the browser waits a second (then three, then seven) before
// trying again, or it sees its request reset. Every one of these must be
// answered at once.
TEST(HttpServerTest, ABurstOfNewConnectionsIsAcceptedWithoutDrops) {
  std::unique_ptr<Gateway> gateway = HealthOnlyGateway();
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 4;
  absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(options, gateway.get());
  ASSERT_TRUE(server.ok()) << server.status();

  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>((*server)->port()));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);

  constexpr int kConnections = 200;
  std::vector<int> fds;
  for (int i = 0; i < kConnections; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ASSERT_GE(fd, 0);
    connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);  // EINPROGRESS
    fds.push_back(fd);
  }
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  // The first retry of a dropped handshake comes after one second.
  const absl::Time deadline = absl::Now() + absl::Milliseconds(900);
  int answered = 0;
  for (int fd : fds) {
    pollfd p{fd, POLLOUT, 0};
    const int left = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (poll(&p, 1, std::max(1, left)) == 1 &&
        write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()) &&
        absl::StartsWith(ReadAll(fd, deadline), "HTTP/1.1 200")) {
      ++answered;
    }
    close(fd);
  }
  EXPECT_EQ(answered, kConnections) << "connections not answered within 0.9 s";
}

}  // namespace
}  // namespace openencoder::gateway

namespace openencoder::gateway {
namespace {

// A blocking loopback connection.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool Send(int fd, absl::string_view bytes) {
  return write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
}

// One response read off a keep-alive connection: the head, and a body of
// Content-Length bytes or chunked; "" when nothing complete came by
// `deadline`. `eof` tells whether the server closed the connection.
struct Answer {
  std::string head;
  std::string body;
  bool eof = false;
  int status() const {
    int s = 0;
    if (head.size() > 12) (void)absl::SimpleAtoi(head.substr(9, 3), &s);
    return s;
  }
};

Answer ReadAnswer(int fd, absl::Duration within = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + within;
  std::string in;
  Answer a;
  auto fill = [&]() {
    char buffer[4096];
    pollfd p{fd, POLLIN, 0};
    const int left = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (left <= 0 || poll(&p, 1, left) <= 0) return false;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) {
      a.eof = true;
      return false;
    }
    in.append(buffer, static_cast<size_t>(n));
    return true;
  };
  size_t end;
  while ((end = in.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return a;
  }
  a.head = in.substr(0, end + 4);
  in.erase(0, end + 4);
  if (absl::StrContains(a.head, "Transfer-Encoding: chunked")) {
    while (true) {
      size_t eol;
      while ((eol = in.find("\r\n")) == std::string::npos) {
        if (!fill()) return a;
      }
      size_t size = 0;
      (void)absl::SimpleHexAtoi(in.substr(0, eol), &size);
      while (in.size() < eol + 2 + size + 2) {
        if (!fill()) return a;
      }
      a.body.append(in, eol + 2, size);
      in.erase(0, eol + 2 + size + 2);
      if (size == 0) break;
    }
  } else {
    size_t length = 0;
    const size_t at = a.head.find("Content-Length: ");
    if (at != std::string::npos) {
      (void)absl::SimpleAtoi(a.head.substr(at + 16, a.head.find("\r\n", at) - at - 16), &length);
    }
    while (in.size() < length) {
      if (!fill()) return a;
    }
    a.body = in.substr(0, length);
  }
  return a;
}

// Whether the server closes `fd` (after whatever it says) within `within`.
bool ClosedWithin(int fd, absl::Duration within) {
  const absl::Time deadline = absl::Now() + within;
  char buffer[4096];
  while (absl::Now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const int left = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (poll(&p, 1, std::max(1, left)) <= 0) return false;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return true;
  }
  return false;
}

constexpr char kHealthz[] = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

// A gateway with /healthz, a search stand-in that blocks like a gRPC call,
// a route that waits for the test, and one that streams from another thread.
class ServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options) {
    std::vector<Route> routes;
    Route search;
    search.spec =
        RouteSpec{"GET", "/api/v1/search", "search", "stand-in", nullptr, nullptr, "", {}};
    search.handler = [](const HttpRequest& r, const Params&, RequestContext&) {
      absl::SleepFor(absl::Milliseconds(5));  // a backend call
      std::string query;
      for (const auto& [k, v] : r.query) {
        if (k == "query") query = v;
      }
      return JsonResponse(200, "{\"query\":\"" + query + "\"}");
    };
    routes.push_back(std::move(search));
    Route wait;
    wait.spec =
        RouteSpec{"GET", "/wait", "test", "blocks until released", nullptr, nullptr, "", {}};
    wait.handler = [this](const HttpRequest&, const Params&, RequestContext&) {
      ++waiting_;
      release_.WaitForNotification();
      return JsonResponse(200, "{\"waited\":true}");
    };
    routes.push_back(std::move(wait));
    Route stream;
    stream.spec = RouteSpec{"GET", "/stream", "test", "three lines", nullptr, nullptr, "", {}};
    stream.handler = [](const HttpRequest&, const Params&, RequestContext&) {
      HttpResponse r;
      r.content_type = "application/x-ndjson";
      r.start_stream = [](std::shared_ptr<ResponseStream> out) {
        std::thread([out] {
          for (int i = 0; i < 3; ++i) {
            absl::SleepFor(absl::Milliseconds(10));
            out->Write(absl::StrCat("{\"line\":", i, "}\n"));
          }
          out->Finish();
        }).detach();
      };
      return r;
    };
    routes.push_back(std::move(stream));
    Route open;
    open.spec = RouteSpec{"GET", "/open", "test", "a stream left open", nullptr, nullptr, "", {}};
    open.handler = [this](const HttpRequest&, const Params&, RequestContext&) {
      HttpResponse r;
      r.content_type = "application/x-ndjson";
      r.start_stream = [this](std::shared_ptr<ResponseStream> out) {
        out->Write("{\"first\":true}\n");
        absl::MutexLock lock(&open_mu_);
        open_streams_.push_back(std::move(out));
      };
      return r;
    };
    routes.push_back(std::move(open));
    // Answered from another thread, like a gRPC callback; its blocking
    // handler says so when it answers instead.
    Route later;
    later.spec = RouteSpec{"GET", "/async", "test", "answered later", nullptr, nullptr, "", {}};
    later.handler = [](const HttpRequest&, const Params&, RequestContext&) {
      return JsonResponse(200, "{\"by\":\"worker\"}");
    };
    later.async_handler = [](const HttpRequest& r, const Params&, const RequestContext& ctx,
                             AnswerFn answer) {
      const bool now = r.query.size() == 1 && r.query[0].first == "now";
      const bool soon = r.query.size() == 1 && r.query[0].first == "soon";
      std::string body = absl::StrCat("{\"by\":\"callback\",\"id\":\"", ctx.request_id, "\"}");
      if (now) {
        answer(JsonResponse(200, body));  // before returning: a call that failed at once
      } else {
        std::thread([answer = std::move(answer), body, soon] {
          if (!soon) absl::SleepFor(absl::Milliseconds(5));
          answer(JsonResponse(200, body));
        }).detach();
      }
      return true;
    };
    routes.push_back(std::move(later));
    Route declines;
    declines.spec =
        RouteSpec{"GET", "/declines", "test", "declines to run async", nullptr, nullptr, "", {}};
    declines.handler = [](const HttpRequest&, const Params&, RequestContext&) {
      return JsonResponse(200, "{\"by\":\"worker\"}");
    };
    declines.async_handler = [](const HttpRequest&, const Params&, const RequestContext&,
                                AnswerFn) { return false; };
    routes.push_back(std::move(declines));
    gateway_ =
        std::make_unique<Gateway>(GatewayOptions{.access_log = false}, std::move(routes), nullptr);
    options.host = "127.0.0.1";
    options.port = 0;
    auto server = HttpServer::Start(options, gateway_.get());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  void TearDown() override {
    if (!release_.HasBeenNotified()) release_.Notify();
    server_.reset();
    for (int fd : fds_) close(fd);
  }
  int Open() {
    const int fd = Connect(server_->port());
    if (fd >= 0) fds_.push_back(fd);
    return fd;
  }
  // Sends GET /wait on `fd` and returns once its handler holds a worker.
  bool HoldAWorker(int fd) {
    if (!Send(fd, "GET /wait HTTP/1.1\r\nHost: t\r\n\r\n")) return false;
    while (waiting_.load() == 0) absl::SleepFor(absl::Milliseconds(5));
    return true;
  }
  Answer Ask(absl::string_view request) {
    const int fd = Open();
    if (fd < 0 || !Send(fd, request)) return {};
    return ReadAnswer(fd);
  }

  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> server_;
  std::vector<int> fds_;
  absl::Notification release_;
  std::atomic<int> waiting_{0};
  absl::Mutex open_mu_;
  std::vector<std::shared_ptr<ResponseStream>> open_streams_ ABSL_GUARDED_BY(open_mu_);
};

// The thread-per-connection server stalled once its 64 threads sat on idle
// keep-alive connections. Here 300 idle and 50 slow-header connections are
// open and /healthz and search still answer (within a generous deadline:
// this checks that they answer at all, not how fast).
TEST_F(ServerTest, IdleAndSlowHeaderConnectionsDoNotStallHealthzOrSearch) {
  HttpServerOptions options;
  options.threads = 4;
  options.max_connections_per_network = 1000;  // all of them come from 127.0.0.1
  Start(options);
  for (int i = 0; i < 300; ++i) ASSERT_GE(Open(), 0) << "idle connection " << i;
  for (int i = 0; i < 50; ++i) {
    const int fd = Open();
    ASSERT_GE(fd, 0) << "slow connection " << i;
    ASSERT_TRUE(Send(fd, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: "));
  }
  Answer health = Ask(kHealthz);
  EXPECT_EQ(health.status(), 200) << health.head;
  EXPECT_EQ(health.body, "{\"status\":\"SERVING\"}");
  Answer search = Ask("GET /api/v1/search?query=heart%20attack&x=a+b HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(search.status(), 200) << search.head;
  EXPECT_EQ(search.body, "{\"query\":\"heart attack\"}");
}

TEST_F(ServerTest, ConnectionsBeyondTheNetworkCapAreRefused) {
  HttpServerOptions options;
  options.max_connections_per_network = 3;
  Start(options);
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(Open());
    ASSERT_TRUE(Send(held.back(), kHealthz));
    EXPECT_EQ(ReadAnswer(held.back()).status(), 200) << "connection " << i << " within the cap";
  }
  const int excess = Open();
  ASSERT_GE(excess, 0);  // the kernel accepts; the server answers and closes
  Answer refused = ReadAnswer(excess);
  EXPECT_EQ(refused.status(), 503) << refused.head;
  EXPECT_TRUE(absl::StrContains(refused.head, "Retry-After:")) << refused.head;
  EXPECT_TRUE(ClosedWithin(excess, absl::Seconds(5)));
  // Closing one makes room again.
  close(held[0]);
  fds_.erase(std::find(fds_.begin(), fds_.end(), held[0]));
  int status = 0;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    absl::SleepFor(absl::Milliseconds(20));  // the server notices the close
    status = Ask(kHealthz).status();
  }
  EXPECT_EQ(status, 200);
}

TEST_F(ServerTest, SlowHeadersAreClosedAfterTheTimeout) {
  HttpServerOptions options;
  options.header_timeout = absl::Milliseconds(500);
  Start(options);
  const int slow = Open();
  ASSERT_TRUE(Send(slow, "GET /healthz HTTP/1.1\r\nHost: t\r\n"));
  absl::SleepFor(absl::Milliseconds(200));
  ASSERT_TRUE(
      Send(slow, "X-A: b\r\n"));  // still trickling: the deadline counts from the first byte
  Answer timed_out = ReadAnswer(slow);
  EXPECT_EQ(timed_out.status(), 408) << timed_out.head;
  EXPECT_TRUE(ClosedWithin(slow, absl::Seconds(5)));
  // A connection that never sends a byte goes too.
  const int silent = Open();
  EXPECT_TRUE(ClosedWithin(silent, absl::Seconds(5)));
}

TEST_F(ServerTest, KeepAliveAnswersManyRequestsOnOneConnectionInOrder) {
  Start(HttpServerOptions{});
  const int fd = Open();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Send(fd, kHealthz));
    Answer a = ReadAnswer(fd);
    EXPECT_EQ(a.status(), 200) << "request " << i;
    EXPECT_FALSE(a.eof);
  }
  // Pipelined: two requests in one write, answered in order.
  ASSERT_TRUE(Send(fd, absl::StrCat("GET /api/v1/search?query=one HTTP/1.1\r\nHost: t\r\n\r\n",
                                    "GET /api/v1/search?query=two HTTP/1.1\r\nHost: t\r\n\r\n")));
  EXPECT_EQ(ReadAnswer(fd).body, "{\"query\":\"one\"}");
  EXPECT_EQ(ReadAnswer(fd).body, "{\"query\":\"two\"}");
  // Connection: close is honoured.
  ASSERT_TRUE(Send(fd, "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(ReadAnswer(fd).status(), 200);
  EXPECT_TRUE(ClosedWithin(fd, absl::Seconds(5)));
}

TEST_F(ServerTest, OversizedBodiesGet413AndOversizedHeaders431) {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  options.max_header_bytes = 2000;
  Start(options);
  Answer body = Ask("POST /api/v1/search HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n");
  EXPECT_EQ(body.status(), 413) << body.head;
  EXPECT_TRUE(absl::StrContains(body.body, "PAYLOAD_TOO_LARGE")) << body.body;
  Answer headers = Ask(absl::StrCat(
      "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ", std::string(3000, 'a'), "\r\n\r\n"));
  EXPECT_EQ(headers.status(), 431) << headers.head;
  EXPECT_EQ(Ask("GARBAGE\r\n\r\n").status(), 400);
  EXPECT_EQ(Ask("POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: +1\r\n\r\nx").status(), 400);
  EXPECT_EQ(Ask("POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: "
                "2\r\n\r\nxy")
                .status(),
            400);
  EXPECT_EQ(Ask("POST /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n").status(),
            411);
}

TEST_F(ServerTest, AFullWorkerQueueAnswers503WithRetryAfterAndRecovers) {
  HttpServerOptions options;
  options.threads = 1;
  options.max_queue = 1;
  Start(options);
  const int running = Open();
  ASSERT_TRUE(HoldAWorker(running));
  const int queued = Open();
  ASSERT_TRUE(Send(queued, "GET /wait HTTP/1.1\r\nHost: t\r\n\r\n"));
  absl::SleepFor(absl::Milliseconds(100));  // let the loop queue it
  Answer refused = Ask(kHealthz);
  EXPECT_EQ(refused.status(), 503) << refused.head;
  EXPECT_TRUE(absl::StrContains(refused.head, "Retry-After: 1")) << refused.head;
  release_.Notify();
  EXPECT_EQ(ReadAnswer(running).status(), 200);
  EXPECT_EQ(ReadAnswer(queued).status(), 200);
  EXPECT_EQ(Ask(kHealthz).status(), 200);
}

// The search routes: started on the I/O thread, answered from the backend
// call's thread. With the one worker held, they still answer, on a kept-alive
// connection, with the gateway's headers; an answer given before the handler
// returns works too, and a handler that declines falls back to a worker.
TEST_F(ServerTest, AsyncRoutesAnswerWithoutAWorker) {
  HttpServerOptions options;
  options.threads = 1;
  Start(options);
  const int held = Open();
  ASSERT_TRUE(HoldAWorker(held));
  const int fd = Open();
  for (const char* path : {"/async", "/async?now=1", "/async"}) {
    ASSERT_TRUE(Send(fd, absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: t\r\nX-Request-Id: ",
                                      "0123456789abcdef0123456789abcdef\r\n\r\n")));
    Answer a = ReadAnswer(fd);
    EXPECT_EQ(a.status(), 200) << path << "\n" << a.head;
    EXPECT_EQ(a.body, "{\"by\":\"callback\",\"id\":\"0123456789abcdef0123456789abcdef\"}");
    EXPECT_TRUE(absl::StrContains(a.head, "X-Request-Id: 0123456789abcdef0123456789abcdef"))
        << a.head;
    EXPECT_TRUE(absl::StrContains(a.head, "X-Content-Type-Options: nosniff")) << a.head;
  }
  release_.Notify();
  EXPECT_EQ(ReadAnswer(held).status(), 200);
  Answer declined = Ask("GET /declines HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(declined.status(), 200) << declined.head;
  EXPECT_EQ(declined.body, "{\"by\":\"worker\"}");
}

// The thread that answers re-arms the socket and then hands the connection
// back to its loop; a client that asks again at once can land in between.
// That request must be answered (not lost with its event), on every
// connection, again and again.
TEST_F(ServerTest, RequestsThatArriveWhileAnAnswerHandsTheConnectionBackAreAnswered) {
  HttpServerOptions options;
  options.io_threads = 2;
  Start(options);
  constexpr int kConnections = 8;
  constexpr int kRequests = 300;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kConnections; ++i) {
    clients.emplace_back([&, i] {
      const int fd = Connect(server_->port());  // Open() is for the test's own thread
      for (int n = 0; n < kRequests; ++n) {
        const std::string id = absl::StrFormat("%032x", i * kRequests + n);
        if (!Send(fd, absl::StrCat("GET /async?soon=1 HTTP/1.1\r\nHost: t\r\nX-Request-Id: ", id,
                                   "\r\n\r\n"))) {
          break;
        }
        Answer a = ReadAnswer(fd, absl::Seconds(5));
        if (a.status() != 200 || !absl::StrContains(a.body, id)) {
          ADD_FAILURE() << "connection " << i << ", request " << n << ": " << a.head << a.body;
          break;
        }
        ++answered;
      }
      close(fd);
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(answered.load(), kConnections * kRequests);
}

TEST_F(ServerTest, AStreamWrittenFromAnotherThreadArrivesChunkedAndKeepsTheConnection) {
  Start(HttpServerOptions{});
  const int fd = Open();
  ASSERT_TRUE(Send(fd, "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n"));
  Answer a = ReadAnswer(fd);
  EXPECT_EQ(a.status(), 200) << a.head;
  EXPECT_EQ(a.body, "{\"line\":0}\n{\"line\":1}\n{\"line\":2}\n");
  ASSERT_TRUE(Send(fd, kHealthz));
  EXPECT_EQ(ReadAnswer(fd).status(), 200);
}

// The assistant's answers: an open stream holds no worker. With one
// worker and three streams waiting for their producer, /healthz answers.
TEST_F(ServerTest, OpenStreamsHoldNoWorker) {
  HttpServerOptions options;
  options.threads = 1;
  Start(options);
  std::vector<int> streams;
  for (int i = 0; i < 3; ++i) {
    streams.push_back(Open());
    ASSERT_TRUE(Send(streams.back(), "GET /open HTTP/1.1\r\nHost: t\r\n\r\n"));
  }
  {
    // Had a stream kept the one worker, the second would never start.
    absl::MutexLock lock(&open_mu_);
    auto all_open = [this]()
                        ABSL_SHARED_LOCKS_REQUIRED(open_mu_) { return open_streams_.size() == 3; };
    open_mu_.AwaitWithTimeout(absl::Condition(&all_open), absl::Seconds(10));
    ASSERT_EQ(open_streams_.size(), 3u);
  }
  EXPECT_EQ(Ask(kHealthz).status(), 200);
  {
    absl::MutexLock lock(&open_mu_);
    for (auto& s : open_streams_) {
      s->Write("{\"last\":true}\n");
      s->Finish();
    }
  }
  for (int fd : streams) {
    Answer a = ReadAnswer(fd);
    EXPECT_EQ(a.body, "{\"first\":true}\n{\"last\":true}\n") << a.head;
  }
}

TEST_F(ServerTest, ShutdownFinishesTheRequestInProgressAndClosesIdleConnections) {
  Start(HttpServerOptions{});
  const int idle = Open();
  const int busy = Open();
  ASSERT_TRUE(HoldAWorker(busy));
  std::thread stopper([this] { server_->Shutdown(); });
  EXPECT_TRUE(ClosedWithin(idle, absl::Seconds(5)));
  release_.Notify();
  Answer a = ReadAnswer(busy);
  EXPECT_EQ(a.status(), 200) << a.head;
  EXPECT_TRUE(absl::StrContains(a.head, "Connection: close")) << a.head;
  stopper.join();
}

}  // namespace
}  // namespace openencoder::gateway
