// oe_loadgen_echo_server: serves the Echo test service with health and
// reflection on 127.0.0.1 (port 0 = pick a free one), so oe_loadgen can be
// tried by hand without any real service running:
//   oe_loadgen_echo_server --port=50099 &
//   oe_loadgen --target=127.0.0.1:50099 --request="text: 'x'"
//     --method=openencoder.loadgen.testing.EchoService/Echo
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tests/bench/loadgen/echo_server.h"

ABSL_FLAG(int, port, 0, "loopback port to listen on; 0 picks a free one");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  openencoder::loadgen::testing::EchoServer server(absl::GetFlag(FLAGS_port));
  std::printf("listening on %s\n", server.address().c_str());
  std::fflush(stdout);
  server.Wait();
  return 0;
}
