// The Redis both jobs bench tools work on: the one OE_REDIS_ADDR (and the
// other OE_REDIS_* settings) names, as the jobs server would reach it.
#ifndef OPENENCODER_BENCH_JOBS_BENCH_REDIS_H_
#define OPENENCODER_BENCH_JOBS_BENCH_REDIS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/redis/redis_client.h"

namespace openencoder::jobs::bench {

// A non-zero `connect_timeout` or `command_timeout` replaces the
// environment's (a tool run under callgrind needs longer ones).
inline absl::StatusOr<std::unique_ptr<redis::RedisClient>> ConnectBenchRedis(
    absl::Duration connect_timeout = absl::ZeroDuration(),
    absl::Duration command_timeout = absl::ZeroDuration()) {
  absl::StatusOr<redis::RedisOptions> options = redis::RedisOptions::FromEnvironment();
  if (!options.ok()) return options.status();
  if (connect_timeout != absl::ZeroDuration()) options->connect_timeout = connect_timeout;
  if (command_timeout != absl::ZeroDuration()) options->command_timeout = command_timeout;
  return redis::RedisClient::Create(*options);
}

}  // namespace openencoder::jobs::bench

#endif  // OPENENCODER_BENCH_JOBS_BENCH_REDIS_H_
