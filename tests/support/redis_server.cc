#include "tests/support/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/support/raw_hiredis.h"
#include "tests/support/run_program.h"
#include "tests/support/source_paths.h"

namespace openencoder::test_support {
namespace {

constexpr int kMaxPortAttempts = 8;

using raw::Context;
using raw::Reply;
using raw::SendArgv;

bool IsExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

absl::StatusOr<std::string> FindBinary(const std::string& configured) {
  if (!configured.empty()) {
    if (IsExecutable(configured)) return configured;
    return absl::NotFoundError(absl::StrCat("redis-server binary not executable: ", configured));
  }
  if (IsExecutable("/usr/bin/redis-server")) return "/usr/bin/redis-server";
  const char* path = getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path ? path : "", ':')) {
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(dir, "/redis-server");
    if (IsExecutable(candidate)) return candidate;
  }
  return absl::NotFoundError("redis-server not found in /usr/bin or PATH");
}

// True if `port` (0: any) can be bound on loopback now; sets *bound to the
// port the kernel gave.
absl::Status TryBind(int port, int* bound) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int error = errno;
    close(fd);
    return absl::UnavailableError(absl::StrCat("bind port ", port, ": ", strerror(error)));
  }
  close(fd);
  *bound = ntohs(addr.sin_port);
  return absl::OkStatus();
}

// Asks the kernel for a free loopback port. The port is released again before
// redis-server binds it, so another process can take it in between; Start()
// retries for that case. With `cluster_bus`, the port is at most 55535 and
// port + 10000 is free too (the kernel's own picks are usually above that,
// so candidates are drawn at random from 20000-55535).
absl::StatusOr<int> PickFreePort(bool cluster_bus) {
  int port = 0;
  if (!cluster_bus) {
    if (absl::Status status = TryBind(0, &port); !status.ok()) return status;
    return port;
  }
  static unsigned int seed = static_cast<unsigned int>(getpid());
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int candidate = 20000 + static_cast<int>(rand_r(&seed) % 35536);
    int ignored = 0;
    if (TryBind(candidate, &port).ok() && TryBind(candidate + 10000, &ignored).ok()) {
      return port;
    }
  }
  return absl::UnavailableError("no free port pair (p, p + 10000) found");
}

absl::StatusOr<std::string> MakeTempDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "oe-redis-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", strerror(errno)));
  }
  return pattern;
}

// Returns the server's pid if it answers PING (after `auth`, if not empty),
// else nullopt.
std::optional<long> ProbePid(const std::string& host, int port,
                             const std::vector<std::string>& auth) {
  Context context(redisConnectWithTimeout(host.c_str(), port, {0, 200000}));
  if (context == nullptr || context->err != 0) return std::nullopt;
  if (redisSetTimeout(context.get(), {0, 500000}) != REDIS_OK) {
    return std::nullopt;
  }
  if (!auth.empty()) {
    Reply reply = SendArgv(*context, auth);
    if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) return std::nullopt;
  }
  Reply ping(static_cast<redisReply*>(redisCommand(context.get(), "PING")));
  // LOADING (AOF replay) is an error reply: not ready yet.
  if (ping == nullptr || ping->type != REDIS_REPLY_STATUS) return std::nullopt;
  Reply info(static_cast<redisReply*>(redisCommand(context.get(), "INFO server")));
  if (info == nullptr || info->type != REDIS_REPLY_STRING) return std::nullopt;
  for (absl::string_view line : absl::StrSplit(absl::string_view(info->str, info->len), "\r\n")) {
    long pid = 0;
    if (absl::ConsumePrefix(&line, "process_id:") && absl::SimpleAtoi(line, &pid)) {
      return pid;
    }
  }
  return std::nullopt;
}

// The user names of deploy/redis/acl-users: the first word of each line that
// is not blank or a comment.
absl::StatusOr<std::vector<std::string>> AclUserNames(const std::string& rules) {
  std::ifstream in(rules);
  if (!in.is_open()) {
    return absl::NotFoundError(absl::StrCat("cannot read the Redis user list ", rules,
                                            " (is OE_SOURCE_DIR the repository?)"));
  }
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    absl::string_view text = absl::StripLeadingAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    names.emplace_back(text.substr(0, text.find_first_of(" \t")));
  }
  return names;
}

