#include "services/gateway/http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <functional>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"
#include "services/gateway/gateway_metrics.h"
#include "services/gateway/status_mapping.h"

namespace openencoder::gateway {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

SteadyClock::duration ToSteady(absl::Duration d) {
  return std::chrono::microseconds(absl::ToInt64Microseconds(d));
}

// How often each loop looks for connections past their deadline. Timeouts
// are seconds long; a quarter second of slack costs nothing.
constexpr int kTickMs = 250;
// A stream whose client reads nothing while this much waits is dropped
// (the answer of the assistant is a few KiB).
constexpr size_t kMaxStreamBacklog = 1 << 20;
// A synchronous `stream` producer waits while this much is queued.
constexpr size_t kSyncStreamWindow = 64 * 1024;

const char* Reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 499:
      return "Client Closed Request";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding as cpp-httplib did it: a malformed escape stays as it
// is; '+' is a space in query strings only.
std::string DecodeUrl(absl::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

bool IsToken(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c <= ' ' || c >= 127 ||
        absl::string_view("()<>@,;:\\\"/[]?={}").find(c) != absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

// The parts of a request head the server itself needs, besides what the
// gateway gets.
struct Head {
  HttpRequest request;
  bool http10 = false;
  bool keep_alive = true;
  bool expect_continue = false;
  size_t content_length = 0;
};

// Parses the header section `text` (without the blank line). On failure
// returns the HTTP status to answer with.
int ParseHead(absl::string_view text, Head* head) {
  size_t eol = text.find("\r\n");
  absl::string_view line = text.substr(0, eol);
  absl::string_view rest = eol == absl::string_view::npos ? "" : text.substr(eol + 2);
  std::vector<absl::string_view> parts = absl::StrSplit(line, ' ');
  if (parts.size() != 3 || !IsToken(parts[0]) || parts[1].empty()) return 400;
  if (parts[2] == "HTTP/1.1") {
    head->http10 = false;
  } else if (parts[2] == "HTTP/1.0") {
    head->http10 = true;
  } else if (absl::StartsWith(parts[2], "HTTP/")) {
    return 505;
  } else {
    return 400;
  }
  HttpRequest& r = head->request;
  r.method = std::string(parts[0]);
  absl::string_view target = parts[1];
  if (!absl::StartsWith(target, "/")) {
    // absolute-form (proxies): http://host/path
    size_t scheme = target.find("://");
    if (target == "*") {
      target = "/";
    } else if (scheme == absl::string_view::npos) {
      return 400;
    } else {
      size_t slash = target.find('/', scheme + 3);
      target = slash == absl::string_view::npos ? "/" : target.substr(slash);
    }
  }
  target = target.substr(0, target.find('#'));
  size_t question = target.find('?');
  r.path = DecodeUrl(target.substr(0, question), false);
  if (question != absl::string_view::npos) {
    for (absl::string_view pair :
         absl::StrSplit(target.substr(question + 1), '&', absl::SkipEmpty())) {
      size_t eq = pair.find('=');
      r.query.emplace_back(
          DecodeUrl(pair.substr(0, eq), true),
          eq == absl::string_view::npos ? "" : DecodeUrl(pair.substr(eq + 1), true));
    }
  }
  bool has_length = false;
  while (!rest.empty()) {
    eol = rest.find("\r\n");
    line = rest.substr(0, eol);
    rest = eol == absl::string_view::npos ? "" : rest.substr(eol + 2);
    size_t colon = line.find(':');
    // A line without a name, or folded onto the previous one (obsolete and
    // a smuggling vector), is refused.
    if (colon == absl::string_view::npos || !IsToken(line.substr(0, colon))) return 400;
    std::string name = absl::AsciiStrToLower(line.substr(0, colon));
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
    if (name == "content-length") {
      size_t length = 0;
      // Digits only: SimpleAtoi would take "+5" or " 5", which a proxy in
      // front may read differently (request smuggling).
      if (value.empty() || value.find_first_not_of("0123456789") != absl::string_view::npos ||
          !absl::SimpleAtoi(value, &length) || (has_length && length != head->content_length)) {
        return 400;
      }
      has_length = true;
      head->content_length = length;
    } else if (name == "transfer-encoding") {
      return 411;  // chunked request bodies: browsers never send them
    } else if (name == "expect") {
      if (!absl::EqualsIgnoreCase(value, "100-continue")) return 417;
      head->expect_continue = true;
    }
    auto [it, inserted] = r.headers.try_emplace(std::move(name), value);
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  const std::string connection = absl::AsciiStrToLower(r.Header("connection"));
  head->keep_alive = head->http10 ? absl::StrContains(connection, "keep-alive")
                                  : !absl::StrContains(connection, "close");
  return 0;
}

std::string ErrorBody(int status, absl::string_view code, absl::string_view message) {
  return GatewayError(status, code, message, "").body;
}

// The bytes of a complete answer the server makes itself (timeouts,
// limits, overload), always closing unless `keep_alive`.
std::string SimpleAnswer(int status, absl::string_view code, absl::string_view message,
                         bool keep_alive, absl::string_view extra_headers = "") {
  std::string body = ErrorBody(status, code, message);
  return absl::StrCat(
      "HTTP/1.1 ", status, " ", Reason(status),
      "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ", body.size(), "\r\n",
      extra_headers, keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n", "\r\n",
      body);
}

// A bounded pool for the handlers: TrySchedule refuses instead of queueing
// without end, so overload is answered at once.
class BoundedPool {
 public:
  BoundedPool(int threads, size_t max_queue) : max_queue_(max_queue) {
    for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Run(); });
  }
  ~BoundedPool() { Stop(); }

  bool TrySchedule(std::function<void()> task) {
    absl::MutexLock lock(&mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(task));
    // One worker, not a walk over every waiter's condition (Await) on each
    // request.
    ready_.Signal();
    return true;
  }
  // Runs what is queued, then joins.
  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
      ready_.SignalAll();
    }
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  void Run() {
    while (true) {
      std::function<void()> task;
      {
        absl::MutexLock lock(&mu_);
        while (!stopping_ && queue_.empty()) ready_.Wait(&mu_);
        if (queue_.empty()) return;  // stopping
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  const size_t max_queue_;
  absl::Mutex mu_;
  absl::CondVar ready_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// Open connections per client network of the socket peer.
class NetworkCounter {
 public:
  NetworkCounter(int per_network, int total) : per_network_(per_network), total_(total) {}
  // False when the network (unless `uncapped`) or the server is full.
  bool Acquire(const std::string& network, bool uncapped) {
    absl::MutexLock lock(&mu_);
    if (open_ >= total_) return false;
    if (!uncapped) {
      int& n = per_network_open_[network];
      if (n >= per_network_) return false;
      ++n;
    }
    ++open_;
    return true;
  }
  void Release(const std::string& network, bool uncapped) {
    absl::MutexLock lock(&mu_);
    --open_;
    if (uncapped) return;
    auto it = per_network_open_.find(network);
    if (it != per_network_open_.end() && --it->second <= 0) per_network_open_.erase(it);
  }

 private:
  const int per_network_;
  const int total_;
  absl::Mutex mu_;
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, int> per_network_open_ ABSL_GUARDED_BY(mu_);
};

// The peer's address as text ("203.0.113.9", "2001:db8::1"; IPv4-mapped
// IPv6 as IPv4) and its network key (/24 or /64 as raw bytes).
void DescribePeer(const sockaddr_storage& ss, std::string* address, std::string* network) {
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    const unsigned char* b = a6->sin6_addr.s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
      inet_ntop(AF_INET, b + 12, text, sizeof text);
      *network = std::string("4") + std::string(reinterpret_cast<const char*>(b + 12), 3);
    } else {
      inet_ntop(AF_INET6, &a6->sin6_addr, text, sizeof text);
      *network = std::string("6") + std::string(reinterpret_cast<const char*>(b), 8);
    }
  } else {
    const auto* a4 = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a4->sin_addr, text, sizeof text);
    *network =
        std::string("4") + std::string(reinterpret_cast<const char*>(&a4->sin_addr.s_addr), 3);
  }
  *address = text;
}

// Tasks for a loop from other threads. Shared, so a stream that outlives
// the server posts into a closed mailbox instead of freed memory.
class Mailbox {
 public:
  explicit Mailbox(int eventfd) : eventfd_(eventfd) {}
  // False once the loop has stopped (the task is dropped).
  bool Post(std::function<void()> task) {
    absl::MutexLock lock(&mu_);
    if (closed_) return false;
    const bool wake = tasks_.empty();
    tasks_.push_back(std::move(task));
    if (wake) {
      uint64_t one = 1;
      (void)!write(eventfd_, &one, sizeof one);
    }
    return true;
  }
  std::vector<std::function<void()>> Take() {
    absl::MutexLock lock(&mu_);
    uint64_t count;
    (void)!read(eventfd_, &count, sizeof count);
    return std::exchange(tasks_, {});
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    tasks_.clear();
  }

 private:
  const int eventfd_;
  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

class Loop;

// The body of a streamed answer, between its producer (any thread) and
// the connection's loop.
class ConnStream final : public ResponseStream {
 public:
  ConnStream(std::shared_ptr<Mailbox> mailbox, Loop* loop, uint64_t conn, bool chunked)
      : mailbox_(std::move(mailbox)), loop_(loop), conn_(conn), chunked_(chunked) {}
  ~ConnStream() override { Finish(); }

  bool Write(absl::string_view piece) override {
    absl::MutexLock lock(&mu_);
    if (closed_ || finished_) return false;
    if (piece.empty()) return true;
    if (chunked_) {
      absl::StrAppend(&pending_, absl::Hex(piece.size()), "\r\n", piece, "\r\n");
    } else {
      pending_.append(piece.data(), piece.size());
    }
    if (pending_.size() > kMaxStreamBacklog) {
      closed_ = true;  // the client reads nothing; the loop closes it on its timeout
      return false;
    }
    return PostFlushLocked();
  }
  void Finish() override {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
    if (chunked_ && !closed_) pending_.append("0\r\n\r\n");
    PostFlushLocked();
  }

  // Blocks a synchronous producer while the client is behind.
  bool WaitForRoom() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](ConnStream* s) ABSL_SHARED_LOCKS_REQUIRED(s->mu_) {
          return s->closed_ || s->pending_.size() < kSyncStreamWindow;
        },
        this));
    return !closed_;
  }

  enum class Progress { kOpen, kDone, kBroken };
  // On the loop: what to send, and whether the body is complete (kBroken:
  // cut short, the connection must close for the client to notice).
  Progress Take(std::string* out) {
    absl::MutexLock lock(&mu_);
    out->append(pending_);
    pending_.clear();
    flush_posted_ = false;
    if (closed_) return Progress::kBroken;
    return finished_ ? Progress::kDone : Progress::kOpen;
  }
  // On the loop, when the connection goes.
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    pending_.clear();
  }

 private:
  bool PostFlushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<Mailbox> mailbox_;
  Loop* const loop_;  // used only by tasks that run on the loop
  const uint64_t conn_;
  const bool chunked_;
  absl::Mutex mu_;
  std::string pending_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool flush_posted_ ABSL_GUARDED_BY(mu_) = false;
};

