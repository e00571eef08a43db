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
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace openencoder::redis {

// One Redis node's address.
struct RedisEndpoint {
  std::string host;
  int port = 0;

  // "host:port", with brackets around IPv6 literals.
  std::string ToString() const;
  friend bool operator==(const RedisEndpoint&, const RedisEndpoint&) = default;
};

// Parses "host:port" or "[v6]:port" (kInvalidArgument otherwise).
absl::StatusOr<RedisEndpoint> ParseEndpoint(absl::string_view text);

struct RedisOptions {
  // IPv4/IPv6 literal or host name. Host names are resolved by the system
  // resolver on every (re)connect, which is not bound by any timeout: prefer
  // addresses or a local resolver in production.
  std::string host = "127.0.0.1";
  int port = 6379;
  // Redis 7 ACL user; with a password, every (re)connect sends
  // AUTH <user> <password>. Unset: AUTH <password> (the default user).
  std::optional<std::string> user;
  // Sent with AUTH on every (re)connect when set.
  std::optional<std::string> password;
  // A file holding the password (a mounted Secret); read again on every
  // (re)connect, so a rotated password is used from the next reconnect on.
  // One trailing newline is dropped. Exclusive with `password`.
  std::string password_file;
  // Selected with SELECT on every (re)connect when not 0.
  int db = 0;
  // Upper bound for TCP connect plus AUTH/SELECT; the caller's deadline may
  // cut it shorter.
  absl::Duration connect_timeout = absl::Milliseconds(250);
  // Upper bound for each socket read or write of a command; the caller's
  // deadline may cut it shorter.
  absl::Duration command_timeout = absl::Seconds(1);
  // Number of connections per Redis node (in cluster mode: per primary); at
  // most this many commands are in flight at once on one node.
  int pool_size = 4;

  // Redis Cluster mode (see README.md in this folder). Off: one node at
  // host:port. On: host:port is the first seed and `cluster_seeds`, if not
  // empty, lists all seeds; the slot map is discovered from any seed that
  // answers. Cluster mode requires db == 0 (Redis Cluster has one database).
  bool cluster = false;
  std::vector<RedisEndpoint> cluster_seeds;
  // At most one slot-map refresh per interval, however many calls fail; a
  // refresh asks one node at a time and gives each 2 * connect_timeout.
  absl::Duration cluster_refresh_interval = absl::Milliseconds(100);

  // Defaults overridden by the environment:
  //   OE_REDIS_ADDR      host:port  ("[::1]:6379" for IPv6 literals), or a
  //                      comma-separated list of cluster seeds
  //                      "h1:p1,h2:p2", which turns on cluster mode
  //   OE_REDIS_CLUSTER   1/true: cluster mode even with one seed; 0/false:
  //                      single node (an error with several addresses)
  //   OE_REDIS_USER      ACL user (deploy/redis/acl-users); needs a password
  //   OE_REDIS_PASSWORD  password (unset or empty: no AUTH)
  //   OE_REDIS_PASSWORD_FILE  file with the password (instead of
  //                      OE_REDIS_PASSWORD); must be readable at start
  //   OE_REDIS_DB        database index, >= 0
  // Returns kInvalidArgument naming the variable if one is malformed.
  static absl::StatusOr<RedisOptions> FromEnvironment();

  // "host:port", for messages.
  std::string Address() const;

  // The nodes asked for the slot map: cluster_seeds, or {host:port} if
  // that is empty.
  std::vector<RedisEndpoint> Seeds() const;

  // kInvalidArgument if a field is out of range (port, db, timeouts,
  // pool_size, seeds, db != 0 in cluster mode, a user without a password,
  // both password and password_file).
  absl::Status Validate() const;

  // The password to send now: `password`, or password_file's contents.
  // nullopt: no AUTH. kFailedPrecondition naming the file if it cannot be
  // read or is empty.
  absl::StatusOr<std::optional<std::string>> CurrentPassword() const;
};

}  // namespace openencoder::redis

#endif  // OPENENCODER_SERVICES_COMMON_REDIS_REDIS_OPTIONS_H_
