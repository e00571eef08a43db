// The main() of every oe_test binary: gtest and gmock, with mutual TLS on
// (test_tls.h) before the first test starts a server.
#include <cstdio>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_tls.h"

int main(int argc, char** argv) {
  testing::InitGoogleMock(&argc, argv);
  absl::Status tls = openencoder::test_support::UseThrowAwayCertificates();
  if (!tls.ok()) {
    std::fprintf(stderr, "cannot set up TLS for the tests: %s\n", tls.ToString().c_str());
    return 1;
  }
  return RUN_ALL_TESTS();
}