std::string DescribeExit(int wait_status) {
  if (WIFEXITED(wait_status)) {
    return absl::StrCat("exited with status ", WEXITSTATUS(wait_status));
  }
  if (WIFSIGNALED(wait_status)) {
    return absl::StrCat("killed by signal ", WTERMSIG(wait_status));
  }
  return "stopped";
}

}  // namespace

std::string RedisServer::Password(const std::string& user) {
  static std::mutex mutex;
  static std::map<std::string, std::string>* passwords = new std::map<std::string, std::string>;
  std::lock_guard<std::mutex> lock(mutex);
  std::string& password = (*passwords)[user];
  if (password.empty()) {
    // 40 hex digits from /dev/urandom: longer than make-aclfile's minimum.
    std::ifstream random("/dev/urandom", std::ios::binary);
    unsigned char bytes[20] = {};
    random.read(reinterpret_cast<char*>(bytes), sizeof(bytes));
    for (unsigned char byte : bytes) password += absl::StrFormat("%02x", byte);
  }
  return password;
}

std::vector<std::string> RedisServer::AdminAuth() const {
  if (options_.password.has_value()) return {"AUTH", *options_.password};
  if (acl()) return {"AUTH", "admin", Password("admin")};
  return {};
}

absl::Status RedisServer::FlushAll() const {
  Context context(redisConnectWithTimeout(host_.c_str(), port_, {1, 0}));
  if (context == nullptr || context->err != 0) {
    return absl::UnavailableError(absl::StrCat("cannot connect to Redis at ", address()));
  }
  if (redisSetTimeout(context.get(), {5, 0}) != REDIS_OK) {
    return absl::UnavailableError("redisSetTimeout failed");
  }
  std::vector<std::string> auth = AdminAuth();
  std::vector<std::vector<std::string>> commands;
  if (!auth.empty()) commands.push_back(std::move(auth));
  commands.push_back({"FLUSHALL"});
  for (const std::vector<std::string>& command : commands) {
    Reply reply = SendArgv(*context, command);
    if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
      return absl::InternalError(absl::StrCat(command[0], " failed on Redis at ", address(), ": ",
                                              reply ? reply->str : context->errstr));
    }
  }
  return absl::OkStatus();
}

