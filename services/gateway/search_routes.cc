#include "services/gateway/search_routes.h"

#include "absl/strings/str_cat.h"
#include "services/gateway/rpc_route.h"

namespace openencoder::gateway {

std::vector<Route> SearchRoutes(Backends& b) {
  // Public, without hooks, and the hottest routes (a keystroke each for
  // suggest): answered without a worker thread (AsyncRpcRoute).
  using search::v1::SearchService;
  auto* stub = b.search.get();
  auto Method = [](const char* name) {
    return absl::StrCat("/", SearchService::service_full_name(), "/", name);
  };
  std::vector<Route> routes;
  routes.push_back(
      AsyncRpcRoute(Spec("GET", "/api/v1/search", "search",
                         "Ranked code search by code, words, lay terms or misspellings "
                         "(e.g. ?query=heart+attack&filters.systems=ICD10CM)",
                         {400, 503}),
                    stub, &SearchService::StubInterface::Search, "search", b.timeout,
                    {b.search_wire_channel, Method("Search"), b.search_completions.get()}));
  routes.push_back(AsyncRpcRoute(
      Spec("GET", "/api/v1/suggest", "search",
           "Up to 10 completions for what has been typed so far (?prefix=diab)", {400, 503}),
      stub, &SearchService::StubInterface::Suggest, "search", b.timeout,
      {b.search_wire_channel, Method("Suggest"), b.search_completions.get()}));
  routes.push_back(
      AsyncRpcRoute(Spec("GET", "/api/v1/lookup/{code}", "search",
                         "Exact code lookup across code systems", {400, 404, 503}),
                    stub, &SearchService::StubInterface::Lookup, "search", b.timeout,
                    {b.search_wire_channel, Method("Lookup"), b.search_completions.get()}));
  return routes;
}

}  // namespace openencoder::gateway
