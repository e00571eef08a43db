#ifndef OPENENCODER_SERVICES_COMMON_REDIS_REDIS_OPTIONS_H_
#define OPENENCODER_SERVICES_COMMON_REDIS_REDIS_OPTIONS_H_

// Where and how RedisClient connects. Plain struct; copy freely.
//
// Example:
//   absl::StatusOr<RedisOptions> options = RedisOptions::FromEnvironment();
//   if (!options.ok()) return options.status();
//   options->pool_size = 8;

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace openencoder::redis {

struct RedisOptions {
  // IPv4/IPv6 literal or host name. Host names are resolved by the system
  // resolver on every (re)connect, which is not bound by any timeout: prefer
  // addresses or a local resolver in production.
  std::string host = "127.0.0.1";
  int port = 6379;
  // Sent with AUTH on every (re)connect when set.
  std::optional<std::string> password;
  // Selected with SELECT on every (re)connect when not 0.
  int db = 0;
  // Upper bound for TCP connect plus AUTH/SELECT; the caller's deadline may
  // cut it shorter.
  absl::Duration connect_timeout = absl::Milliseconds(250);
  // Upper bound for each socket read or write of a command; the caller's
  // deadline may cut it shorter.
  absl::Duration command_timeout = absl::Seconds(1);
  // Number of connections; at most this many commands are in flight at once.
  int pool_size = 4;

  // Defaults overridden by the environment:
  //   OE_REDIS_ADDR      host:port  ("[::1]:6379" for IPv6 literals)
  //   OE_REDIS_PASSWORD  password (unset or empty: no AUTH)
  //   OE_REDIS_DB        database index, >= 0
  // Returns kInvalidArgument naming the variable if one is malformed.
  static absl::StatusOr<RedisOptions> FromEnvironment();

  // "host:port", for messages.
  std::string Address() const;

  // kInvalidArgument if a field is out of range (port, db, timeouts,
  // pool_size).
  absl::Status Validate() const;
};

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_REDIS_OPTIONS_H_