absl::Status RedisServer::WriteAclFile() {
  const std::string rules = SourcePath("deploy/redis/acl-users");
  absl::StatusOr<std::vector<std::string>> users = AclUserNames(rules);
  if (!users.ok()) return users.status();
  const std::string secrets = directory_ + "/secrets";
  std::error_code error;
  std::filesystem::create_directories(secrets, error);
  if (error) return absl::InternalError(absl::StrCat("mkdir ", secrets, ": ", error.message()));
  for (const std::string& user : *users) {
    std::ofstream out(secrets + "/" + user);
    out << Password(user) << "\n";
    if (!out.good()) return absl::InternalError(absl::StrCat("cannot write ", secrets, "/", user));
  }
  return RunProgram({"/bin/sh", SourcePath("deploy/redis/make-aclfile"), rules, secrets,
                     directory_ + "/users.acl"},
                    directory_ + "/make-aclfile.log", absl::Now() + absl::Seconds(30));
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(RedisServerOptions options) {
  absl::StatusOr<std::string> binary = FindBinary(options.binary);
  if (!binary.ok()) return binary.status();
  absl::StatusOr<std::string> directory = MakeTempDirectory();
  if (!directory.ok()) return directory.status();
  std::unique_ptr<RedisServer> server(
      new RedisServer(std::move(options), *std::move(binary), *directory));
  if (server->acl()) {
    if (absl::Status status = server->WriteAclFile(); !status.ok()) return status;
  }
  absl::Status last = absl::UnavailableError("no port tried");
  for (int attempt = 0; attempt < kMaxPortAttempts; ++attempt) {
    absl::StatusOr<int> port = PickFreePort(server->options_.reserve_cluster_bus_port);
    if (!port.ok()) return port.status();
    server->port_ = *port;
    bool bind_failed = false;
    last = server->Launch(&bind_failed);
    if (last.ok()) return server;
    if (!bind_failed) break;
  }
  return last;
}

RedisServer::RedisServer(RedisServerOptions options, std::string binary, std::string directory)
    : options_(std::move(options)), binary_(std::move(binary)), directory_(std::move(directory)) {}

RedisServer::~RedisServer() {
  (void)Kill();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string RedisServer::address() const { return absl::StrCat(host_, ":", port_); }

std::string RedisServer::LogTail() const {
  std::ifstream log(directory_ + "/redis.log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(log, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > 20) lines.erase(lines.begin());
  }
  return absl::StrJoin(lines, "\n");
}

absl::Status RedisServer::Launch(bool* bind_failed) {
  *bind_failed = false;
  std::vector<std::string> args = {binary_,
                                   "--port",
                                   absl::StrCat(port_),
                                   "--bind",
                                   host_,
                                   "--dir",
                                   directory_,
                                   "--logfile",
                                   directory_ + "/redis.log",
                                   "--save",
                                   "",
                                   "--daemonize",
                                   "no",
                                   "--appendonly",
                                   options_.appendonly ? "yes" : "no"};
  if (options_.appendonly) {
    args.insert(args.end(), {"--appendfsync", "always"});
  }
  if (options_.password.has_value()) {
    args.insert(args.end(), {"--requirepass", *options_.password});
  } else if (acl()) {
    // masteruser/masterauth: a cluster replica (and a failed-over primary
    // that rejoins as one) authenticates to its primary as production does.
    args.insert(args.end(), {"--aclfile", directory_ + "/users.acl", "--masteruser", "replication",
                             "--masterauth", Password("replication")});
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed.
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);  // Parent died before prctl.
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;

  bool exited = false;
  absl::Status status = WaitUntilReady(&exited);
  if (status.ok()) return status;
  if (!exited) (void)Kill();
  pid_ = -1;
  const std::string log = LogTail();
  *bind_failed = exited && (absl::StrContains(log, "Address already in use") ||
                            absl::StrContains(log, "Could not create server"));
  return absl::Status(status.code(), absl::StrCat(status.message(), "\nredis.log:\n", log));
}

absl::Status RedisServer::WaitUntilReady(bool* exited) {
  *exited = false;
  const absl::Time deadline = absl::Now() + options_.startup_timeout;
  while (absl::Now() < deadline) {
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      *exited = true;
      return absl::UnavailableError(
          absl::StrCat("redis-server on port ", port_, " ", DescribeExit(wait_status)));
    }
    // The pid check makes sure it is *our* server answering, not another
    // one that grabbed the port first.
    if (ProbePid(host_, port_, AdminAuth()) == pid_) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("redis-server on port ", port_,
                                                  " did not answer PING within ",
                                                  absl::FormatDuration(options_.startup_timeout)));
}

absl::Status RedisServer::Signal(int signal) {
  if (pid_ <= 0) {
    return absl::FailedPreconditionError("redis-server is not running");
  }
  if (kill(pid_, signal) != 0) {
    return absl::InternalError(absl::StrCat("kill: ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status RedisServer::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  (void)Signal(SIGCONT);  // A stopped process would not handle SIGTERM.
  if (absl::Status status = Signal(SIGTERM); !status.ok()) return status;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return Kill();
}

absl::Status RedisServer::Kill() {
  if (pid_ <= 0) return absl::OkStatus();
  if (absl::Status status = Signal(SIGKILL); !status.ok()) return status;
  int wait_status = 0;
  while (waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServer::Restart() {
  if (absl::Status status = Stop(); !status.ok()) return status;
  bool bind_failed = false;
  return Launch(&bind_failed);
}

absl::Status RedisServer::Pause() {
  if (absl::Status status = Signal(SIGSTOP); !status.ok()) return status;
  // Wait until it has really stopped, so the test's next step is meaningful.
  int wait_status = 0;
  while (waitpid(pid_, &wait_status, WUNTRACED) < 0 && errno == EINTR) {
  }
  return absl::OkStatus();
}

absl::Status RedisServer::Resume() { return Signal(SIGCONT); }

}  // namespace openencoder::test_support
