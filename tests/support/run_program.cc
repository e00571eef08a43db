#include "tests/support/run_program.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace openencoder::test_support {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::Status RunProgram(std::vector<std::string> args, const std::string& log,
                        absl::Time deadline) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = open("/dev/null", O_RDONLY);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    if (in >= 0) dup2(in, STDIN_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int wait_status = 0;
  while (absl::Now() < deadline) {
    if (waitpid(pid, &wait_status, WNOHANG) == pid) {
      if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) {
        return absl::OkStatus();
      }
      return absl::UnavailableError(absl::StrCat(args[0], " failed:\n", ReadFile(log)));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &wait_status, 0);
  return absl::DeadlineExceededError(
      absl::StrCat(args[0], " did not finish in time:\n", ReadFile(log)));
}

}  // namespace openencoder::test_support
