// Request ids tie one user action to the log lines of every service it
// touched. They travel as the `x-request-id` metadata entry.
#ifndef OPENENCODER_SERVICES_COMMON_REQUEST_ID_H_
#define OPENENCODER_SERVICES_COMMON_REQUEST_ID_H_

#include <grpcpp/server_context.h>

#include <string>

namespace openencoder::common {

inline constexpr char kRequestIdHeader[] = "x-request-id";

// 128 random bits as 32 hex characters.
std::string NewRequestId();

// The request id the caller sent, or the one the call-log interceptor
// assigned when there was none; "" only outside an RPC.
std::string RequestIdOf(const grpc::ServerContextBase& context);

// Accepts ids of 1..64 characters from [A-Za-z0-9._-]; anything else is
// replaced, so that a client cannot inject text into log lines.
bool IsAcceptableRequestId(std::string_view id);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_REQUEST_ID_H_
