// A SearchService for the runtime tests: Lookup("sleep:N") answers OK after
// N ms, so a test can hold a call in flight; any other code is NOT_FOUND
// at once, the cheapest answer a real server gives.
#ifndef OPENENCODER_TESTS_COMMON_RUNTIME_SLOW_LOOKUP_SERVICE_H_
#define OPENENCODER_TESTS_COMMON_RUNTIME_SLOW_LOOKUP_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "openencoder/search/v1/search_service.grpc.pb.h"

namespace openencoder::common::testing {

class SlowLookupService final : public search::v1::SearchService::CallbackService {
  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* context,
                                   const search::v1::LookupRequest* request,
                                   search::v1::LookupResponse*) override {
    auto* reactor = context->DefaultReactor();
    int ms = 0;
    absl::string_view code = request->code();
    if (absl::ConsumePrefix(&code, "sleep:") && absl::SimpleAtoi(code, &ms)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(grpc::Status(grpc::NOT_FOUND, "no such code"));
    }
    return reactor;
  }
};

}  // namespace openencoder::common::testing

#endif  // OPENENCODER_TESTS_COMMON_RUNTIME_SLOW_LOOKUP_SERVICE_H_
