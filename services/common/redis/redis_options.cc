#include "services/common/redis/redis_options.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace openencoder::redis {
namespace {

std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

absl::Status ParseAddress(absl::string_view text, RedisOptions& options) {
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("OE_REDIS_ADDR must be host:port, got \"", text, "\""));
  }
  absl::string_view host = text.substr(0, colon);
  // "[::1]:6379": brackets only delimit an IPv6 literal; hiredis wants it bare.
  if (absl::ConsumePrefix(&host, "[") && !absl::ConsumeSuffix(&host, "]")) {
    return absl::InvalidArgumentError(
        absl::StrCat("OE_REDIS_ADDR has an unclosed '[': \"", text, "\""));
  }
  int port = 0;
  if (host.empty() || !absl::SimpleAtoi(text.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("OE_REDIS_ADDR must be host:port, got \"", text, "\""));
  }
  options.host = std::string(host);
  options.port = port;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RedisOptions> RedisOptions::FromEnvironment() {
  RedisOptions options;
  if (std::optional<std::string> addr = GetEnv("OE_REDIS_ADDR")) {
    if (absl::Status status = ParseAddress(*addr, options); !status.ok()) {
      return status;
    }
  }
  options.password = GetEnv("OE_REDIS_PASSWORD");
  if (std::optional<std::string> db = GetEnv("OE_REDIS_DB")) {
    if (!absl::SimpleAtoi(*db, &options.db) || options.db < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "OE_REDIS_DB must be a non-negative integer, got \"", *db, "\""));
    }
  }
  if (absl::Status status = options.Validate(); !status.ok()) return status;
  return options;
}

std::string RedisOptions::Address() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::Status RedisOptions::Validate() const {
  if (host.empty()) return absl::InvalidArgumentError("Redis host is empty");
  if (port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis port out of range: ", port));
  }
  if (db < 0) {
    return absl::InvalidArgumentError(absl::StrCat("Redis db < 0: ", db));
  }
  if (connect_timeout <= absl::ZeroDuration() ||
      command_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("Redis timeouts must be positive");
  }
  if (pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis pool_size must be >= 1, got ", pool_size));
  }
  return absl::OkStatus();
}

}  // namespace openencoder::redis
