#include "services/common/call_scope.h"

#include <chrono>

#include "services/common/request_id.h"

namespace openencoder::common {
namespace {
thread_local const IncomingCall* current_call = nullptr;
}  // namespace

IncomingCall IncomingCall::Of(const grpc::ServerContextBase& context) {
  IncomingCall call;
  call.request_id = RequestIdOf(context);
  const auto deadline = context.deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    call.deadline = absl::FromChrono(deadline);
  }
  return call;
}

CallScope::CallScope(IncomingCall call) : call_(std::move(call)), previous_(current_call) {
  current_call = &call_;
}

CallScope::~CallScope() { current_call = previous_; }

const IncomingCall* CurrentCall() { return current_call; }

}  // namespace openencoder::common
