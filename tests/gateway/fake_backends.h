// In-memory stand-ins for the account, catalogue and search services with
// the behaviour the gateway and the web client depend on: guest sessions,
// register / log in / log out, a code-page meter (1 view for guests, 6 for
// free accounts) and a few searchable codes. For gateway tests and for
// running the browser scenario before the real services exist; they record
// the x-request-id of every call so tests can check it was passed through.
#ifndef OPENENCODER_TESTS_GATEWAY_FAKE_BACKENDS_H_
#define OPENENCODER_TESTS_GATEWAY_FAKE_BACKENDS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/server.h"

namespace openencoder::gateway::testing {

class FakeBackends {
 public:
  // Starts one gRPC server on a free loopback port hosting all three services.
  static absl::StatusOr<std::unique_ptr<FakeBackends>> Start();
  ~FakeBackends();

  std::string address() const;
  // x-request-id values seen by any fake, in order.
  std::vector<std::string> request_ids() const;

  struct State;

 private:
  FakeBackends() = default;
  std::unique_ptr<State> state_;
};

}  // namespace openencoder::gateway::testing

#endif  // OPENENCODER_TESTS_GATEWAY_FAKE_BACKENDS_H_