struct Shared {
  HttpServerOptions options;
  const Gateway* gateway = nullptr;
  int listen_fd = -1;
  std::unique_ptr<BoundedPool> pool;
  std::unique_ptr<NetworkCounter> counter;
  std::atomic<bool> draining{false};
  std::atomic<int> open{0};
  // Requests answered by a Route::async_handler whose answer is not yet
  // written (Loop::Dispatch); Shutdown waits for them.
  std::atomic<long> async_calls{0};
  long max_async_calls = 0;  // threads + max_queue: what the pool holds
};

// One I/O thread: its own epoll set, connections and mailbox.
class Loop {
 public:
  explicit Loop(Shared* shared)
      : shared_(shared),
        epoll_(epoll_create1(EPOLL_CLOEXEC)),
        eventfd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
        mailbox_(std::make_shared<Mailbox>(eventfd_)) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeId;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, eventfd_, &ev);
    WatchListener(true);
  }
  ~Loop() {
    mailbox_->Close();
    for (auto& [id, c] : conns_) Drop(*c);
    conns_.clear();
    close(epoll_);
    close(eventfd_);
  }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  // From any thread.
  void BeginDrain() {
    mailbox_->Post([this] {
      WatchListener(false);
      for (auto& [id, c] : conns_) {
        if (WorkerOwned(*c)) continue;  // sees draining
        c->keep_alive = false;
        if (c->state == State::kReading && c->in.empty() && c->out.empty()) c->close_now = true;
      }
      Sweep();
    });
  }
  void Stop() {
    mailbox_->Post([this] { stop_ = true; });
  }
  // After Join: posts go nowhere and open streams end, so that no worker
  // waits for this loop any more.
  void Abandon() {
    mailbox_->Close();
    for (auto& [id, c] : conns_) {
      if (c->stream) c->stream->Close();
    }
  }
  void FlushStream(uint64_t id);
  // On the loop, asked by a worker that let go of connection `id` while an
  // event it had re-armed for was reported to the loop (and so disarmed).
  void Rearm(uint64_t id);

 private:
  static constexpr uint64_t kListenId = 0;
  static constexpr uint64_t kWakeId = 1;

  enum class State { kReading, kBusy, kStreaming };
  enum class Owner { kLoop, kWorker, kWorkerMissedEvent };

  struct Conn {
    uint64_t id = 0;
    int fd = -1;
    std::string address;
    std::string network;
    bool uncapped = false;
    State state = State::kReading;
    std::string in;
    std::string out;
    size_t out_sent = 0;
    bool head_done = false;
    Head head;
    size_t head_size = 0;
    TimePoint deadline;  // for kReading
    TimePoint last_write;
    int served = 0;
    bool keep_alive = true;  // after the answer in progress
    bool peer_eof = false;
    bool close_after_write = false;
    bool close_now = false;
    // Connections are registered EPOLLONESHOT: an event disarms the
    // registration until the loop (or the worker handing the connection
    // back) re-arms it. `armed` says whether `interest` is live.
    uint32_t interest = 0;
    bool in_epoll = false;
    bool armed = false;
    std::shared_ptr<ConnStream> stream;
    // While a worker runs this connection's handler the socket is disarmed
    // and the worker owns the whole Conn: it writes the answer itself and,
    // when nothing else is pending, re-arms the socket and hands the idle
    // connection straight back (see AnswerDirect). The loop touches a
    // worker-owned Conn not at all; release/acquire on `owner` orders the
    // hand-overs. An event that reaches the loop after the worker re-armed
    // and before it let go is not dropped: the loop marks it
    // (kWorkerMissedEvent) and the worker, letting go, asks the loop to
    // re-arm (Rearm).
    std::atomic<Owner> owner{Owner::kLoop};
  };

  static bool WorkerOwned(const Conn& c) {
    return c.owner.load(std::memory_order_acquire) != Owner::kLoop;
  }

  void WatchListener(bool on) {
    if (on == listening_ || shared_->listen_fd < 0) return;
    if (on) {
      epoll_event ev{};
      // Every loop waits on the one listening socket; EPOLLEXCLUSIVE wakes
      // one of them per connection instead of all.
      ev.events = EPOLLIN | EPOLLEXCLUSIVE;
      ev.data.u64 = kListenId;
      if (epoll_ctl(epoll_, EPOLL_CTL_ADD, shared_->listen_fd, &ev) != 0) return;
    } else {
      epoll_ctl(epoll_, EPOLL_CTL_DEL, shared_->listen_fd, nullptr);
    }
    listening_ = on;
  }

  void Run() {
    epoll_event events[128];
    TimePoint next_tick = SteadyClock::now();
    while (!stop_) {
      const int n = epoll_wait(epoll_, events, 128, kTickMs);
      for (int i = 0; i < n && !stop_; ++i) {
        const uint64_t id = events[i].data.u64;
        if (id == kListenId) {
          Accept();
        } else if (id == kWakeId) {
          for (auto& task : mailbox_->Take()) task();
        } else {
          auto it = conns_.find(id);
          if (it == conns_.end()) continue;
          Conn& c = *it->second;
          // Re-armed by a worker that has not quite let go. The one-shot
          // registration is now disarmed, so this does not spin (with a
          // level-triggered one it did: tens of empty epoll_waits per
          // request while the worker was descheduled); the worker re-arms
          // through the mailbox when it lets go (Rearm).
          if (!ClaimEvent(c)) continue;
          c.armed = false;
          if (events[i].events & (EPOLLERR | EPOLLHUP)) {
            c.close_now = true;
          } else {
            if (events[i].events & EPOLLIN) OnReadable(c);
            if (events[i].events & EPOLLOUT) Flush(c);
          }
          Settle(c);
        }
      }
      const TimePoint now = SteadyClock::now();
      if (now >= next_tick) {
        next_tick = now + std::chrono::milliseconds(kTickMs);
        Tick(now);
      }
    }
  }

  void Accept() {
    for (int i = 0; i < 64; ++i) {
      sockaddr_storage ss{};
      socklen_t len = sizeof ss;
      const int fd = accept4(shared_->listen_fd, reinterpret_cast<sockaddr*>(&ss), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a tick rather than spin.
          WatchListener(false);
          resume_accept_ = SteadyClock::now() + std::chrono::milliseconds(kTickMs);
          common::LogWarning("gateway out of file descriptors", {{"error", strerror(errno)}});
        }
        return;
      }
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      DescribePeer(ss, &c->address, &c->network);
      for (const Cidr& n : shared_->options.uncapped_networks) {
        if (n.Contains(c->address)) c->uncapped = true;
      }
      if (!shared_->counter->Acquire(c->network, c->uncapped)) {
        RecordRejected("connections");
        const std::string answer = SimpleAnswer(
            503, "UNAVAILABLE", "Too many open connections from your network; close some.", false,
            "Retry-After: 5\r\n");
        (void)!send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
        close(fd);
        continue;
      }
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small JSON answers
      c->id = next_id_++;
      c->deadline = SteadyClock::now() + ToSteady(shared_->options.header_timeout);
      c->keep_alive = !shared_->draining.load();
      shared_->open.fetch_add(1);
      OpenConnections().Increment();
      Conn& ref = *c;
      conns_.emplace(c->id, std::move(c));
      SetInterest(ref, EPOLLIN);
    }
  }

  // Appends to what `c` has to send; the write timeout counts from now
  // when nothing was waiting.
  static void Queue(Conn& c, absl::string_view bytes) {
    if (bytes.empty()) return;
    if (c.out.empty()) c.last_write = SteadyClock::now();
    c.out.append(bytes.data(), bytes.size());
  }

  // True when the loop may handle an event of `c` now; false when a worker
  // owns it (the worker then re-arms through Rearm when it lets go).
  static bool ClaimEvent(Conn& c) {
    Owner seen = Owner::kWorker;
    if (c.owner.compare_exchange_strong(seen, Owner::kWorkerMissedEvent,
                                        std::memory_order_acq_rel)) {
      return false;
    }
    return seen == Owner::kLoop;  // kWorkerMissedEvent: already marked
  }

  // Interest in `events` (0: none) for the one-shot registration. Nothing
  // to do when that interest is armed already, or when none is wanted and
  // the last event disarmed it.
  void SetInterest(Conn& c, uint32_t events) {
    if (c.in_epoll && (c.armed ? events == c.interest : events == 0)) {
      c.interest = events;
      return;
    }
    epoll_event ev{};
    ev.events = events | EPOLLONESHOT;
    ev.data.u64 = c.id;
    epoll_ctl(epoll_, c.in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c.fd, &ev);
    c.interest = events;
    c.in_epoll = true;
    c.armed = events != 0;
  }

  size_t InputCap() const {
    return shared_->options.max_header_bytes + shared_->options.max_body_bytes + 4096;
  }

  void OnReadable(Conn& c) {
    char buffer[16384];
    while (c.in.size() < InputCap()) {
      const ssize_t n = read(c.fd, buffer, sizeof buffer);
      if (n > 0) {
        if (c.in.empty() && c.state == State::kReading && !c.head_done) {
          // The first byte of a request: its headers have this long.
          c.deadline = SteadyClock::now() + ToSteady(shared_->options.header_timeout);
        }
        c.in.append(buffer, static_cast<size_t>(n));
        // A short read took all there was: the set is level-triggered and
        // reports what comes later, so no second read to hear EAGAIN (a
        // system call per request saved).
        if (static_cast<size_t>(n) < sizeof buffer) break;
        continue;
      }
      if (n == 0) {
        c.peer_eof = true;
        // Gone before asking anything, or while a stream runs (a browser
        // that stops a fetch closes the socket): nothing more to send.
        if ((c.state == State::kReading && c.in.empty()) || c.state == State::kStreaming) {
          c.close_now = true;
        }
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        c.close_now = true;
      }
      break;
    }
    if (c.state == State::kReading) Parse(c);
  }

  // Answers from the loop itself (errors, limits); the connection closes
  // after it is written unless `keep_alive`.
  void AnswerHere(Conn& c, int status, absl::string_view code, absl::string_view message,
                  bool keep_alive = false, absl::string_view extra_headers = "") {
    keep_alive = keep_alive && c.keep_alive && c.head.keep_alive;
    Queue(c, SimpleAnswer(status, code, message, keep_alive, extra_headers));
    if (keep_alive) {
      Completed(c);
    } else {
      c.close_after_write = true;
      c.state = State::kBusy;  // read nothing more
    }
  }

  void Parse(Conn& c) {
    const HttpServerOptions& o = shared_->options;
    while (c.state == State::kReading && !c.close_now && !c.close_after_write) {
      if (!c.head_done) {
        const size_t end = c.in.find("\r\n\r\n");
        if (end == std::string::npos) {
          if (c.in.size() > o.max_header_bytes) {
            AnswerHere(c, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                       "The request headers are too large.");
          }
          return;
        }
        if (end + 4 > o.max_header_bytes) {
          AnswerHere(c, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                     "The request headers are too large.");
          return;
        }
        c.head = Head();
        const int error = ParseHead(absl::string_view(c.in).substr(0, end), &c.head);
        if (error != 0) {
          AnswerHere(c, error, error == 411 ? "LENGTH_REQUIRED" : "BAD_REQUEST",
                     error == 411 ? "Send the request body with a Content-Length."
                                  : "The request could not be read.");
          return;
        }
        c.head_size = end + 4;
        c.head_done = true;
        if (c.head.content_length > o.max_body_bytes) {
          RecordRejected("body_size");
          AnswerHere(c, 413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
          return;
        }
        if (c.head.expect_continue && c.in.size() < c.head_size + c.head.content_length &&
            !c.head.http10) {
          Queue(c, "HTTP/1.1 100 Continue\r\n\r\n");
        }
        c.deadline = SteadyClock::now() + ToSteady(o.read_timeout);
      }
      if (c.in.size() < c.head_size + c.head.content_length) return;
      c.head.request.body = c.in.substr(c.head_size, c.head.content_length);
      c.in.erase(0, c.head_size + c.head.content_length);
      c.head.request.client_address = c.address;
      // Once dispatched the connection may belong to a worker: hands off.
      Dispatch(c);
      return;
    }
  }

  void Dispatch(Conn& c) {
    c.state = State::kBusy;
    c.keep_alive = c.keep_alive && c.head.keep_alive && !shared_->draining.load() &&
                   c.served + 1 < shared_->options.keep_alive_max;
    const bool head_only = c.head.request.method == "HEAD";
    const bool http10 = c.head.http10;
    const bool keep_alive = c.keep_alive;
    const uint64_t id = c.id;
    Shared* shared = shared_;
    std::shared_ptr<Mailbox> mailbox = mailbox_;
    Loop* loop = this;
    // The common case (nothing queued to send, no pipelined request behind)
    // is answered by the worker itself: a wake-up of the loop per request
    // was the largest cost in the gateway's profile.
    Conn* direct = nullptr;
    if (c.out.empty() && c.in.empty()) {
      SetInterest(c, 0);  // usually a no-op: the event that brought the request disarmed it
      c.owner.store(Owner::kWorker, std::memory_order_release);
      direct = &c;
    }
    // A route that calls its backend without blocking (Route::async_handler)
    // starts here, on this thread, and is answered from the gateway's
    // completion thread when the call ends: no worker woken, none waiting. At most as many as the
    // pool holds, so that overload is still refused.
    if (direct != nullptr &&
        shared->async_calls.fetch_add(1, std::memory_order_relaxed) < shared->max_async_calls) {
      const bool started = shared->gateway->TryHandleAsync(
          c.head.request, [shared, mailbox, loop, id, http10, keep_alive, direct](HttpResponse r) {
            // Never streamed, never HEAD (TryHandleAsync takes neither).
            const bool stays = keep_alive && !shared->draining.load();
            Deliver(mailbox, loop, id, direct, Serialize(r, false, http10, stays, false, false),
                    stays);
            shared->async_calls.fetch_sub(1, std::memory_order_release);
          });
      if (started) return;
    }
    if (direct != nullptr) shared->async_calls.fetch_sub(1, std::memory_order_relaxed);
    auto task = [shared, mailbox, loop, id, head_only, http10, keep_alive, direct,
                 request = std::move(c.head.request)]() mutable {
      HttpResponse response = shared->gateway->Handle(request);
      const bool streamed = !head_only && (response.start_stream || response.stream);
      const bool chunked = streamed && !http10;
      // A drain that began while the handler ran closes the connection;
      // say so, so the client does not reuse it.
      const bool stays = keep_alive && !shared->draining.load();
      std::string bytes = Serialize(response, head_only, http10, stays, streamed, chunked);
      if (!streamed) {
        Deliver(mailbox, loop, id, direct, std::move(bytes), stays);
        return;
      }
      auto stream = std::make_shared<ConnStream>(mailbox, loop, id, chunked);
      mailbox->Post([loop, id, bytes = std::move(bytes), stream]() mutable {
        loop->Answered(id, std::move(bytes), stream);
      });
      if (response.start_stream) {
        response.start_stream(stream);
        return;
      }
      response.stream([&stream](absl::string_view piece) {
        return stream->Write(piece) && stream->WaitForRoom();
      });
      stream->Finish();
    };
    if (!shared_->pool->TrySchedule(std::move(task))) {
      c.owner.store(Owner::kLoop, std::memory_order_relaxed);  // never left this thread
      RecordRejected("overload");
      AnswerHere(c, 503, "UNAVAILABLE", "The gateway is busy; try again in a moment.",
                 /*keep_alive=*/true, "Retry-After: 1\r\n");
    }
  }

  // A whole answer: sent by the calling thread when it owns the connection
  // (`direct`); what does not go out is handed to the loop.
  static void Deliver(const std::shared_ptr<Mailbox>& mailbox, Loop* loop, uint64_t id,
                      Conn* direct, std::string bytes, bool stays) {
    if (direct != nullptr && loop->AnswerDirect(*direct, &bytes, stays)) return;
    mailbox->Post([loop, id, bytes = std::move(bytes)]() mutable {
      loop->Answered(id, std::move(bytes), nullptr);
    });
  }

  static std::string Serialize(const HttpResponse& r, bool head_only, bool http10, bool keep_alive,
                               bool streamed, bool chunked) {
    std::string out;
    // The head is a few hundred bytes; one allocation for it and the body.
    out.reserve(512 + (head_only || streamed ? 0 : r.body.size()));
    absl::StrAppend(&out, http10 ? "HTTP/1.0 " : "HTTP/1.1 ", r.status, " ", Reason(r.status),
                    "\r\n");
    if (!r.content_type.empty()) absl::StrAppend(&out, "Content-Type: ", r.content_type, "\r\n");
    for (const auto& [k, v] : r.headers) absl::StrAppend(&out, k, ": ", v, "\r\n");
    if (chunked) {
      out.append("Transfer-Encoding: chunked\r\n");
    } else if (!streamed && r.status != 204 && r.status != 304) {
      absl::StrAppend(&out, "Content-Length: ", r.body.size(), "\r\n");
    }
    const bool stays = keep_alive && (chunked || !streamed);
    out.append(stays ? (http10 ? "Connection: keep-alive\r\n" : "") : "Connection: close\r\n");
    out.append("\r\n");
    if (!head_only && !streamed) out.append(r.body);
    return out;
  }

 public:
  // On a worker that owns `c`: sends `bytes`. True when all went out and
  // the connection, kept alive, is back with the loop waiting for the next
  // request. Otherwise what is left of `bytes` is for the loop to send
  // (via Answered) and `c` is untouched beyond the bytes sent.
  bool AnswerDirect(Conn& c, std::string* bytes, bool keep_alive) {
    size_t sent = 0;
    while (sent < bytes->size()) {
      const ssize_t n = send(c.fd, bytes->data() + sent, bytes->size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        break;  // full socket buffer or a gone client: the loop takes over
      }
    }
    if (sent < bytes->size() || !keep_alive) {
      bytes->erase(0, sent);
      return false;
    }
    ++c.served;
    c.head_done = false;
    c.head = Head();
    c.state = State::kReading;
    const TimePoint now = SteadyClock::now();
    c.deadline = now + ToSteady(shared_->options.keep_alive_timeout);
    c.last_write = now;
    // Armed before the loop may look at the connection again (the fd
    // cannot be closed and reused while this thread owns it). An event that
    // comes in between is marked by the loop (ClaimEvent) and re-armed by
    // it on our word.
    SetInterest(c, EPOLLIN);
    const uint64_t id = c.id;
    if (c.owner.exchange(Owner::kLoop, std::memory_order_acq_rel) == Owner::kWorkerMissedEvent) {
      // `c` is the loop's now: only its id goes along.
      mailbox_->Post([this, id] { Rearm(id); });
    }
    return true;
  }

  // On the loop: the worker's answer for connection `id`.
  void Answered(uint64_t id, std::string bytes, std::shared_ptr<ConnStream> stream) {
    auto it = conns_.find(id);
    if (it == conns_.end()) {
      if (stream) stream->Close();
      return;
    }
    Conn& c = *it->second;
    c.owner.store(Owner::kLoop, std::memory_order_relaxed);  // the post ordered it
    Queue(c, bytes);
    if (stream) {
      c.state = State::kStreaming;
      c.stream = std::move(stream);
      // A browser that left while the handler ran.
      if (c.peer_eof) c.close_now = true;
    } else {
      Completed(c);
    }
    Flush(c);
    Settle(c);
  }

 private:
  // An answer is fully queued: next request or close.
  void Completed(Conn& c) {
    ++c.served;
    c.stream.reset();
    c.head_done = false;
    c.head = Head();
    if (!c.keep_alive || c.peer_eof) {
      c.close_after_write = true;
      c.state = State::kBusy;
      return;
    }
    c.state = State::kReading;
    c.deadline = SteadyClock::now() + (c.in.empty() ? ToSteady(shared_->options.keep_alive_timeout)
                                                    : ToSteady(shared_->options.header_timeout));
    Parse(c);  // a pipelined request may be waiting
  }

  void Flush(Conn& c) {
    if (WorkerOwned(c)) return;
    while (c.out_sent < c.out.size()) {
      const ssize_t n =
          send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_sent += static_cast<size_t>(n);
        c.last_write = SteadyClock::now();
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n < 0 && errno == EINTR) continue;
      c.close_now = true;
      return;
    }
    if (c.out_sent == c.out.size()) {
      c.out.clear();
      c.out_sent = 0;
    }
  }

  // Interest and closing after anything happened to `c`.
  void Settle(Conn& c) {
    if (WorkerOwned(c)) return;
    if (c.out.empty() && c.close_after_write) c.close_now = true;
    if (c.close_now) {
      Close(c.id);
      return;
    }
    uint32_t events = 0;
    // Read while parsing; while busy or streaming read only to notice a
    // client that leaves (the bytes wait for their turn) unless the buffer
    // is full.
    if (!c.peer_eof && !c.close_after_write && c.in.size() < InputCap()) events |= EPOLLIN;
    if (!c.out.empty()) events |= EPOLLOUT;
    SetInterest(c, events);
  }

  void Drop(Conn& c) {
    if (c.stream) c.stream->Close();
    close(c.fd);
    shared_->counter->Release(c.network, c.uncapped);
    shared_->open.fetch_sub(1);
    OpenConnections().Decrement();
  }

  void Close(uint64_t id) {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    Drop(*it->second);
    conns_.erase(it);
  }

  void Tick(TimePoint now) {
    if (!listening_ && !shared_->draining.load() && now >= resume_accept_) WatchListener(true);
    Sweep(now);
  }

  void Sweep(TimePoint now = SteadyClock::now()) {
    const SteadyClock::duration write_timeout = ToSteady(shared_->options.write_timeout);
    std::vector<uint64_t> closing;
    for (auto& [id, cp] : conns_) {
      Conn& c = *cp;
      if (WorkerOwned(c)) continue;
      if (c.close_now) {
        closing.push_back(id);
      } else if (!c.out.empty() && now - c.last_write > write_timeout) {
        closing.push_back(id);  // a reader that takes nothing
      } else if (c.state == State::kReading && now > c.deadline) {
        if (c.in.empty() && !c.head_done) {
          closing.push_back(id);  // idle keep-alive
        } else {
          // Slow headers or body: say why, then close.
          AnswerHere(c, 408, "DEADLINE_EXCEEDED", "The request took too long to arrive.");
          Flush(c);
          closing.push_back(id);
        }
      } else if (shared_->draining.load() && c.state == State::kReading && c.in.empty() &&
                 c.out.empty()) {
        closing.push_back(id);
      }
    }
    for (uint64_t id : closing) Close(id);
  }

  Shared* const shared_;
  const int epoll_;
  const int eventfd_;
  std::shared_ptr<Mailbox> mailbox_;
  absl::flat_hash_map<uint64_t, std::unique_ptr<Conn>> conns_;
  uint64_t next_id_ = 2;  // 0 and 1 name the listener and the mailbox
  bool listening_ = false;
  TimePoint resume_accept_;
  bool stop_ = false;
  std::thread thread_;
};

