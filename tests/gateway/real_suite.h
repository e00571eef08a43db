// The real services behind the gateway, started in-process for its
// integration test: a real redis-server on a free loopback port, the account
// service on it, the catalogue on the demo data (metering through the
// account service) and the search index built from the catalogue's
// StreamCodes, each served over real gRPC on loopback.
//
// Search is not served here: the index and the service object are handed
// out so a test can host them on a server it controls (stop it to see 503,
// add an interceptor to watch the metadata that arrives).
//
// Example:
//   auto suite = RealSuite::Start(account_config);
//   ASSERT_TRUE(suite.ok()) << suite.status();
//   ConnectBackends({(*suite)->catalogue_address(), search_address,
//                    (*suite)->account_address(), ...}, timeout);
//
// Start() must run on the thread that lives longest (the test's main
// thread): the Redis child is killed when its starting thread exits.
#ifndef OPENENCODER_TESTS_GATEWAY_REAL_SUITE_H_
#define OPENENCODER_TESTS_GATEWAY_REAL_SUITE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/account/account_config.h"
#include "services/search/search_service.h"

namespace openencoder::gateway::testing {

class RealSuite {
 public:
  // Loads $OE_SOURCE_DIR/data/demo/manifest.tsv (else ./data/demo/...).
  // `account` is used as given except the password hash cost, which is
  // lowered to keep the test fast. Errors: whatever failed to start.
  static absl::StatusOr<std::unique_ptr<RealSuite>> Start(account::AccountConfig account);
  ~RealSuite();  // servers first, then Redis

  std::string account_address() const;
  std::string catalogue_address() const;
  // The search service over the index built at Start(); outlives any server
  // the test hosts it on as long as the suite lives.
  search::v1::SearchService::CallbackService* search_service();

  struct Parts;

 private:
  RealSuite() = default;
  std::unique_ptr<Parts> parts_;
};

// $OE_SOURCE_DIR, else the current directory.
std::string SourceDir();

}  // namespace openencoder::gateway::testing

#endif  // OPENENCODER_TESTS_GATEWAY_REAL_SUITE_H_
