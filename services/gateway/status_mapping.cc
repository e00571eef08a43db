#include "services/gateway/status_mapping.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/trace_context.h"

namespace openencoder::gateway {
namespace {

constexpr int kDefaultRetryAfterSeconds = 30;
constexpr int kUnavailableRetryAfterSeconds = 2;

// The services write "...; try again in N seconds" (account/retry_after.h);
// used when the trailer is missing, e.g. behind a proxy that drops trailers.
std::optional<int> SecondsFromMessage(absl::string_view message) {
  static constexpr absl::string_view kMarker = "try again in ";
  size_t at = message.find(kMarker);
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = message.substr(at + kMarker.size());
  size_t end = 0;
  while (end < rest.size() && absl::ascii_isdigit(rest[end])) ++end;
  int seconds = 0;
  if (end == 0 || !absl::SimpleAtoi(rest.substr(0, end), &seconds)) return std::nullopt;
  return seconds < 1 ? 1 : seconds;
}

}  // namespace

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
      return 503;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    default:
      return 500;
  }
}

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

HttpError MapGrpcError(grpc::StatusCode code, absl::string_view message, absl::string_view service,
                       std::optional<long long> retry_after_ms) {
  HttpError e;
  e.http_status = HttpStatusFor(code);
  e.status = StatusCodeName(code);
  switch (e.http_status) {
    case 503:
      e.message = absl::StrCat("The ", service,
                               " service is not answering right now. Please try again in a "
                               "moment.");
      e.retry_after_seconds = kUnavailableRetryAfterSeconds;
      break;
    case 500:
    case 501:
      e.message = "Something went wrong on our side. If it keeps happening, quote the request id.";
      break;
    default:
      e.message = message.empty() ? std::string("The request was refused.") : std::string(message);
  }
  if (e.http_status == 429) {
    if (retry_after_ms.has_value() && *retry_after_ms >= 0) {
      // Round up: a client that waits the advertised time must not be refused again.
      e.retry_after_seconds =
          static_cast<int>(std::max<long long>(1, (*retry_after_ms + 999) / 1000));
    } else {
      e.retry_after_seconds = SecondsFromMessage(message).value_or(kDefaultRetryAfterSeconds);
    }
  }
  return e;
}

namespace {

// ,"traceId":"..." while the request is being served (the gateway registers
// its trace, common/trace_context.h): the id a person quotes to support,
// which finds every service's log lines. Absent outside a request.
std::string TraceIdField(absl::string_view request_id) {
  std::optional<common::TraceContext> trace =
      common::TraceOfRequest(std::string_view(request_id.data(), request_id.size()));
  return trace.has_value() ? absl::StrCat(",\"traceId\":\"", trace->trace_id, "\"") : "";
}

}  // namespace

HttpResponse ErrorResponse(const HttpError& error, absl::string_view request_id) {
  HttpResponse r = JsonResponse(
      error.http_status,
      absl::StrCat("{\"error\":{\"code\":", error.http_status, ",\"status\":\"",
                   common::JsonEscape(error.status), "\",\"message\":\"",
                   common::JsonEscape(error.message), "\",\"requestId\":\"",
                   common::JsonEscape(request_id), "\"", TraceIdField(request_id), "}}"));
  if (error.retry_after_seconds.has_value()) {
    r.AddHeader("Retry-After", std::to_string(*error.retry_after_seconds));
  }
  return r;
}

HttpResponse GatewayError(int http_status, absl::string_view status, absl::string_view message,
                          absl::string_view request_id) {
  HttpError e;
  e.http_status = http_status;
  e.status = std::string(status);
  e.message = std::string(message);
  return ErrorResponse(e, request_id);
}

}  // namespace openencoder::gateway
