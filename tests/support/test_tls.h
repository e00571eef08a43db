// Mutual TLS in tests, as in production (services/common/tls.h): one
// throw-away CA per test process, made by scripts/make-certs in a temporary
// folder that is removed at exit, with a certificate per service identity.
// oe_test's main (test_main.cc) calls UseThrowAwayCertificates() before any
// test, so every server and channel of the process, and every service binary
// it starts, speak TLS; a test names the identity a channel presents with
// ChannelOptions::client_identity (the default is "gateway").
//
// OE_INSECURE=1 or an OE_TLS_DIR already set are left alone (to debug a test
// in plaintext, or with certificates of one's own).
#ifndef OPENENCODER_TESTS_SUPPORT_TEST_TLS_H_
#define OPENENCODER_TESTS_SUPPORT_TEST_TLS_H_

#include <string>

#include "absl/status/status.h"

namespace openencoder::test_support {

// Makes the CA and certificates once per process and points OE_TLS_DIR at
// them. Errors: INTERNAL when openssl failed (its output is on stderr).
absl::Status UseThrowAwayCertificates();

// The folder with one sub-folder per identity (ca.crt, tls.crt, tls.key);
// "" before UseThrowAwayCertificates() or when it left the settings alone.
std::string ThrowAwayCertificateDir();

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_TEST_TLS_H_
