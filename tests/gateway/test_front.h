// The front every gateway integration test puts before the services it
// started: a Gateway with the test's routes, served over real HTTP on a free
// loopback port.
#ifndef OPENENCODER_TESTS_GATEWAY_TEST_FRONT_H_
#define OPENENCODER_TESTS_GATEWAY_TEST_FRONT_H_

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/gateway/backends.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "services/gateway/route.h"

namespace openencoder::gateway {

// The routes of each area over `backends`, in order.
inline std::vector<Route> RoutesOf(Backends& backends,
                                   std::initializer_list<std::vector<Route> (*)(Backends&)> areas) {
  std::vector<Route> routes;
  for (auto* area : areas) {
    for (Route& r : area(backends)) routes.push_back(std::move(r));
  }
  return routes;
}

struct TestFront {
  std::unique_ptr<Gateway> gateway;
  std::unique_ptr<HttpServer> server;
  std::string origin;  // "http://127.0.0.1:<port>"

  // Serves `routes`; `http.port` is replaced by a free one. Fails the test
  // (fatally: call it in ASSERT_NO_FATAL_FAILURE) when the server does not
  // start.
  void Start(std::vector<Route> routes, GatewayOptions options, HttpServerOptions http) {
    gateway = std::make_unique<Gateway>(std::move(options), std::move(routes), nullptr);
    http.port = 0;
    absl::StatusOr<std::unique_ptr<HttpServer>> started = HttpServer::Start(http, gateway.get());
    ASSERT_TRUE(started.ok()) << started.status();
    server = *std::move(started);
    origin = absl::StrCat("http://127.0.0.1:", server->port());
  }
  // Stops taking requests; the tests call it before they stop what the
  // gateway calls. Idempotent.
  void Shutdown() {
    if (server) server->Shutdown();
  }
  ~TestFront() { Shutdown(); }
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_TESTS_GATEWAY_TEST_FRONT_H_
