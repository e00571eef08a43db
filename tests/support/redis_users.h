// Client options for a test Redis (redis_server.h) as one of the production
// Redis users of deploy/redis/acl-users: services under test connect as their
// own user, so their tests fail with NOPERM if the ACL lacks something the
// service sends.
//
// Example:
//   redis::RedisOptions options = test_support::RedisOptionsAs(*server, "jobs");
//   options.pool_size = 8;
#ifndef OPENENCODER_TESTS_SUPPORT_REDIS_USERS_H_
#define OPENENCODER_TESTS_SUPPORT_REDIS_USERS_H_

#include <string>

#include "services/common/redis/redis_options.h"
#include "tests/support/redis_server.h"

namespace openencoder::test_support {

// host and port of `server`, and `user` with its password when the server has
// ACLs on (the default); other fields at their defaults.
inline redis::RedisOptions RedisOptionsAs(const RedisServer& server, const std::string& user) {
  redis::RedisOptions options;
  options.host = server.host();
  options.port = server.port();
  if (server.acl()) {
    options.user = user;
    options.password = RedisServer::Password(user);
  }
  return options;
}

// Sets `options` to log in as `user` on any ACL-enabled test Redis (a cluster's
// nodes share the passwords); leaves the address alone.
inline void LogInAs(redis::RedisOptions& options, const std::string& user) {
  options.user = user;
  options.password = RedisServer::Password(user);
  options.password_file.clear();
}

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_REDIS_USERS_H_
