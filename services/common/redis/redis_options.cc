#include "services/common/redis/redis_options.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace openencoder::redis {
namespace {

std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string FormatHostPort(absl::string_view host, int port) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::Status ValidateEndpoint(const RedisEndpoint& endpoint) {
  if (endpoint.host.empty()) {
    return absl::InvalidArgumentError("Redis host is empty");
  }
  if (endpoint.port <= 0 || endpoint.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("Redis port out of range: ", endpoint.port));
  }
  return absl::OkStatus();
}

absl::Status ParseAddressList(absl::string_view text, RedisOptions& options) {
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    absl::StatusOr<RedisEndpoint> endpoint = ParseEndpoint(absl::StripAsciiWhitespace(item));
    if (!endpoint.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("OE_REDIS_ADDR: ", endpoint.status().message()));
    }
    options.cluster_seeds.push_back(*std::move(endpoint));
  }
  options.host = options.cluster_seeds.front().host;
  options.port = options.cluster_seeds.front().port;
  if (options.cluster_seeds.size() == 1) {
    options.cluster_seeds.clear();  // One address: plain host:port.
  } else {
    options.cluster = true;
  }
  return absl::OkStatus();
}

}  // namespace

std::string RedisEndpoint::ToString() const { return FormatHostPort(host, port); }

absl::StatusOr<RedisEndpoint> ParseEndpoint(absl::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis address must be host:port, got \"", text, "\""));
  }
  absl::string_view host = text.substr(0, colon);
  // "[::1]:6379": brackets only delimit an IPv6 literal; hiredis wants it bare.
  if (absl::ConsumePrefix(&host, "[") && !absl::ConsumeSuffix(&host, "]")) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis address has an unclosed '[': \"", text, "\""));
  }
  RedisEndpoint endpoint;
  if (host.empty() || !absl::SimpleAtoi(text.substr(colon + 1), &endpoint.port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis address must be host:port, got \"", text, "\""));
  }
  endpoint.host = std::string(host);
  if (absl::Status status = ValidateEndpoint(endpoint); !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(status.message(), " in \"", text, "\""));
  }
  return endpoint;
}

absl::StatusOr<RedisOptions> RedisOptions::FromEnvironment() {
  RedisOptions options;
  if (std::optional<std::string> addr = GetEnv("OE_REDIS_ADDR")) {
    if (absl::Status status = ParseAddressList(*addr, options); !status.ok()) {
      return status;
    }
  }
  if (std::optional<std::string> cluster = GetEnv("OE_REDIS_CLUSTER")) {
    bool on = false;
    if (!absl::SimpleAtob(*cluster, &on)) {
      return absl::InvalidArgumentError(
          absl::StrCat("OE_REDIS_CLUSTER must be 0 or 1, got \"", *cluster, "\""));
    }
    if (!on && options.cluster) {
      return absl::InvalidArgumentError(
          "OE_REDIS_CLUSTER=0 but OE_REDIS_ADDR lists several addresses; "
          "single-node mode takes exactly one");
    }
    options.cluster = on;
  }
  options.user = GetEnv("OE_REDIS_USER");
  options.password = GetEnv("OE_REDIS_PASSWORD");
  if (std::optional<std::string> file = GetEnv("OE_REDIS_PASSWORD_FILE")) {
    options.password_file = *file;
  }
  if (std::optional<std::string> db = GetEnv("OE_REDIS_DB")) {
    if (!absl::SimpleAtoi(*db, &options.db) || options.db < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("OE_REDIS_DB must be a non-negative integer, got \"", *db, "\""));
    }
  }
  if (absl::Status status = options.Validate(); !status.ok()) return status;
  // A missing Secret is found at start, not at the first call.
  if (absl::StatusOr<std::optional<std::string>> password = options.CurrentPassword();
      !password.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("OE_REDIS_PASSWORD_FILE: ", password.status().message()));
  }
  return options;
}

absl::StatusOr<std::optional<std::string>> RedisOptions::CurrentPassword() const {
  if (password_file.empty()) return password;
  std::ifstream in(password_file, std::ios::binary);
  if (!in.is_open()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the Redis password file ", password_file));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (absl::EndsWith(text, "\n")) text.pop_back();
  if (absl::EndsWith(text, "\r")) text.pop_back();
  if (text.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the Redis password file ", password_file, " is empty"));
  }
  return std::optional<std::string>(std::move(text));
}

std::string RedisOptions::Address() const { return FormatHostPort(host, port); }

std::vector<RedisEndpoint> RedisOptions::Seeds() const {
  if (!cluster_seeds.empty()) return cluster_seeds;
  return {RedisEndpoint{host, port}};
}

absl::Status RedisOptions::Validate() const {
  if (absl::Status status = ValidateEndpoint({host, port}); !status.ok()) {
    return status;
  }
  for (const RedisEndpoint& seed : cluster_seeds) {
    if (absl::Status status = ValidateEndpoint(seed); !status.ok()) {
      return status;
    }
  }
  if (!cluster_seeds.empty() && !cluster) {
    return absl::InvalidArgumentError("cluster_seeds are set but cluster mode is off");
  }
  if (cluster && db != 0) {
    return absl::InvalidArgumentError(absl::StrCat("Redis Cluster has only db 0, got db ", db));
  }
  if (cluster && cluster_refresh_interval < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("cluster_refresh_interval must not be negative");
  }
  if (password.has_value() && !password_file.empty()) {
    return absl::InvalidArgumentError(
        "set either OE_REDIS_PASSWORD or OE_REDIS_PASSWORD_FILE, not both");
  }
  if (user.has_value() && !password.has_value() && password_file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis user ", *user, " has no password: set OE_REDIS_PASSWORD_FILE"));
  }
  if (db < 0) {
    return absl::InvalidArgumentError(absl::StrCat("Redis db < 0: ", db));
  }
  if (connect_timeout <= absl::ZeroDuration() || command_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("Redis timeouts must be positive");
  }
  if (pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis pool_size must be >= 1, got ", pool_size));
  }
  return absl::OkStatus();
}

}  // namespace openencoder::redis
