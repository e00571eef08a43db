// Structured logging: one JSON object per line on stderr, so that log
// shippers need no parser. This Abseil (20220623) has no absl/log.
//
// Never pass a password, a session token or personal data as a field: the
// log is read by operators. Field values are escaped; keys must be plain.
#ifndef OPENENCODER_SERVICES_COMMON_LOG_H_
#define OPENENCODER_SERVICES_COMMON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace openencoder::common {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

struct LogField {
  LogField(absl::string_view k, absl::string_view v) : key(k), value(v), quoted(true) {}
  LogField(absl::string_view k, const char* v) : key(k), value(v), quoted(true) {}
  LogField(absl::string_view k, const std::string& v) : key(k), value(v), quoted(true) {}
  LogField(absl::string_view k, long long v) : key(k), value(std::to_string(v)), quoted(false) {}
  LogField(absl::string_view k, int v) : key(k), value(std::to_string(v)), quoted(false) {}
  LogField(absl::string_view k, double v);
  std::string key;
  std::string value;
  bool quoted;
};

// Writes {"ts":"...","level":"...","msg":"...",<fields>}. Thread-safe; each
// line is written with one write() so lines never interleave.
void Log(LogLevel level, absl::string_view message, std::initializer_list<LogField> fields = {});

inline void LogInfo(absl::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kInfo, m, f);
}
inline void LogWarning(absl::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kWarning, m, f);
}
inline void LogError(absl::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kError, m, f);
}

// Lines below this level are dropped. Default kInfo; OE_LOG_LEVEL
// (debug|info|warning|error) sets it at start-up.
void SetMinLogLevel(LogLevel level);

// Escapes a value for a JSON string body.
std::string JsonEscape(absl::string_view value);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_LOG_H_
