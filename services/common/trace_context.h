// W3C Trace Context (https://www.w3.org/TR/trace-context/) across hops.
//
// The gateway accepts a browser's or proxy's `traceparent` header or starts
// a trace; every internal gRPC call carries `traceparent` in its metadata
// next to `x-request-id`, and every log line that names a request id also
// names its trace id, so one page view can be followed through every
// service's log by one id.
//
// Propagation needs no handler code: while a request is being served its
// trace is registered under its request id (the gateway's Handle() and the
// server call-log interceptor do it with an ActiveTrace), and the client
// interceptor of every channel made by MakeChannel() looks up the outgoing
// call's x-request-id and sends a child `traceparent`. Handlers already
// pass the request id on (RequestIdOf -> MakeClientContext), on whatever
// thread or worker pool they run.
//
// Two requests sent with the same client-chosen X-Request-Id at the same
// time share the trace of the first: request ids are the key, and that is
// the one case where the key is not unique. Nothing else depends on it.
#ifndef OPENENCODER_SERVICES_COMMON_TRACE_CONTEXT_H_
#define OPENENCODER_SERVICES_COMMON_TRACE_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace openencoder::common {

inline constexpr char kTraceParentHeader[] = "traceparent";

struct TraceContext {
  std::string trace_id;  // 32 lower-case hex characters, not all zero
  std::string span_id;   // 16 lower-case hex characters, not all zero
  bool sampled = false;  // the trace-flags "sampled" bit, passed on as received

  // "00-<trace_id>-<span_id>-<flags>".
  std::string ToTraceParent() const;
};

// A new trace with a random trace id and span id.
TraceContext NewTraceContext();

// The same trace with a new span id: what a caller sends to the next hop.
TraceContext ChildOf(const TraceContext& parent);

// Parses a traceparent header value. Version 00 is read exactly; a later
// version is read by its first four fields, as the specification asks.
// std::nullopt for anything else (and for all-zero ids): the caller then
// starts a new trace, never echoing text it cannot vouch for into logs.
std::optional<TraceContext> ParseTraceParent(std::string_view value);

// Registers `trace` as the trace of `request_id` for the object's lifetime
// (an empty request id registers nothing). Nested registrations of the same
// request id keep the first trace until the last one ends.
class ActiveTrace {
 public:
  ActiveTrace(std::string request_id, const TraceContext& trace);
  ~ActiveTrace();
  ActiveTrace(const ActiveTrace&) = delete;
  ActiveTrace& operator=(const ActiveTrace&) = delete;

 private:
  std::string request_id_;
};

// The trace registered for `request_id`, if a request with that id is being
// served in this process now.
std::optional<TraceContext> TraceOfRequest(std::string_view request_id);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_TRACE_CONTEXT_H_
