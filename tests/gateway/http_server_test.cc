// The HTTP front door over real loopback sockets: a burst of new
// connections, as a page load or many coders opening the site at once makes,
// is accepted without the kernel dropping handshakes.
#include "services/gateway/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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
