#ifndef OPENENCODER_TESTS_SUPPORT_REDIS_SERVER_H_
#define OPENENCODER_TESTS_SUPPORT_REDIS_SERVER_H_

// RedisServer: a real redis-server for integration tests, on a free loopback
// port, in a fresh temporary directory, with no RDB snapshots, and with the
// production Redis users on (secure by default): the ACL file is made by
// deploy/redis/make-aclfile from deploy/redis/acl-users, the `default` user
// is off, and every client logs in as one of those users with the password
// Password(user) (random, the same for every server of the process, so that
// cluster nodes agree). Service tests connect as the service's own user
// (redis_users.h), so a command or key a service needs and its ACL lacks
// fails its tests with NOPERM; the harness and client tests use "admin".
//
// Example:
//   absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
//   ASSERT_TRUE(server.ok()) << server.status();
//   options.port = (*server)->port();
//   ...
//   ASSERT_TRUE((*server)->Restart().ok());  // same port, same data dir
//
// The binary is RedisServerOptions::binary, else /usr/bin/redis-server, else
// the first redis-server on PATH. It is started with fork/exec (no shell).
// The server is killed when the thread that started it exits (Linux
// PR_SET_PDEATHSIG), so a crashed or timed-out test leaves no server behind;
// call Start/Restart from the test's own thread, not a short-lived helper.
//
// Not thread-safe: control one RedisServer from one thread. (Clients on
// other threads may of course talk to the server.)

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace openencoder::test_support {

struct RedisServerOptions {
  // Path to redis-server; empty: /usr/bin/redis-server, else PATH.
  std::string binary;
  // --appendonly yes --appendfsync always: every acknowledged write is on
  // disk before the reply, so it survives Kill() + Restart().
  bool appendonly = false;
  // --requirepass, when set: the pre-ACL form (the default user with a
  // password), and then no ACL file.
  std::optional<std::string> password;
  // The ACL file of deploy/redis (ignored when `password` is set). Off: no
  // AUTH at all (only for tests of that legacy case).
  bool acl = true;
  // How long Start/Restart wait for the server to answer PING.
  absl::Duration startup_timeout = absl::Seconds(15);
  // Redis Cluster nodes also listen on port + 10000 (the cluster bus), so
  // the port is then picked at most 55535 with that one free as well.
  bool reserve_cluster_bus_port = false;
  // More "--name value" arguments, appended last (they win over the ones
  // above), e.g. {"--cluster-enabled", "yes"}.
  std::vector<std::string> extra_args;
};

class RedisServer {
 public:
  // Starts a server and waits until it answers PING. Picks a free port by
  // binding port 0, and retries with another port if the server could not
  // bind it (another process took it meanwhile). kUnavailable/kNotFound/
  // kInternal with the server's log tail if it did not come up.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(RedisServerOptions options = {});

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  // Kills the server (SIGKILL) and removes its directory.
  ~RedisServer();

  // SIGTERM (after SIGCONT, in case it is paused) and wait for exit;
  // SIGKILL if it has not exited after 10 s. OK if already stopped.
  absl::Status Stop();
  // SIGKILL and wait: a crash, nothing flushed beyond what fsync made
  // durable. OK if already stopped.
  absl::Status Kill();
  // Stop() if running, then start again on the same port in the same
  // directory (AOF data survives) and wait for PING.
  absl::Status Restart();
  // SIGSTOP / SIGCONT: the server keeps its sockets (connects still succeed
  // via the kernel backlog) but answers nothing while paused.
  absl::Status Pause();
  absl::Status Resume();

  // The password of Redis user `user` (a name in deploy/redis/acl-users) on
  // every ACL-enabled server of this process.
  static std::string Password(const std::string& user);
  // {"AUTH", "admin", <password>} on an ACL-enabled server, {"AUTH",
  // <password>} with `password`, else empty: what a raw client sends first.
  std::vector<std::string> AdminAuth() const;
  bool acl() const { return options_.acl && !options_.password.has_value(); }

  // FLUSHALL as the admin user (the service users may not): a clean slate
  // between tests.
  absl::Status FlushAll() const;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  // "127.0.0.1:<port>", the OE_REDIS_ADDR form.
  std::string address() const;
  const std::string& directory() const { return directory_; }
  bool running() const { return pid_ > 0; }
  // Last lines of the server's log file, for failure messages.
  std::string LogTail() const;

 private:
  RedisServer(RedisServerOptions options, std::string binary, std::string directory);

  // Launches the server on port_ and waits for it; on failure the child is
  // reaped. `bind_failed` is set if it exited because the port was taken.
  absl::Status Launch(bool* bind_failed);
  // Writes the password files and users.acl into directory_.
  absl::Status WriteAclFile();
  absl::Status WaitUntilReady(bool* exited);
  absl::Status Signal(int signal);

  const RedisServerOptions options_;
  const std::string binary_;
  const std::string directory_;
  const std::string host_ = "127.0.0.1";
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_REDIS_SERVER_H_
