// The RPC routes of one backend, collected in order. The stub, the service
// name (for 503 messages), the OpenAPI tag, the deadline and the hooks every
// route of the backend shares are given once, so each route states only what
// is its own: its method and path, summary and errors, its RPC and, where it
// has them, its own hooks.
#ifndef OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_LIST_H_
#define OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_LIST_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "services/gateway/route.h"
#include "services/gateway/rpc_route.h"

namespace openencoder::gateway {

// The hooks of a backend whose routes have none in common.
struct NoSharedHooks {
  template <class Req, class Resp>
  static RpcHooks<Req, Resp> For() {
    return {};
  }
};

// `SharedHooks::For<Req, Resp>()` gives the hooks of a route that brings
// none of its own. `stub` must outlive the routes.
template <class Stub, class SharedHooks = NoSharedHooks>
class RpcRouteList {
 public:
  RpcRouteList(Stub* stub, std::string service, std::string tag, absl::Duration timeout)
      : stub_(stub), service_(std::move(service)), tag_(std::move(tag)), timeout_(timeout) {}

  // A route under the list's tag.
  template <class Req, class Resp>
  void Add(std::string method, std::string path, std::string summary, std::vector<int> errors,
           UnaryMethod<Stub, Req, Resp> rpc) {
    Add(Spec(std::move(method), std::move(path), tag_, std::move(summary), std::move(errors)), rpc);
  }
  template <class Req, class Resp>
  void Add(std::string method, std::string path, std::string summary, std::vector<int> errors,
           UnaryMethod<Stub, Req, Resp> rpc, RpcHooks<Req, Resp> hooks) {
    Add(Spec(std::move(method), std::move(path), tag_, std::move(summary), std::move(errors)), rpc,
        std::move(hooks));
  }
  // A route whose spec, under a tag of its own, is made by the caller.
  template <class Req, class Resp>
  void Add(RouteSpec spec, UnaryMethod<Stub, Req, Resp> method) {
    Add(std::move(spec), method, SharedHooks::template For<Req, Resp>());
  }
  template <class Req, class Resp>
  void Add(RouteSpec spec, UnaryMethod<Stub, Req, Resp> method, RpcHooks<Req, Resp> hooks) {
    routes_.push_back(
        RpcRoute(std::move(spec), stub_, method, service_, timeout_, std::move(hooks)));
  }
  // A route with a handler of its own.
  void Add(Route route) { routes_.push_back(std::move(route)); }

  std::vector<Route> Take() && { return std::move(routes_); }

 private:
  Stub* stub_;
  std::string service_;
  std::string tag_;
  absl::Duration timeout_;
  std::vector<Route> routes_;
};

}  // namespace openencoder::gateway

#endif  // OPENENCODER_SERVICES_GATEWAY_RPC_ROUTE_LIST_H_
