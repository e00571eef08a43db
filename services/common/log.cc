#include "services/common/log.h"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/trace_context.h"

namespace openencoder::common {
namespace {

LogLevel LevelFromEnvironment() {
  const char* env = std::getenv("OE_LOG_LEVEL");
  if (env == nullptr) return LogLevel::kInfo;
  absl::string_view v(env);
  if (v == "debug") return LogLevel::kDebug;
  if (v == "warning") return LogLevel::kWarning;
  if (v == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

std::atomic<int>& MinLevel() {
  static std::atomic<int> level{static_cast<int>(LevelFromEnvironment())};
  return level;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

LogField::LogField(absl::string_view k, double v) : key(k), quoted(false) {
  // The text of printf's "%.3f" (to_chars with a precision rounds the same
  // way) without StrFormat's parsing of the format on every line: every
  // access-log line of the gateway has one.
  char buffer[64];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed, 3);
  value = r.ec == std::errc() ? std::string(buffer, r.ptr) : absl::StrFormat("%.3f", v);
}

void SetMinLogLevel(LogLevel level) { MinLevel().store(static_cast<int>(level)); }

namespace {

// Appends `value` escaped for a JSON string (no quotes).
void AppendJsonEscaped(absl::string_view value, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the pending run that needs no escape
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(value.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(escaped, sizeof escaped);
      }
    }
  }
  out->append(value.data() + run, value.size() - run);
}

// "2026-12-05T08:01:02.345Z": the part up to the second is formatted once
// per second and thread (absl::FormatTime was a fifth of a log line's cost).
void AppendTimestamp(absl::Time now, std::string* out) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached;
  const int64_t ms = absl::ToUnixMillis(now);
  const int64_t second = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  if (second != cached_second) {
    cached =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(second), absl::UTCTimeZone());
    cached_second = second;
  }
  const int milli = static_cast<int>(ms - second * 1000);
  const char tail[] = {'.', static_cast<char>('0' + milli / 100),
                       static_cast<char>('0' + milli / 10 % 10),
                       static_cast<char>('0' + milli % 10), 'Z'};
  out->append(cached);
  out->append(tail, sizeof tail);
}

}  // namespace

std::string JsonEscape(absl::string_view value) {
  std::string out;
  out.reserve(value.size() + 8);
  AppendJsonEscaped(value, &out);
  return out;
}

void Log(LogLevel level, absl::string_view message, std::initializer_list<LogField> fields) {
  if (static_cast<int>(level) < MinLevel().load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(256);
  line.append("{\"ts\":\"");
  AppendTimestamp(absl::Now(), &line);
  absl::StrAppend(&line, "\",\"level\":\"", LevelName(level), "\",\"msg\":\"");
  AppendJsonEscaped(message, &line);
  line.push_back('"');
  const LogField* request_id = nullptr;
  bool has_trace = false;
  for (const LogField& f : fields) {
    if (f.key == "request_id") request_id = &f;
    if (f.key == "trace_id") has_trace = true;
    if (f.quoted) {
      absl::StrAppend(&line, ",\"", f.key, "\":\"");
      AppendJsonEscaped(f.value, &line);
      line.push_back('"');
    } else {
      absl::StrAppend(&line, ",\"", f.key, "\":", f.value);
    }
  }
  // A line with a "request_id" of a request being served in this process
  // names its trace (trace_context.h), so a trace id
  // from an error page finds every line of every service it touched.
  if (request_id != nullptr && !has_trace) {
    if (std::optional<TraceContext> trace = TraceOfRequest(request_id->value)) {
      absl::StrAppend(&line, ",\"trace_id\":\"", trace->trace_id, "\"");
    }
  }
  line += "}\n";
  // One write per line: POSIX keeps writes under PIPE_BUF atomic on pipes,
  // and in practice whole lines on files, so concurrent lines do not mix.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace openencoder::common
