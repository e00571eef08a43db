// The incoming call a thread is working for, so that the calls it makes on
// the caller's behalf carry the caller's request id and never outlive the
// caller's deadline, without every layer in between passing them along.
//
// RunOnPool (pool_runner.h) opens a CallScope around each handler it runs;
// MakeClientContext (client.h) reads CurrentCall(): an outgoing call made
// inside a scope gets the scope's request id (unless one is given) and the
// earlier of its own timeout and the incoming deadline. Outside a scope
// nothing changes. The same idea as a task-inherited deadline in userver or
// OpenTelemetry's current context, kept to one thread-local pointer.
#ifndef OPENENCODER_SERVICES_COMMON_CALL_SCOPE_H_
#define OPENENCODER_SERVICES_COMMON_CALL_SCOPE_H_

#include <grpcpp/server_context.h>

#include <string>

#include "absl/time/time.h"

namespace openencoder::common {

struct IncomingCall {
  std::string request_id;                        // "" when the caller sent none
  absl::Time deadline = absl::InfiniteFuture();  // the caller's deadline

  // The request id (as RequestIdOf gives it) and deadline of a server call.
  static IncomingCall Of(const grpc::ServerContextBase& context);
};

// Makes `call` the current call of this thread until destroyed; scopes nest
// (the previous one is restored). Not copyable; lives on the stack.
class CallScope {
 public:
  explicit CallScope(IncomingCall call);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  IncomingCall call_;
  const IncomingCall* previous_;
};

// The innermost scope's call on this thread, or nullptr outside any scope.
const IncomingCall* CurrentCall();

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_CALL_SCOPE_H_