bool ConnStream::PostFlushLocked() {
  if (flush_posted_) return true;
  flush_posted_ = true;
  Loop* loop = loop_;
  const uint64_t id = conn_;
  if (!mailbox_->Post([loop, id] { loop->FlushStream(id); })) closed_ = true;
  return !closed_;
}

void Loop::Rearm(uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  if (WorkerOwned(c)) return;  // taken again; that worker re-arms
  c.armed = false;
  Settle(c);
}

void Loop::FlushStream(uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  if (c.state != State::kStreaming || c.stream == nullptr) return;
  std::shared_ptr<ConnStream> stream = c.stream;
  std::string bytes;
  const ConnStream::Progress progress = stream->Take(&bytes);
  Queue(c, bytes);
  if (progress == ConnStream::Progress::kBroken) {
    c.stream.reset();
    c.close_after_write = true;
  } else if (progress == ConnStream::Progress::kDone) {
    if (c.head.http10) {
      c.stream.reset();
      c.close_after_write = true;  // the body ends with the connection
    } else {
      Completed(c);
    }
  }
  Flush(c);
  Settle(c);
}

class HttpServer::Impl {
 public:
  Shared shared;
  std::vector<std::unique_ptr<Loop>> loops;
  bool stopped = false;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              const Gateway* gateway) {
  std::unique_ptr<HttpServer> s(new HttpServer());
  s->impl_ = std::make_unique<Impl>();
  Shared& shared = s->impl_->shared;
  shared.options = options;
  shared.gateway = gateway;

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options.port);
  const std::string host = options.host == "*" ? "" : options.host;
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot resolve ", options.host));
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // A page load opens several connections and a busy office many more:
    // the accept queue must hold a burst (httplib's 5 dropped handshakes).
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.host, ":", options.port, ": ", strerror(errno)));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  s->port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                               : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  shared.listen_fd = fd;
  const int threads = std::max(1, options.threads);
  const size_t max_queue = std::max<size_t>(1, options.max_queue);
  shared.pool = std::make_unique<BoundedPool>(threads, max_queue);
  shared.max_async_calls = static_cast<long>(threads + max_queue);
  shared.counter = std::make_unique<NetworkCounter>(
      std::max(1, options.max_connections_per_network), std::max(1, options.max_connections));
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    s->impl_->loops.push_back(std::make_unique<Loop>(&shared));
  }
  for (auto& loop : s->impl_->loops) loop->Start();
  return s;
}

void HttpServer::Shutdown() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->stopped = true;
  Shared& shared = impl_->shared;
  shared.draining.store(true);
  for (auto& loop : impl_->loops) loop->BeginDrain();
  const absl::Time give_up = absl::Now() + shared.options.drain_timeout;
  while (shared.open.load() > 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(20));
  if (shared.open.load() > 0) {
    common::LogWarning("gateway drain timed out; closing the connections left",
                       {{"open", static_cast<long long>(shared.open.load())}});
  }
  for (auto& loop : impl_->loops) loop->Stop();
  for (auto& loop : impl_->loops) loop->Join();
  // Handlers still running post into closed mailboxes and see closed
  // streams; joining the workers waits for them (they may still write to
  // connections they own, so those are freed after).
  for (auto& loop : impl_->loops) loop->Abandon();
  shared.pool->Stop();
  // Backend calls started by async handlers end within their deadline;
  // their answers still use the loops (posting into closed mailboxes).
  while (shared.async_calls.load(std::memory_order_acquire) > 0) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  impl_->loops.clear();
  close(shared.listen_fd);
  shared.listen_fd = -1;
}

HttpServer::~HttpServer() { Shutdown(); }

}  // namespace openencoder::gateway
