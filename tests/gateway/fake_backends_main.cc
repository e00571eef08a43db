// oe_gateway_fake_backends: the fakes of fake_backends.h as a process, for
// running the browser scenario when the real services are not built yet.
// Prints "listening <host:port>" on stdout, serves until SIGTERM/SIGINT.
#include <signal.h>

#include <cstdio>

#include "tests/gateway/fake_backends.h"

int main() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto fakes = openencoder::gateway::testing::FakeBackends::Start();
  if (!fakes.ok()) {
    std::fprintf(stderr, "fake backends: %s\n", std::string(fakes.status().message()).c_str());
    return 1;
  }
  std::printf("listening %s\n", (*fakes)->address().c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  return 0;
}
